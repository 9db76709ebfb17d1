import type { GraphQLFormattedError } from 'graphql';
import type { Client, FormattedExecutionResult, Sink, SubscribePayload } from 'graphql-ws';

const CURSOR_EXPIRED = 'CURSOR_EXPIRED';

function cursorOf(data: unknown): string | undefined {
  for (const value of Object.values((data as Record<string, unknown> | null | undefined) ?? {})) {
    const cursor = (value as { cursor?: unknown } | null)?.cursor;
    if (typeof cursor === 'string') return cursor;
  }
  return undefined;
}

const expired = (errors: readonly GraphQLFormattedError[] | undefined) => errors?.some((e) => e.extensions?.code === CURSOR_EXPIRED) ?? false;

/** A graphql-ws client whose subscriptions resume from their last cursor, and which knows whether all of them will. */
export interface ResumingClient {
  subscribe: Client['subscribe'];
  /** True when every running subscription has a cursor to resume from: after a reconnect nothing needs refetching. */
  allResume(): boolean;
}

/**
 * Subscriptions that resume from their last cursor. graphql-ws sends a subscription's payload again when it
 * reconnects; for a subscription that declares `$after`, the payload's `after` follows the `cursor` of each event,
 * so the gateway replays what was missed, then continues live. When the gateway answers CURSOR_EXPIRED (the cursor
 * is older than its event log), `onExpired` is called (refetch what is shown) and the subscription starts again
 * from now on.
 */
export function resumingClient(client: Pick<Client, 'subscribe'>, onExpired: () => void): ResumingClient {
  const running = new Set<{ resumable: boolean; payload: SubscribePayload }>();
  return {
    subscribe<Data = Record<string, unknown>, Extensions = unknown>(given: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, Extensions>>) {
      const payload: SubscribePayload = { ...given, variables: { ...given.variables } };
      const variables = payload.variables!;
      const entry = { resumable: /\$after\s*:/.test(given.query), payload };
      let dispose: () => void = () => undefined;
      let generation = 0;
      const start = () => {
        const mine = ++generation;
        const current = () => mine === generation;
        const restart = () => {
          dispose();
          delete variables.after;
          onExpired();
          start();
        };
        dispose = client.subscribe<Data, Extensions>(payload, {
          next: (result) => {
            if (!current()) return;
            if (entry.resumable && expired(result.errors)) return restart();
            const cursor = entry.resumable ? cursorOf(result.data) : undefined;
            if (cursor) variables.after = cursor;
            sink.next(result);
          },
          error: (error) => {
            if (!current()) return;
            if (entry.resumable && Array.isArray(error) && expired(error)) return restart();
            sink.error(error);
          },
          complete: () => {
            if (current()) sink.complete();
          },
        });
      };
      running.add(entry);
      start();
      return () => {
        generation++;
        running.delete(entry);
        dispose();
      };
    },
    allResume: () => [...running].every((entry) => entry.resumable && typeof entry.payload.variables?.after === 'string'),
  };
}
