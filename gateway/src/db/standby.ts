import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../core/errors';
import { prepareStatementsOn, type StandbyReads } from '../core/db';
import type { Logger } from '../core/logger';
import type { Principal } from '../core/principal';

/** How often the standby's replay position (and the primary's, for the lag) is read. */
export const STANDBY_POLL_MS = 50;
/** How often an unreachable standby is tried again. */
const STANDBY_RETRY_MS = 1000;
/** How long a look at either server may take before the standby counts as unreachable. */
const WATCH_TIMEOUT_MS = 1000;
/** How long a query waits for a connection of the standby's pool before it reads from the primary instead. */
const READ_CONNECTION_TIMEOUT_MS = 2000;

/** A `pg_lsn` (`16/B374D848`) as the byte position it names. */
export function lsnBytes(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** What the standby is as last seen; reads go to it only while `streaming`. */
export type StandbyState = 'starting' | 'streaming' | 'behind' | 'unreachable' | 'not a standby' | 'another cluster';

const CHANGES: Record<StandbyState, string> = {
  starting: '',
  streaming: 'reads go to the standby',
  behind: 'reads go to the primary: the standby is behind by more than DATABASE_READ_MAX_LAG_SECONDS',
  unreachable: 'reads go to the primary: the standby cannot be reached',
  'not a standby': 'reads go to the primary: DATABASE_READ_URL is not in recovery (promoted, or not a standby)',
  'another cluster': 'reads go to the primary: DATABASE_READ_URL is a standby of another cluster than DATABASE_URL',
};

/** One connection of its own to a server, made again after any failure (a stuck one is cut, not waited for). */
class Watch {
  private client: Client | undefined;

  constructor(
    private readonly url: string,
    private readonly name: string,
  ) {}

  async query<T>(sql: string): Promise<T> {
    if (!this.client) {
      const client = new Client({
        connectionString: this.url,
        application_name: this.name,
        connectionTimeoutMillis: WATCH_TIMEOUT_MS,
        query_timeout: WATCH_TIMEOUT_MS,
        keepAlive: true,
      });
      client.on('error', () => this.drop(client));
      this.client = client;
      try {
        await client.connect();
      } catch (error) {
        this.drop(client);
        throw error;
      }
    }
    const client = this.client;
    try {
      return (await client.query(sql)).rows[0] as T;
    } catch (error) {
      this.drop(client);
      throw error;
    }
  }

  close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    return client ? client.end().catch(() => {}) : Promise.resolve();
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => {});
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

export interface StandbyOptions {
  primaryUrl: string;
  standbyUrl: string;
  poolSize: number;
  maxLagSeconds: number;
  log: Logger;
  pollMs?: number;
  /** Whether its connections prepare statements (DATABASE_PREPARED_STATEMENTS); they do unless false. */
  preparedStatements?: boolean;
}

/**
 * A streaming standby of the primary for the reads of GraphQL queries (DATABASE_READ_URL). A timer reads its
 * `pg_last_wal_replay_lsn()` every 50 ms; replay only moves forward, so the last value read is a safe lower bound
 * of what it holds. The same timer reads the primary's `pg_current_wal_flush_lsn()`: the standby is behind by
 * the age of the oldest position of the primary it has not replayed yet, on this process's one clock.
 * A query reads from it while it is reachable, in recovery and within DATABASE_READ_MAX_LAG_SECONDS, and only
 * once it has replayed past the caller's own last change (`Principal.writeLsn`).
 */
export class Standby implements StandbyReads {
  readonly dataSource: DataSource;
  private state: StandbyState = 'starting';
  private replayed: bigint | null = null;
  /** The primary's flushed positions, oldest first, each with when it was read; only those past `replayed` are kept. */
  private samples: { at: number; lsn: bigint }[] = [];
  private lag = 0;
  private readonly standbyWatch: Watch;
  private readonly primaryWatch: Watch;
  private clusterChecked = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;
  private readonly refusedStatements = new Set<string>();

  private constructor(private readonly options: StandbyOptions) {
    this.dataSource = new DataSource({
      type: 'postgres',
      url: options.standbyUrl,
      entities: [],
      installExtensions: false,
      synchronize: false,
      logging: false,
      applicationName: 'cabinet-gateway-reads',
      extra: { max: options.poolSize, connectionTimeoutMillis: READ_CONNECTION_TIMEOUT_MS },
    });
    if (options.preparedStatements !== false) prepareStatementsOn(this.dataSource);
    this.standbyWatch = new Watch(options.standbyUrl, 'cabinet-standby-watch');
    this.primaryWatch = new Watch(options.primaryUrl, 'cabinet-standby-watch');
  }

  /** Starts watching; reads go to the primary until the first look finds the standby streaming (an unreachable one is no error). */
  static async start(options: StandbyOptions): Promise<Standby> {
    const standby = new Standby(options);
    await standby.poll();
    standby.schedule();
    return standby;
  }

  /** Whether a query of `principal` may read from the standby now. */
  serves(principal: Principal): boolean {
    if (this.state !== 'streaming' || this.replayed === null) return false;
    const written = principal.kind === 'anonymous' ? null : (principal.writeLsn ?? null);
    return written === null || this.replayed >= lsnBytes(written);
  }

  /** As last seen: the state, seconds behind the primary, and the replay position. */
  status(): { state: StandbyState; lagSeconds: number; replayed: bigint | null } {
    return { state: this.state, lagSeconds: this.lag, replayed: this.replayed };
  }

  failed(error: unknown, sql: string): void {
    if (isDatabaseUnavailable(error)) {
      this.change('unreachable', { err: error });
      return;
    }
    const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
    if (code === '40001' || code === '40P01') {
      this.options.log.debug({ err: error }, 'a statement on the standby was cancelled by replay: it runs on the primary');
      return;
    }
    // A query's statement that writes or needs the primary: it works, on the primary; said once per statement.
    if (this.refusedStatements.size < 100 && !this.refusedStatements.has(sql)) {
      this.refusedStatements.add(sql);
      this.options.log.warn({ err: error, sql: sql.slice(0, 300) }, 'the standby refused a statement of a query: it runs on the primary');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all([this.standbyWatch.close(), this.primaryWatch.close()]);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private schedule(): void {
    if (this.closed) return;
    const wait = this.state === 'unreachable' ? STANDBY_RETRY_MS : (this.options.pollMs ?? STANDBY_POLL_MS);
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }, wait);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const at = Date.now();
    const [standby, primary] = await Promise.allSettled([
      this.standbyWatch.query<{ recovery: boolean; replayed: string | null }>(
        `SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replayed`,
      ),
      this.primaryWatch.query<{ flushed: string }>(`SELECT pg_current_wal_flush_lsn()::text AS flushed`),
    ]);
    if (this.closed) return;
    if (primary.status === 'fulfilled') {
      const lsn = lsnBytes(primary.value.flushed);
      // Of equal positions the first read is the one that counts: the later ones add nothing.
      if ((this.samples.at(-1)?.lsn ?? -1n) < lsn) this.samples.push({ at, lsn });
    }
    if (this.state === 'another cluster') return;
    if (standby.status === 'rejected') return this.change('unreachable', { err: standby.reason });
    if (!standby.value.recovery || standby.value.replayed === null) return this.change('not a standby');
    const replayed = lsnBytes(standby.value.replayed);
    if (this.replayed === null || replayed > this.replayed) this.replayed = replayed;
    while (this.samples.length > 0 && this.samples[0].lsn <= this.replayed) this.samples.shift();
    // Past the limit, the oldest unreplayed position is enough to know it: the ones before it are dropped.
    const limitMs = this.options.maxLagSeconds * 1000;
    while (this.samples.length > 2 && this.samples[1].at < at - limitMs - 1000) this.samples.shift();
    this.lag = this.samples.length > 0 ? (Date.now() - this.samples[0].at) / 1000 : 0;
    if (!(await this.ready())) return;
    this.change(this.lag > this.options.maxLagSeconds ? 'behind' : 'streaming');
  }

  /** The read pool open and the standby known to replicate DATABASE_URL's cluster; false while either is not. */
  private async ready(): Promise<boolean> {
    try {
      if (!this.clusterChecked) {
        const system = `SELECT system_identifier::text AS id FROM pg_control_system()`;
        const [ours, theirs] = await Promise.all([this.primaryWatch.query<{ id: string }>(system), this.standbyWatch.query<{ id: string }>(system)]).catch(
          (error: unknown) => {
            // A role that may not read the control file: the check is skipped, not the standby.
            if ((error as { code?: string }).code !== '42501') throw error;
            this.options.log.warn({ err: error }, 'cannot tell whether DATABASE_READ_URL replicates DATABASE_URL: pg_control_system() is not granted');
            return [undefined, undefined];
          },
        );
        if (ours?.id !== theirs?.id) {
          this.change('another cluster', { primary: ours?.id, standby: theirs?.id });
          return false;
        }
        this.clusterChecked = true;
      }
      if (!this.dataSource.isInitialized) await this.dataSource.initialize();
      return true;
    } catch (error) {
      this.change('unreachable', { err: error });
      return false;
    }
  }

  private change(state: StandbyState, details: Record<string, unknown> = {}): void {
    if (state === this.state) return;
    this.state = state;
    const line = { ...details, standby: state, lagSeconds: Math.round(this.lag * 10) / 10 };
    if (state === 'streaming') this.options.log.info(line, CHANGES[state]);
    else this.options.log.warn(line, CHANGES[state]);
  }
}
