import { DataSource, type QueryRunner } from 'typeorm';
import { isDatabaseUnavailable } from './errors';

/**
 * Anything that runs SQL with positional parameters and resolves with its rows: a TypeORM `DataSource`, `EntityManager`
 * or query runner, a `RequestDb`. The rows are untyped, as the driver gives them: callers name what they select.
 */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any statement; the caller types them
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/**
 * A standby's pool that a query's reads may use instead of the primary's, and who hears when it fails one
 * (see `RequestDb.readingFrom`).
 */
export interface StandbyReads {
  readonly dataSource: DataSource;
  /**
   * Told of a statement the standby did not run: the server could not be reached, cancelled it (a conflict with
   * the WAL it replays) or refused it as a write. The statement and the rest of the request then run on the primary.
   */
  failed(error: unknown, sql: string): void;
}

/** SQLSTATEs of a statement a standby refuses but the primary runs: a write, a conflict with replay, a function of primaries only. */
const STANDBY_REFUSALS = new Set(['25006', '40001', '40P01', '55000']);

/** Whether a statement that failed on the standby is to run on the primary instead (a statement's own error fails there too: it is not). */
function refusedByStandby(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return (typeof code === 'string' && STANDBY_REFUSALS.has(code)) || isDatabaseUnavailable(error);
}

/**
 * Every SQL statement of one request goes through here, so it can be counted. Rows come back for every
 * statement, UPDATE … RETURNING included (TypeORM's plain `query` returns `[rows, count]` for those).
 *
 * A query's statements may read from a standby (`readingFrom`); `primary` is the same request's way to the primary
 * then, for what writes and for what must see every committed change. A statement the standby fails for want of the
 * server, or refuses, runs again on the primary, and so does the rest of the request: callers see no error.
 */
export class RequestDb {
  private standby: StandbyReads | undefined;

  constructor(
    private source: DataSource | QueryRunner,
    private readonly counter = { statements: 0 },
    private readonly writer?: RequestDb,
  ) {}

  get statements(): number {
    return this.counter.statements;
  }

  /** The request's statements on the primary: itself unless it reads from a standby. */
  get primary(): RequestDb {
    return this.writer ?? this;
  }

  /** Where its statements read: `standby` while they go to one (none of them has had to go to the primary instead). */
  get readsFrom(): 'primary' | 'standby' {
    return this.standby ? 'standby' : 'primary';
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.counter.statements += 1;
    const standby = this.standby;
    if (!standby) return this.run<T>(sql, params);
    try {
      return await this.run<T>(sql, params);
    } catch (error) {
      if (!refusedByStandby(error)) throw error;
      // Statements of one request run side by side: the first to fail tells the standby and moves the rest over.
      if (this.standby === standby) {
        standby.failed(error, sql);
        this.fallBack();
      }
      // The same statement again, not another one: counted once.
      return this.writer!.run<T>(sql, params);
    }
  }

  /** The data source its statements run on, and the query runner when they run on one (a transaction's). */
  get connection(): { dataSource: DataSource; runner: QueryRunner | undefined } {
    const source = this.source;
    return source instanceof DataSource ? { dataSource: source, runner: undefined } : { dataSource: source.dataSource, runner: source };
  }

  /** The same counter over a transaction's query runner. */
  on(runner: QueryRunner): RequestDb {
    return new RequestDb(runner, this.counter);
  }

  /** The same counter, with reads from the standby and `primary` for the rest. */
  readingFrom(standby: StandbyReads): RequestDb {
    const reads = new RequestDb(standby.dataSource, this.counter, this.primary);
    reads.standby = standby;
    return reads;
  }

  private fallBack(): void {
    this.standby = undefined;
    this.source = this.writer!.source;
  }

  private async run<T>(sql: string, params: unknown[]): Promise<T[]> {
    const source = this.source;
    if (!(source instanceof DataSource)) return (await source.query(sql, params, true)).records as T[];
    const runner = source.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      await runner.release();
    }
  }
}

/** Whether a statement failed on the unique index `index` (TypeORM wraps the driver's error in `driverError`). */
export function isUniqueViolation(error: unknown, index: string): boolean {
  const e = error as { constraint?: string; driverError?: { constraint?: string } } | null;
  return e?.driverError?.constraint === index || e?.constraint === index;
}
