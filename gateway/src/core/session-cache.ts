import { ACCESS_REVOKED, ADMINISTRATOR_CHANGED, SESSION_ENDED, type SessionEndedPayload } from './events';
import type { Principal } from './principal';

export type SessionPrincipal = Extract<Principal, { kind: 'administrator' }>;

/**
 * How long a session looked up in the database answers from this process's memory. Ends of sessions, revoked
 * grants and an administrator's changes reach every process at once (their events); this bounds only what no event
 * tells (a grant added, a row changed by hand) and how late the idle timeout's `last_seen_at` is written.
 */
export const SESSION_CACHE_SECONDS = 10;
/** Sessions kept at most; the one looked up longest ago goes first. */
const MAX_SESSIONS = 50_000;

interface Entry {
  principal: SessionPrincipal;
  until: number;
}

/**
 * The principals of live sessions by token hash, for `SESSION_CACHE_SECONDS` at most and never past a session's
 * absolute expiry. Told of every end of a session (`ended`), an administrator's change (`forget`) and a loss of
 * the events connection (`clear`), it drops what they name before the next request looks.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly seconds = SESSION_CACHE_SECONDS,
    private readonly max = MAX_SESSIONS,
  ) {}

  get(tokenHash: string): SessionPrincipal | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.principal;
    this.entries.delete(tokenHash);
    return undefined;
  }

  /** Keeps a session's principal, live for `liveForMs` more at most (its absolute expiry). */
  set(tokenHash: string, principal: SessionPrincipal, liveForMs: number): void {
    this.entries.delete(tokenHash);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { principal, until: this.now() + Math.min(this.seconds * 1000, liveForMs) });
  }

  /** The sessions a SESSION_ENDED event names: one, or all of an administrator's but perhaps one. */
  ended({ administratorId, sessionId, exceptSessionId }: Partial<SessionEndedPayload>): void {
    for (const [hash, { principal }] of this.entries) {
      if (principal.administratorId !== administratorId) continue;
      const ended = sessionId == null ? principal.sessionId !== exceptSessionId : principal.sessionId === sessionId;
      if (ended) this.entries.delete(hash);
    }
  }

  /** Every session of an administrator whose grants, language or name changed: the next request reads them afresh. */
  forget(administratorId: number | undefined): void {
    for (const [hash, { principal }] of this.entries) if (principal.administratorId === administratorId) this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** What `followSessionEvents` needs of the events connection. */
export interface SessionEventSource {
  on(topic: string, listener: (event: { payload: Record<string, unknown> }) => void): () => void;
  onResync(listener: () => void): () => void;
}

/**
 * Keeps `cache` true to the events every process publishes: ended sessions leave it, an administrator who lost a
 * company or changed leaves it, and a loss of the events connection (when such events may have been missed)
 * empties it. Returns the function that stops it.
 */
export function followSessionEvents(source: SessionEventSource, cache: SessionCache): () => void {
  const administrator = (event: { payload: Record<string, unknown> }) => cache.forget(event.payload.administratorId as number | undefined);
  const stops = [
    source.on(SESSION_ENDED, (event) => cache.ended(event.payload as Partial<SessionEndedPayload>)),
    source.on(ACCESS_REVOKED, administrator),
    source.on(ADMINISTRATOR_CHANGED, administrator),
    source.onResync(() => cache.clear()),
  ];
  return () => stops.forEach((stop) => stop());
}
