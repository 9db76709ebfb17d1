import type { SqlRunner } from './seed';

/** Column name and the PostgreSQL type of its unnest() array. */
export type ColumnDef = readonly [name: string, type: string];

const DEFAULT_CHUNK = 10_000;

function toParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Inserts rows with one `INSERT ... SELECT FROM unnest(...)` per chunk: a single round trip and a single plan
 * per chunk, whatever the row count. Rows are arrays in column order.
 */
export async function insertRows(
  db: SqlRunner,
  table: string,
  columns: readonly ColumnDef[],
  rows: readonly (readonly unknown[])[],
  options: { returning?: string; chunkSize?: number } = {},
): Promise<Record<string, unknown>[]> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const returning = options.returning ? ` RETURNING ${options.returning}` : '';
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})${returning}`;
  const result: Record<string, unknown>[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const params = columns.map((_, i) => chunk.map((row) => toParam(row[i])));
    const inserted = await db.query(sql, params);
    if (options.returning) result.push(...inserted);
  }
  return result;
}

/** Maps a RETURNING result to key → id. */
export function idsBy(rows: readonly Record<string, unknown>[], key: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const row of rows) map.set(String(row[key]).trim(), Number(row.id));
  return map;
}

/** A row of `billing.numbers` as the seeds write it. */
export interface NumberSeedRow {
  msisdn: string;
  companyId: number | undefined;
  accountId: number | undefined;
  tariffId: number | undefined;
  state: string;
  stateChangedAt: Date;
  balance: number;
  availableFunds: number;
  individualLimit: number | null;
  registrationForm: string;
  isM2m: boolean;
  roamingDebt: number | null;
  smsUssdBan: boolean;
  lastImei: string | null;
}

const NUMBER_COLUMNS: readonly (readonly [keyof NumberSeedRow, ColumnDef])[] = [
  ['msisdn', ['msisdn', 'text']],
  ['companyId', ['company_id', 'int']],
  ['accountId', ['account_id', 'int']],
  ['tariffId', ['tariff_id', 'int']],
  ['state', ['state', 'billing.number_state']],
  ['stateChangedAt', ['state_changed_at', 'timestamptz']],
  ['balance', ['balance', 'bigint']],
  ['availableFunds', ['available_funds', 'bigint']],
  ['individualLimit', ['individual_limit', 'bigint']],
  ['registrationForm', ['registration_form', 'text']],
  ['isM2m', ['is_m2m', 'bool']],
  ['roamingDebt', ['roaming_debt', 'bigint']],
  ['smsUssdBan', ['sms_ussd_ban', 'bool']],
  ['lastImei', ['last_imei', 'text']],
];

/** Writes numbers of the demo and bulk seeds alike; returns msisdn → id. */
export async function insertNumberRows(db: SqlRunner, numbers: readonly NumberSeedRow[]): Promise<Map<string, number>> {
  const rows = await insertRows(
    db,
    'billing.numbers',
    NUMBER_COLUMNS.map(([, column]) => column),
    numbers.map((n) => NUMBER_COLUMNS.map(([field]) => n[field])),
    { returning: 'id, msisdn' },
  );
  return idsBy(rows, 'msisdn');
}
