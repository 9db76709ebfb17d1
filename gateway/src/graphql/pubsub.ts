import { Client, type Notification } from 'pg';
import { EVENT_LOG_POLL_MS } from '../core/event-wakeups';
import { CursorExpiredError, eventLog, type EventLogDb, type LogHead, type LoggedEvent } from '../core/event-log';
import type { Logger } from '../core/logger';

import { type CabinetEvent, type CompanyEventStream, EVENTS_CHANNEL, type EventDb, type EventInput, publishEvent } from '../core/events';
/** Pause before the event log is read again after a failed read. */
const READ_RETRY_MS = 1000;

type Notice = { kind: 'logged'; companyId: number; position: number } | { kind: 'event'; event: CabinetEvent };

function parseNotice(text: string | undefined): Notice | undefined {
  try {
    const notice = JSON.parse(text ?? '') as (Partial<CabinetEvent> & { position?: unknown }) | null;
    if (notice && notice.topic === undefined && Number.isSafeInteger(notice.companyId) && Number.isSafeInteger(notice.position)) {
      return { kind: 'logged', companyId: notice.companyId!, position: notice.position as number };
    }
    if (
      typeof notice?.topic === 'string' &&
      notice.companyId === null &&
      Number.isSafeInteger(notice.sequence) &&
      typeof notice.payload === 'object' &&
      notice.payload !== null
    ) {
      return { kind: 'event', event: { ...notice, position: 0 } as CabinetEvent };
    }
  } catch {
    // reported below
  }
  return undefined;
}

function toEvent(row: LoggedEvent): CabinetEvent {
  return { topic: row.topic, companyId: row.companyId, sequence: row.sequence, position: row.position, payload: row.payload };
}

/** What a subscriber's stream needs of the process: the log, and how far the process has read a company's. */
interface StreamSource {
  read(companyId: number, after: number, limit: number): Promise<LoggedEvent[]>;
  head(companyId: number): number;
}

/**
 * One subscriber's queue of a company's events. Live events come from the process's reads of the log; a subscriber
 * that starts from an older cursor, falls `limit` events behind, or sees a gap reads the log itself, a page at a
 * time as it consumes, until it is back with the process: it loses nothing the log keeps, and `position` (the last
 * event it has taken, shown or not) drops the events it sees twice. `return()` ends it at once, even while a
 * `next()` waits (graphql-js calls it when the client unsubscribes).
 */
class EventStream implements CompanyEventStream {
  private readonly queue: CabinetEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: unknown;
  detach: () => void = () => {};

  constructor(
    readonly companyId: number,
    private readonly topics: ReadonlySet<string>,
    private position: number,
    private catchingUp: boolean,
    private readonly limit: number,
    private readonly source: StreamSource,
  ) {}

  /** The process's next event of the company: in position order, each once. */
  offer(event: CabinetEvent): void {
    if (this.ended || this.catchingUp || event.position <= this.position) return;
    if (event.position !== this.position + 1 || this.queue.length >= this.limit) {
      this.catchingUp = true;
    } else {
      this.position = event.position;
      if (this.topics.has(event.topic)) this.queue.push(event);
    }
    this.signal();
  }

