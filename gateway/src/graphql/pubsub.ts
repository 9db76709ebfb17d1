import { Client, type Notification } from 'pg';
import type { Logger } from '../logger';

/** The PostgreSQL channel every gateway process listens on. */
export const EVENTS_CHANNEL = 'cabinet_events';
/** Published when sessions end; every process closes the WebSockets of those sessions. */
export const SESSION_ENDED = 'SESSION_ENDED';
/** Published when an administrator loses a company; every process stops their subscriptions to it. */
export const ACCESS_REVOKED = 'ACCESS_REVOKED';
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
 * What subscribers receive. `sequence` counts the company's committed events of the topic, 1, 2, 3, … with no gaps, in
 * commit order (0 for events with no company), so a client that sees a gap knows it missed something.
 */
export interface CabinetEvent extends EventInput {
  sequence: number;
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

/** A connection or transaction to publish in: `RequestDb`, a TypeORM `DataSource` or query runner. */
export interface EventDb {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/**
 * Publishes an event in the caller's connection: inside a transaction, subscribers get it when (and only if)
 * the transaction commits. One statement, so that outside a transaction the sequence and the notification
 * cannot part. Throws when the event would not fit in a NOTIFY payload.
 */
export async function publishEvent(db: EventDb, event: EventInput): Promise<{ sequence: number }> {
  const { topic, companyId, payload } = event;
  if (typeof topic !== 'string' || topic === '') throw new TypeError('An event needs a topic');
  if (companyId !== null && !Number.isSafeInteger(companyId)) throw new TypeError(`companyId of ${topic} must be an integer or null`);
  const json = JSON.stringify({ topic, companyId, payload });
  const bytes = Buffer.byteLength(json, 'utf8') + SEQUENCE_FIELD_BYTES;
  if (bytes > MAX_NOTIFY_BYTES) {
    throw new RangeError(`The ${topic} event is ${bytes} bytes; NOTIFY takes at most ${MAX_NOTIFY_BYTES}: publish ids, not objects`);
  }
  if (companyId === null) {
    await db.query(`SELECT pg_notify($1, '{"sequence":0,' || substr($2, 2))`, [EVENTS_CHANNEL, json]);
    return { sequence: 0 };
  }
  // The row lock taken here is held to commit, so a company's events commit, and are delivered, in sequence order.
  const [row] = await db.query(
    `WITH next AS (
       INSERT INTO cabinet.event_sequences (company_id, topic, last_sequence) VALUES ($2, $4, 1)
       ON CONFLICT (company_id, topic) DO UPDATE SET last_sequence = event_sequences.last_sequence + 1
       RETURNING last_sequence
     )
     SELECT last_sequence::text AS sequence, pg_notify($1, '{"sequence":' || last_sequence || ',' || substr($3, 2)) FROM next`,
    [EVENTS_CHANNEL, companyId, json, topic],
  );
  return { sequence: Number(row.sequence) };
}

function parseEvent(text: string | undefined): CabinetEvent | undefined {
  try {
    const event = JSON.parse(text ?? '') as Partial<CabinetEvent> | null;
    if (
      typeof event?.topic === 'string' &&
      (event.companyId === null || Number.isSafeInteger(event.companyId)) &&
      Number.isSafeInteger(event.sequence) &&
      typeof event.payload === 'object' &&
      event.payload !== null
    ) {
      return event as CabinetEvent;
    }
  } catch {
    // reported below
  }
  return undefined;
}

/**
 * One subscriber's queue. `return()` ends it at once, even while a `next()` waits (graphql-js calls it when the
 * client unsubscribes). A consumer that falls `limit` events behind loses the oldest ones: it would only
 * grow the heap, and clients refetch what they show when they reconnect.
 */
class EventStream implements AsyncIterableIterator<CabinetEvent> {
  private readonly queue: CabinetEvent[] = [];
  private waiting: ((result: IteratorResult<CabinetEvent>) => void) | undefined;
  private ended = false;
  private dropped = 0;
  detach: () => void = () => {};

  constructor(
    private readonly topic: string,
    private readonly limit: number,
    private readonly log: Logger,
  ) {}

  push(event: CabinetEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.queue.shift();
      if (this.dropped++ === 0) this.log.warn({ topic: this.topic, pending: this.limit }, 'a subscriber is too slow: dropping its oldest events');
    }
    this.queue.push(event);
  }

