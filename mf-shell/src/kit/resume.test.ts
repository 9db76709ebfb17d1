import type { Sink, SubscribePayload } from 'graphql-ws';
import { resumingClient } from './resume';

const NUMBERS = 'subscription Numbers($companyId: ID!, $after: String) { numberChanged(companyId: $companyId, after: $after) { cursor } }';
const PLAIN = 'subscription Plain($companyId: ID!) { numberChanged(companyId: $companyId) { sequence } }';

/** A graphql-ws client stand-in: records what is sent, and what a reconnect would send again (the same payload). */
function fakeSocket() {
  const sent: { payload: SubscribePayload; sink: Sink<any>; variables: Record<string, unknown> }[] = [];
  return {
    sent,
    client: {
      subscribe(payload: SubscribePayload, sink: Sink<any>) {
        sent.push({ payload, sink, variables: { ...payload.variables } });
        return () => undefined;
      },
    },
    /** What the subscription's payload holds now: what graphql-ws sends when it reconnects. */
    resent: (i = sent.length - 1) => ({ ...sent[i].payload.variables }),
  };
}

describe('resumingClient', () => {
  it('sends the last event’s cursor as `after` when the socket reconnects', () => {
    const socket = fakeSocket();
    const subscriptions = resumingClient(socket.client, () => undefined);
    const received: unknown[] = [];
    subscriptions.subscribe(
      { query: NUMBERS, variables: { companyId: 'c' } },
      { next: (r) => received.push(r), error: () => undefined, complete: () => undefined },
    );
    expect(socket.sent[0].variables).toEqual({ companyId: 'c' });
    expect(subscriptions.allResume()).toBe(false);
    socket.sent[0].sink.next({ data: { numberChanged: { cursor: 'first' } } });
    socket.sent[0].sink.next({ data: { numberChanged: { cursor: 'second' } } });
    expect(socket.resent()).toEqual({ companyId: 'c', after: 'second' });
    expect(subscriptions.allResume()).toBe(true);
    expect(received).toHaveLength(2);
  });

  it('refetches and starts again from now on when the gateway answers CURSOR_EXPIRED', () => {
    const socket = fakeSocket();
    let refetches = 0;
    const subscriptions = resumingClient(socket.client, () => (refetches += 1));
    const errors: unknown[] = [];
    subscriptions.subscribe(
      { query: NUMBERS, variables: { companyId: 'c' } },
      { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined },
    );
    socket.sent[0].sink.next({ data: { numberChanged: { cursor: 'old' } } });
    socket.sent[0].sink.error([{ message: 'too old', extensions: { code: 'CURSOR_EXPIRED' } }]);
    expect(refetches).toBe(1);
    expect(errors).toEqual([]);
    expect(socket.sent).toHaveLength(2);
    expect(socket.sent[1].variables).toEqual({ companyId: 'c' });
  });

  it('passes other errors on, and does not count a subscription without `$after` as resuming', () => {
    const socket = fakeSocket();
    let refetches = 0;
    const subscriptions = resumingClient(socket.client, () => (refetches += 1));
    const errors: unknown[] = [];
    subscriptions.subscribe(
      { query: PLAIN, variables: { companyId: 'c' } },
      { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined },
    );
    socket.sent[0].sink.next({ data: { numberChanged: { cursor: 'ignored' } } });
    expect(socket.resent()).toEqual({ companyId: 'c' });
    expect(subscriptions.allResume()).toBe(false);
    socket.sent[0].sink.error([{ message: 'no', extensions: { code: 'NOT_FOUND' } }]);
    expect(errors).toHaveLength(1);
    expect(refetches).toBe(0);
  });
});