  async next(): Promise<IteratorResult<CabinetEvent>> {
    for (;;) {
      const event = this.queue.shift();
      if (event) return { value: event, done: false };
      if (this.failure) {
        const failure = this.failure;
        this.failure = undefined;
        this.end();
        throw failure;
      }
      if (this.ended) return { value: undefined, done: true };
      if (this.catchingUp) {
        await this.catchUp();
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
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
    this.signal();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async catchUp(): Promise<void> {
    let rows: LoggedEvent[];
    try {
      rows = await this.source.read(this.companyId, this.position, this.limit);
    } catch {
      // The log stays where it is: read it again a moment later (the process logs its own failed reads).
      await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS).unref());
      return;
    }
    if (this.ended) return;
    // Positions have no gaps but what retention removed: a subscriber that far behind has to refetch.
    if ((rows.length > 0 && rows[0].position !== this.position + 1) || (rows.length === 0 && this.position < this.source.head(this.companyId))) {
      this.failure = new CursorExpiredError();
      return;
    }
    for (const row of rows) {
      this.position = row.position;
      if (this.topics.has(row.topic)) this.queue.push(toEvent(row));
    }
    // Past what the process has read, its next events are this stream's next ones.
    if (this.position >= this.source.head(this.companyId)) this.catchingUp = false;
  }
}

export interface SubscribeOptions {
  companyId: number;
  topics: readonly string[];
  /** The position of the last event the subscriber has; absent: from now on. */
  after?: number;
}

export interface PgPubSubOptions {
  /** Events a subscriber may have waiting before it reads the log itself; also its page of the log. 1000 by default. */
  maxPending?: number;
  /** Events of one company read from the log in one statement, for every subscriber of the process; 500 by default. */
  batchSize?: number;
  /** First and longest pause between attempts to reconnect the LISTEN connection; 250 ms and 10 s by default. */
  reconnectDelayMs?: { initial: number; max: number };
  /** How often the LISTEN connection is checked with a query (a dead TCP peer sends no error); 30 s by default. */
  heartbeatMs?: number;
  /** How often every followed company's log is read with no wake-up; `EVENT_LOG_POLL_MS` by default. */
  pollMs?: number;
}

type Listener = (event: CabinetEvent) => void;

interface FollowedCompany {
  /** The last position the process has read and handed to its streams; undefined until the log's head is known. */
  head: number | undefined;
  streams: Set<EventStream>;
}

/**
 * Events between gateway processes. A company's events are in the event log (`cabinet.events`), written in the
 * transactions of their changes; each process holds one dedicated connection (not from the pool) that listens on
 * `cabinet_events`, where the wake-up sent after a commit (`EventWakeups`) carries only the company and position.
 * The process then reads the log after the position it has reached for every company it follows, in one statement
 * for all its subscribers, and hands each event, as one object, to their streams: delivered after commit, never an
 * event rolled back, in order, and none lost while the log keeps it. It also reads every followed log each
 * `pollMs` unwoken, so that an event whose wake-up was lost (its process killed right after the commit) is late, not
 * missing.
 *
 * When the LISTEN connection drops, it is reopened with backoff and every followed company is read again. Events
 * with no company (sessions, grants) go in the NOTIFY whole and are missed meanwhile, so `onResync` listeners are
 * called once it is back (the WebSocket layer then closes its sockets; clients resume from their cursors).
 */
export class PgPubSub {
  private client: Client | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly companies = new Map<number, FollowedCompany>();
  private readonly stale = new Set<number>();
  private reading = false;
  private readAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly maxPending: number;
  private readonly batchSize: number;
  private readonly reconnectDelayMs: { initial: number; max: number };
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly source: StreamSource;

  private constructor(
    private readonly connectionString: string,
    private readonly db: EventLogDb,
    private readonly log: Logger,
    options: PgPubSubOptions,
  ) {
    this.maxPending = options.maxPending ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.reconnectDelayMs = options.reconnectDelayMs ?? { initial: 250, max: 10_000 };
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.pollMs = options.pollMs ?? EVENT_LOG_POLL_MS;
    this.source = {
      read: (companyId, after, limit) => eventLog.read(this.db, companyId, after, limit),
      head: (companyId) => this.companies.get(companyId)?.head ?? 0,
    };
  }

  /**
   * Opens the LISTEN connection on `connectionString` (it must keep its session: not a transaction pooler); the log
   * is read through `db`. Fails when the database cannot be reached (start-up fails fast).
   */
  static async start(connectionString: string, db: EventLogDb, log: Logger, options: PgPubSubOptions = {}): Promise<PgPubSub> {
    const pubsub = new PgPubSub(connectionString, db, log, options);
    await pubsub.connect();
    pubsub.heartbeatTimer = setInterval(() => void pubsub.heartbeat(), pubsub.heartbeatMs).unref();
    pubsub.pollTimer = setInterval(() => pubsub.poll(), pubsub.pollMs).unref();
    return pubsub;
  }

  /** See `publishEvent`. */
  publish(db: EventDb, event: EventInput): Promise<{ sequence: number; position: number }> {
    return publishEvent(db, event);
  }

