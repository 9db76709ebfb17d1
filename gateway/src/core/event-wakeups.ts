import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import { RequestDb, type SqlRunner } from './db';
import type { Logger } from './logger';

/** How often a process reads the logs it follows with no wake-up: how late, at most, an event whose wake-up was lost is. */
export const EVENT_LOG_POLL_MS = 1000;

/** A company's log has events up to `position`: what a wake-up says (`{"companyId","position"}`, the form processes of earlier versions read too). */
const WAKE_UP = `SELECT pg_notify($1, json_build_object('companyId', c, 'position', p)::text) FROM unnest($2::int[], $3::bigint[]) AS t(c, p)`;

/**
 * Wake-ups of the processes that follow companies' event logs, sent after the commits that wrote to them.
 *
 * A NOTIFY inside a transaction makes its commit take a lock of the whole database, held through the commit's WAL
 * flush: every commit that publishes then waits for every other one (at most about 1,600–2,100 a second on two cores,
 * fewer as more connections commit; `npm run bench:fanout` measures both paths). So commits write only the log, and this process tells the followers afterwards, in one
 * statement of its own: while a wake-up is on its way, the companies whose logs grew meanwhile wait for the next
 * one, each with its last position. A process sends one wake-up at a time, so NOTIFY commits are at most a few
 * hundred a second however many events commit, and they hold no publishing transaction up.
 *
 * A wake-up can be lost with its process (killed between the commit and the wake-up) or with the database's
 * connection: nothing of the event is, since the followers read the log by position, on every wake-up and on
 * their poll every `EVENT_LOG_POLL_MS` (see `PgPubSub`), which bounds how late such an event is.
 */
export class EventWakeups implements EntitySubscriberInterface {
  private static readonly installed = new WeakMap<DataSource, EventWakeups>();
  /** Companies' last positions written by open transactions, by the query runner that holds each. */
  private readonly open = new WeakMap<QueryRunner, Map<number, number>>();
  private queued = new Map<number, number>();
  private sending: Promise<void> | undefined;
  /** Wake-up statements sent, and those that failed; for the benchmark and tests. */
  readonly counts = { sent: 0, failed: 0 };

  constructor(
    private readonly db: SqlRunner,
    private readonly channel: string,
    private readonly log?: Logger,
  ) {}

  /**
   * Makes `dataSource`'s commits that wrote to an event log wake its followers. The data source must be initialized:
   * initializing builds its list of subscribers anew.
   */
  static install(dataSource: DataSource, channel: string, log?: Logger): EventWakeups {
    if (!dataSource.isInitialized) throw new Error('EventWakeups.install needs an initialized data source');
    const existing = EventWakeups.installed.get(dataSource);
    if (existing) return existing;
    const wakeups = new EventWakeups(dataSource, channel, log);
    dataSource.subscribers.push(wakeups);
    EventWakeups.installed.set(dataSource, wakeups);
    return wakeups;
  }

  /**
   * The wake-ups of the data source that `db` runs on, and the transaction it is in (none: each statement commits
   * on its own); undefined when the data source has none installed, or `db` is not one of TypeORM's.
   */
  static of(db: SqlRunner): { wakeups: EventWakeups; runner: QueryRunner | undefined } | undefined {
    let dataSource: DataSource | undefined;
    let runner: QueryRunner | undefined;
    if (db instanceof RequestDb) {
      ({ dataSource, runner } = db.connection);
    } else if (db instanceof DataSource) {
      dataSource = db;
    } else {
      const other = db as Partial<EntityManager & QueryRunner>;
      dataSource = other.dataSource;
      runner = 'isTransactionActive' in other ? (other as QueryRunner) : other.queryRunner;
    }
    const wakeups = dataSource && EventWakeups.installed.get(dataSource);
    if (!wakeups) return undefined;
    return { wakeups, runner: runner?.isTransactionActive ? runner : undefined };
  }

  /** `companyId`'s log has an event at `position`, written in `runner`'s transaction (none: already committed). */
  logged(runner: QueryRunner | undefined, companyId: number, position: number): void {
    if (!runner) {
      this.committed(companyId, position);
      return;
    }
    let written = this.open.get(runner);
    if (!written) this.open.set(runner, (written = new Map()));
    written.set(companyId, Math.max(position, written.get(companyId) ?? 0));
  }

  /** A company's log has events up to `position` that are committed: its followers are woken soon. */
  committed(companyId: number, position: number): void {
    this.queued.set(companyId, Math.max(position, this.queued.get(companyId) ?? 0));
    this.sending ??= this.send();
  }

  /** Resolves once every wake-up queued so far has been sent or has failed. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  afterTransactionCommit({ queryRunner }: { queryRunner: QueryRunner }): void {
    // A savepoint's release: the transaction is still open.
    if (queryRunner.isTransactionActive) return;
    const written = this.open.get(queryRunner);
    if (!written) return;
    this.open.delete(queryRunner);
    for (const [companyId, position] of written) this.committed(companyId, position);
  }

  afterTransactionRollback({ queryRunner }: { queryRunner: QueryRunner }): void {
    // After a rollback to a savepoint the positions it wrote are taken again by later events: the wake-up stays due.
    if (!queryRunner.isTransactionActive) this.open.delete(queryRunner);
  }

  private async send(): Promise<void> {
    try {
      while (this.queued.size > 0) {
        const batch = this.queued;
        this.queued = new Map();
        try {
          await this.db.query(WAKE_UP, [this.channel, [...batch.keys()], [...batch.values()]]);
          this.counts.sent += 1;
        } catch (error) {
          this.counts.failed += 1;
          this.log?.warn({ err: error, companies: batch.size }, 'could not wake the event followers; they read these events at their next poll');
        }
      }
    } finally {
      this.sending = undefined;
    }
  }
}
