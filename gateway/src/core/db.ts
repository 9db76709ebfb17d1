import { DataSource, type QueryRunner } from 'typeorm';

/**
 * Anything that runs SQL with positional parameters and resolves with its rows: a TypeORM `DataSource`, `EntityManager`
 * or query runner, a `RequestDb`. The rows are untyped, as the driver gives them: callers name what they select.
 */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any statement; the caller types them
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/**
 * Every SQL statement of one request goes through here, so it can be counted. Rows come back for every
 * statement, UPDATE … RETURNING included (TypeORM's plain `query` returns `[rows, count]` for those).
 */
export class RequestDb {
  constructor(
    private readonly source: DataSource | QueryRunner,
    private readonly counter = { statements: 0 },
  ) {}

  get statements(): number {
    return this.counter.statements;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.counter.statements += 1;
    if (!(this.source instanceof DataSource)) return (await this.source.query(sql, params, true)).records as T[];
    const runner = this.source.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      await runner.release();
    }
  }

  /** The same counter over a transaction's query runner. */
  on(runner: QueryRunner): RequestDb {
    return new RequestDb(runner, this.counter);
  }
}

/** Whether a statement failed on the unique index `index` (TypeORM wraps the driver's error in `driverError`). */
export function isUniqueViolation(error: unknown, index: string): boolean {
  const e = error as { constraint?: string; driverError?: { constraint?: string } } | null;
  return e?.driverError?.constraint === index || e?.constraint === index;
}
