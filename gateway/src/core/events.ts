import type { RequestDb } from './db';
import { eventLog, type EventLogDb } from './event-log';
import { EventWakeups } from './event-wakeups';

/** The PostgreSQL channel every gateway process listens on. */
export const EVENTS_CHANNEL = 'cabinet_events';
/** Published when sessions end; every process closes the WebSockets of those sessions. */
export const SESSION_ENDED = 'SESSION_ENDED';
/** Published when an administrator loses a company; every process stops their subscriptions to it. */
export const ACCESS_REVOKED = 'ACCESS_REVOKED';
/** Published when an administrator's grants or language change; every process reads their sessions afresh. */
export const ADMINISTRATOR_CHANGED = 'ADMINISTRATOR_CHANGED';
/** NOTIFY refuses payloads of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7999;
/** Room left in a payload for the `"sequence":…,` that PostgreSQL prepends. */
const SEQUENCE_FIELD_BYTES = 32;

/** What a service publishes: ids and states only, never whole objects (subscribers load what they show). */
export interface EventInput {
  topic: string;
  /** The company whose data changed; null for events that belong to no company (sessions). */
  companyId: number | null;
  payload: Record<string, unknown>;
}

/**
 * What subscribers receive. A company's events are in its event log: `position` counts them across topics and
 * `sequence` within the topic, 1, 2, 3, … with no gaps, in commit order. Events with no company (sessions, grants)
 * are not logged: both are 0 and they reach only the processes listening when they happen.
 */
export interface CabinetEvent extends EventInput {
  sequence: number;
  position: number;
}

export interface SessionEndedPayload {
  administratorId: number;
  /** null: every session of the administrator ended. */
  sessionId: string | null;
  /** With sessionId null: the session that stays open ("sign out everywhere else"). */
  exceptSessionId?: string | null;
}

export interface AccessRevokedPayload {
  administratorId: number;
  companyId: number;
}

export interface AdministratorChangedPayload {
  administratorId: number;
}

/** A connection or transaction to publish in: `RequestDb`, a TypeORM `DataSource` or query runner. */
export type EventDb = EventLogDb;

/**
 * Publishes an event in the caller's connection. A company's event is written to the event log in the caller's
 * transaction; once it commits, the process wakes the log's followers (`EventWakeups`), and they read the event
 * from the log: delivered only if the transaction commits, and no commit waits for a NOTIFY. On a data source with
 * no wake-ups installed, the statement sends the NOTIFY itself, at the commit. Events with no company go in a
 * NOTIFY whole. Throws when an event is too big for a NOTIFY payload (events carry ids, not objects).
 */
export async function publishEvent(db: EventDb, event: EventInput): Promise<{ sequence: number; position: number }> {
  const { topic, companyId, payload } = event;
  if (typeof topic !== 'string' || topic === '') throw new TypeError('An event needs a topic');
  if (companyId !== null && !Number.isSafeInteger(companyId)) throw new TypeError(`companyId of ${topic} must be an integer or null`);
  const json = JSON.stringify({ topic, companyId, payload });
  const bytes = Buffer.byteLength(json, 'utf8') + SEQUENCE_FIELD_BYTES;
  if (bytes > MAX_NOTIFY_BYTES) {
    throw new RangeError(`The ${topic} event is ${bytes} bytes; NOTIFY takes at most ${MAX_NOTIFY_BYTES}: publish ids, not objects`);
  }
  if (companyId === null) {
    await db.query(`SELECT pg_notify($1, '{"sequence":0,"position":0,' || substr($2, 2))`, [EVENTS_CHANNEL, json]);
    return { sequence: 0, position: 0 };
  }
  const followers = EventWakeups.of(db);
  const logged = await eventLog.append(db, { companyId, topic, payload }, followers ? undefined : { channel: EVENTS_CHANNEL });
  followers?.wakeups.logged(followers.runner, companyId, logged.position);
  return logged;
}

/** A subscriber's stream of one company's events; `return()` ends it at once, even while it waits for the next. */
export interface CompanyEventStream extends AsyncIterableIterator<CabinetEvent> {
  readonly companyId: number;
}

/** The company a subscription's source follows, when it is a company's event stream. */
export function companyOfStream(source: unknown): number | undefined {
  const companyId = (source as Partial<CompanyEventStream> | null)?.companyId;
  return typeof companyId === 'number' ? companyId : undefined;
}

/** Events to subscribers on every gateway process: written to the event log in the caller's transaction, delivered after commit. */
export interface EventPublisher {
  publish(db: RequestDb, event: { topic: string; companyId: number | null; payload: Record<string, unknown> }): Promise<unknown>;
  /** A company's events of some topics: those after `after` (a position in its log) first, then each as it commits. */
  subscribe(options: { companyId: number; topics: readonly string[]; after?: number }): Promise<CompanyEventStream>;
}

declare module './context' {
  interface Ports {
    events?: EventPublisher;
  }
}
