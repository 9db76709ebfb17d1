import type { SessionPrincipal } from './session-cache';
import { followSessionEvents, SESSION_CACHE_SECONDS, SessionCache } from './session-cache';

const principal = (administratorId: number, sessionId: string): SessionPrincipal => ({
  kind: 'administrator',
  administratorId,
  sessionId,
  name: 'A',
  phone: '77010000000',
  language: 'en',
  companyIds: new Set([1]),
});

describe('the session cache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000_000));

  it('answers for SESSION_CACHE_SECONDS at most, and never past the session’s own expiry', () => {
    const cache = new SessionCache(now);
    cache.set('a', principal(1, '10'), 3_600_000);
    cache.set('b', principal(1, '11'), 1_500);
    clock += 1_499;
    expect(cache.get('a')?.sessionId).toBe('10');
    expect(cache.get('b')?.sessionId).toBe('11');
    clock += 1;
    expect(cache.get('b')).toBeUndefined();
    clock = 1_000_000 + SESSION_CACHE_SECONDS * 1000 - 1;
    expect(cache.get('a')?.sessionId).toBe('10');
    clock += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the sessions an end names: one, all of an administrator’s, or all but one', () => {
    const cache = new SessionCache(now);
    const fill = () => {
      cache.clear();
      cache.set('a1', principal(1, '10'), 60_000);
      cache.set('a2', principal(1, '11'), 60_000);
      cache.set('a3', principal(1, '12'), 60_000);
      cache.set('b1', principal(2, '20'), 60_000);
    };
    const left = () => ['a1', 'a2', 'a3', 'b1'].filter((key) => cache.get(key));
    fill();
    cache.ended({ administratorId: 1, sessionId: '11' });
    expect(left()).toEqual(['a1', 'a3', 'b1']);
    fill();
    cache.ended({ administratorId: 1, sessionId: null });
    expect(left()).toEqual(['b1']);
    fill();
    cache.ended({ administratorId: 1, sessionId: null, exceptSessionId: '12' });
    expect(left()).toEqual(['a3', 'b1']);
    fill();
    cache.ended({ administratorId: 2, sessionId: '10' });
    expect(left()).toEqual(['a1', 'a2', 'a3', 'b1']);
    cache.forget(1);
    expect(left()).toEqual(['b1']);
  });

  it('lets the session looked up longest ago go first when full', () => {
    const cache = new SessionCache(now, SESSION_CACHE_SECONDS, 2);
    cache.set('a', principal(1, '1'), 60_000);
    cache.set('b', principal(1, '2'), 60_000);
    cache.set('a', principal(1, '1'), 60_000);
    cache.set('c', principal(1, '3'), 60_000);
    expect(['a', 'b', 'c'].filter((key) => cache.get(key))).toEqual(['a', 'c']);
  });

  it('follows the events of every process, and is emptied when they may have been missed', () => {
    const listeners = new Map<string, (event: { payload: Record<string, unknown> }) => void>();
    let resync = () => {};
    const source = {
      on: (topic: string, listener: (event: { payload: Record<string, unknown> }) => void) => {
        listeners.set(topic, listener);
        return () => listeners.delete(topic);
      },
      onResync: (listener: () => void) => {
        resync = listener;
        return () => (resync = () => {});
      },
    };
    const cache = new SessionCache(now);
    const stop = followSessionEvents(source, cache);
    const fill = () => ['1', '2', '3'].forEach((id) => cache.set(id, principal(Number(id), id), 60_000));
    fill();
    listeners.get('SESSION_ENDED')!({ payload: { administratorId: 1, sessionId: '1' } });
    listeners.get('ACCESS_REVOKED')!({ payload: { administratorId: 2, companyId: 1 } });
    expect(cache.size).toBe(1);
    listeners.get('ADMINISTRATOR_CHANGED')!({ payload: { administratorId: 3 } });
    expect(cache.size).toBe(0);
    fill();
    resync();
    expect(cache.size).toBe(0);
    stop();
    expect(listeners.size).toBe(0);
  });
});