  /**
   * A company's events of some topics, in the order they were committed, until `return()` is called: those after
   * `after` from the log first (CURSOR_EXPIRED when retention removed some of them), then each as it commits.
   */
  async subscribe({ companyId, topics, after }: SubscribeOptions): Promise<CompanyEventStream> {
    let company = this.companies.get(companyId);
    if (!company) this.companies.set(companyId, (company = { head: undefined, streams: new Set() }));
    // Followed before the head is read, so that a NOTIFY arriving meanwhile is not missed.
    const placeholder = new EventStream(companyId, new Set(), Number.MAX_SAFE_INTEGER, false, 0, this.source);
    company.streams.add(placeholder);
    let head: LogHead;
    try {
      head = await eventLog.head(this.db, companyId);
    } catch (error) {
      company.streams.delete(placeholder);
      this.unfollowIfIdle(companyId);
      throw error;
    }
    company.streams.delete(placeholder);
    if (after !== undefined && (after < head.prunedThrough || after > head.last)) {
      this.unfollowIfIdle(companyId);
      throw new CursorExpiredError();
    }
    if (company.head === undefined) company.head = head.last;
    const start = after ?? head.last;
    const stream = new EventStream(companyId, new Set(topics), start, start < company.head, this.maxPending, this.source);
    if (this.closed) {
      stream.end();
      return stream;
    }
    company.streams.add(stream);
    stream.detach = () => {
      company.streams.delete(stream);
      this.unfollowIfIdle(companyId);
    };
    this.markStale(companyId);
    return stream;
  }

  /** Calls `listener` for every event of a topic with no company; returns the function that stops it. */
  on(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  /** Calls `listener` each time the LISTEN connection is back after a loss (events with no company may have been missed). */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** How many subscribers (streams and listeners) are attached; for tests and metrics. */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    for (const company of this.companies.values()) count += company.streams.size;
    return count;
  }

  /** Ends every subscription and closes the LISTEN connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    clearInterval(this.pollTimer);
    for (const company of [...this.companies.values()]) for (const stream of [...company.streams]) stream.end();
    this.companies.clear();
    this.listeners.clear();
    this.resyncListeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private unfollowIfIdle(companyId: number): void {
    const company = this.companies.get(companyId);
    if (company && company.streams.size === 0) {
      this.companies.delete(companyId);
      this.stale.delete(companyId);
    }
  }

  /** Every followed company's log, read for what no wake-up announced (one that was lost with its sender). */
  private poll(): void {
    if (this.companies.size === 0 || this.closed) return;
    for (const [companyId, company] of this.companies) if (company.head !== undefined) this.stale.add(companyId);
    void this.readLog();
  }

  private markStale(companyId: number): void {
    if (!this.companies.has(companyId)) return;
    this.stale.add(companyId);
    void this.readLog();
  }

  /** Reads the log for every stale company, one statement per batch, until none is left; one read at a time. */
  private async readLog(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const after = new Map<number, number>();
        for (const companyId of this.stale) {
          const head = this.companies.get(companyId)?.head;
          if (head !== undefined) after.set(companyId, head);
        }
        this.stale.clear();
        if (after.size === 0 || this.closed) break;
        let rows: LoggedEvent[];
        try {
          rows = await eventLog.readMany(this.db, after, this.batchSize);
        } catch (error) {
          for (const companyId of after.keys()) this.stale.add(companyId);
          this.log.warn({ err: error }, 'could not read the event log; trying again');
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => void this.readLog(), READ_RETRY_MS).unref();
          return;
        }
        const counts = new Map<number, number>();
        for (const row of rows) {
          counts.set(row.companyId, (counts.get(row.companyId) ?? 0) + 1);
          const company = this.companies.get(row.companyId);
          // Past a gap (retention removed events the process never read) its streams see the gap and end with CURSOR_EXPIRED.
          if (!company || company.head === undefined || row.position <= company.head) continue;
          company.head = row.position;
          const event = toEvent(row);
          for (const stream of [...company.streams]) this.call(() => stream.offer(event));
        }
        for (const [companyId, count] of counts) if (count >= this.batchSize) this.stale.add(companyId);
      } while (this.readAgain || this.stale.size > 0);
    } finally {
      this.reading = false;
    }
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
      this.log.info('the LISTEN connection for events is back; reading the event log for what was published meanwhile');
      for (const companyId of this.companies.keys()) this.stale.add(companyId);
      void this.readLog();
      for (const listener of [...this.resyncListeners]) this.call(() => listener());
    }, delay);
    this.reconnectTimer.unref();
  }

  private dispatch(text: string | undefined): void {
    const notice = parseNotice(text);
    if (!notice) {
      this.log.warn({ payload: text?.slice(0, 200) }, 'ignored a malformed event notification');
      return;
    }
    if (notice.kind === 'logged') {
      const head = this.companies.get(notice.companyId)?.head;
      if (head === undefined || notice.position > head) this.markStale(notice.companyId);
      return;
    }
    const set = this.listeners.get(notice.event.topic);
    if (!set) return;
    for (const listener of [...set]) this.call(() => listener(notice.event));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error({ err: error }, 'an event listener failed');
    }
  }
}
