import type { Pool } from 'pg';
import { DataSource, QueryFailedError, type QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { isDatabaseUnavailable } from './errors';

/** Data sources whose pools keep prepared statements: connections of their own to PostgreSQL, not a transaction pooler's. */
const preparing = new WeakSet<DataSource>();

/**
 * Lets the statements with parameters run on the data source's pool be prepared once per connection and executed by
 * name after: PostgreSQL then parses and plans each of them once instead of on every request (a number profile's
 * statements spent more in parsing and planning than in running). Not for a pooler in transaction mode, whose
 * server connections change between statements and do not carry them (PgBouncer before 1.21).
 */
export function prepareStatementsOn(dataSource: DataSource): void {
  preparing.add(dataSource);
}

/**
 * The statements' names, one per text, shared by every pool of the process. The gateway's statements are constants
 * of its code, a few hundred; texts past the bound (built from a varying number of values, say) run unnamed.
 */
const statementNames = new Map<string, string | null>();
const MAX_PREPARED_STATEMENTS = 2000;

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) statementNames.set(sql, (name = `cabinet_${statementNames.size}`));
  return name ?? undefined;
}

/** SQLSTATE of a prepared statement whose plan a migration made stale ("cached plan must not change result type"). */
const STALE_PLAN = '0A000';

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
    // Statements without parameters go by the simple protocol, which a text of several statements needs.
    if (params.length > 0 && preparing.has(source)) return runPrepared<T>((source.driver as PostgresDriver).master as Pool, sql, params);
    const runner = source.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      await runner.release();
    }
  }
}

/** Runs a statement by its name on a connection of the pool, failing as TypeORM's own query fails (`QueryFailedError`). */
async function runPrepared<T>(pool: Pool, sql: string, params: unknown[]): Promise<T[]> {
  const name = statementName(sql);
  try {
    return (await pool.query({ name, text: sql, values: params })).rows as T[];
  } catch (error) {
    if (name === undefined || (error as { code?: unknown }).code !== STALE_PLAN) throw new QueryFailedError(sql, params, error as Error);
  }
  // A table of the statement changed under a connection that had prepared it: the text runs unnamed from now on.
  statementNames.set(sql, null);
  try {
    return (await pool.query({ text: sql, values: params })).rows as T[];
  } catch (error) {
    throw new QueryFailedError(sql, params, error as Error);
  }
}

/** Whether a statement failed on the unique index `index` (TypeORM wraps the driver's error in `driverError`). */
export function isUniqueViolation(error: unknown, index: string): boolean {
  const e = error as { constraint?: string; driverError?: { constraint?: string } } | null;
  return e?.driverError?.constraint === index || e?.constraint === index;
}

/**
 * `runner` as the job queue's connection (pg-boss's `db` option): a job sent through it is written in the runner's
 * transaction, so it exists exactly when what the transaction records does.
 */
export function asJobDb(runner: SqlRunner): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return { executeSql: async (text, values) => ({ rows: await runner.query(text, values ?? []) }) };
}