  next(): Promise<IteratorResult<CabinetEvent>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.dropped > 0) {
      this.log.warn({ topic: this.topic, dropped: this.dropped }, 'a slow subscriber caught up after dropping events');
      this.dropped = 0;
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<CabinetEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<CabinetEvent>> {
    this.end();
    return Promise.reject(error);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.detach();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export interface PgPubSubOptions {
  /** Events a subscriber may have waiting before its oldest are dropped; 1000 by default. */
  maxPending?: number;
  /** First and longest pause between attempts to reconnect the LISTEN connection; 250 ms and 10 s by default. */
  reconnectDelayMs?: { initial: number; max: number };
  /** How often the LISTEN connection is checked with a query (a dead TCP peer sends no error); 30 s by default. */
  heartbeatMs?: number;
}

type Listener = (event: CabinetEvent) => void;

/**
 * Events between gateway processes through PostgreSQL LISTEN/NOTIFY. Each process holds one dedicated
 * connection (not from the pool) that listens on `cabinet_events` and hands notifications to the process's
 * subscribers; publishing needs no such connection, it runs in the publisher's own transaction.
 *
 * When the LISTEN connection drops, it is reopened with backoff; events published meanwhile are lost, so
 * subscribers stay subscribed and `onResync` listeners are called once it is back (the WebSocket layer then
 * closes its sockets so that clients reconnect and refetch).
 */
export class PgPubSub {
  private client: Client | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly streams = new Set<EventStream>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly maxPending: number;
  private readonly reconnectDelayMs: { initial: number; max: number };
  private readonly heartbeatMs: number;

  private constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
    options: PgPubSubOptions,
  ) {
    this.maxPending = options.maxPending ?? 1000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? { initial: 250, max: 10_000 };
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
  }

  /** Opens the LISTEN connection; fails when the database cannot be reached (start-up fails fast). */
  static async start(connectionString: string, log: Logger, options: PgPubSubOptions = {}): Promise<PgPubSub> {
    const pubsub = new PgPubSub(connectionString, log, options);
    await pubsub.connect();
    pubsub.heartbeatTimer = setInterval(() => void pubsub.heartbeat(), pubsub.heartbeatMs).unref();
    return pubsub;
  }

  /** See `publishEvent`. */
  publish(db: EventDb, event: EventInput): Promise<{ sequence: number }> {
    return publishEvent(db, event);
  }

  /** Events of a topic that pass `filter`, in the order they were committed, until `return()` is called. */
  subscribe(topic: string, filter: (event: CabinetEvent) => boolean = () => true): AsyncIterableIterator<CabinetEvent> {
    const stream = new EventStream(topic, this.maxPending, this.log);
    if (this.closed) {
      stream.end();
      return stream;
    }
    const off = this.on(topic, (event) => {
      if (filter(event)) stream.push(event);
    });
    this.streams.add(stream);
    stream.detach = () => {
      off();
      this.streams.delete(stream);
    };
    return stream;
  }

  /** Calls `listener` for every event of a topic; returns the function that stops it. */
  on(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  /** Calls `listener` each time the LISTEN connection is back after a loss (events may have been missed). */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** How many subscribers (streams and listeners) are attached; for tests and metrics. */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** Ends every subscription and closes the LISTEN connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    for (const stream of [...this.streams]) stream.end();
    this.listeners.clear();
    this.resyncListeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      application_name: 'cabinet-events',
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (message: Notification) => {
      if (client === this.client && message.channel === EVENTS_CHANNEL) this.dispatch(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private async heartbeat(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('the LISTEN connection did not answer a heartbeat')), Math.min(10_000, this.heartbeatMs));
        }),
      ]);
    } catch (error) {
      this.lost(client, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    this.log.warn({ err: error }, 'lost the LISTEN connection for events; reconnecting');
    client.end().catch(() => {});
    this.reconnect(0);
  }

  private reconnect(attempt: number): void {
    const { initial, max } = this.reconnectDelayMs;
    const delay = Math.min(max, initial * 2 ** attempt) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(async () => {
      if (this.closed) return;
      try {
        await this.connect();
      } catch (error) {
        this.log.warn({ err: error, attempt: attempt + 1 }, 'could not reopen the LISTEN connection for events');
        this.reconnect(attempt + 1);
        return;
      }
      if (this.closed) return;
      this.log.info('the LISTEN connection for events is back; events published meanwhile were missed');
      for (const listener of [...this.resyncListeners]) this.call(() => listener());
    }, delay);
    this.reconnectTimer.unref();
  }

  private dispatch(text: string | undefined): void {
    const event = parseEvent(text);
    if (!event) {
      this.log.warn({ payload: text?.slice(0, 200) }, 'ignored a malformed event notification');
      return;
    }
    const set = this.listeners.get(event.topic);
    if (!set) return;
    for (const listener of [...set]) this.call(() => listener(event));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error({ err: error }, 'an event listener failed');
    }
  }
}
