import type { BillingSession, ChargeKind, LocalizedText } from './billing.port';

/**
 * Reads of the billing system's charges by service month (the month a charge is for, whatever day it was posted).
 * Months are 'YYYY-MM'; `before` is the first month not yet over (the current one), so only ended months count.
 * Amounts are tiyn, VAT included.
 */

/** One line of what was rendered on an account in a month: a kind, with its tariff or service, summed. */
export interface ChargeLine {
  kind: ChargeKind;
  tariff: LocalizedText | null;
  service: LocalizedText | null;
  quantity: bigint;
  amount: bigint;
}

/** One number's charges for a month, split as the appendix shows them; msisdn null for charges of the account itself. */
export interface NumberCharges {
  msisdn: string | null;
  tariff: LocalizedText | null;
  fees: bigint;
  services: bigint;
  usage: bigint;
  total: bigint;
}

/** One account's charges for one service month. */
export interface AccountMonthCharges {
  accountId: number;
  accountNo: string;
  paymentMethod: 'ADVANCE' | 'CREDIT';
  month: string;
  gross: bigint;
}

const monthStart = (month: string) => `${month}-01`;

/** For each account, the ended months that have charges, newest first (an account with none maps to []). */
export async function chargeMonthsByAccount(db: BillingSession, accountIds: readonly number[], before: string): Promise<Map<number, string[]>> {
  const rows = await db.query<{ accountId: number; months: string[] }>(
    `SELECT account_id AS "accountId", array_agg(DISTINCT to_char(service_month, 'YYYY-MM') ORDER BY to_char(service_month, 'YYYY-MM') DESC) AS months
     FROM billing.payments WHERE account_id = ANY($1) AND type = 'CHARGE' AND service_month < $2::date
     GROUP BY account_id`,
    [accountIds, monthStart(before)],
  );
  const byAccount = new Map<number, string[]>(accountIds.map((id) => [id, []]));
  for (const row of rows) byAccount.set(row.accountId, row.months);
  return byAccount;
}

/** For each company, the ended months in which any of its accounts has charges, newest first. */
export async function chargeMonthsByCompany(db: BillingSession, companyIds: readonly number[], before: string): Promise<Map<number, string[]>> {
  const rows = await db.query<{ companyId: number; months: string[] }>(
    `SELECT a.company_id AS "companyId", array_agg(DISTINCT to_char(p.service_month, 'YYYY-MM') ORDER BY to_char(p.service_month, 'YYYY-MM') DESC) AS months
     FROM billing.accounts a JOIN billing.payments p ON p.account_id = a.id
     WHERE a.company_id = ANY($1) AND p.type = 'CHARGE' AND p.service_month < $2::date
     GROUP BY a.company_id`,
    [companyIds, monthStart(before)],
  );
  const byCompany = new Map<number, string[]>(companyIds.map((id) => [id, []]));
  for (const row of rows) byCompany.set(row.companyId, row.months);
  return byCompany;
}

/** What was rendered on the account in the month: one line per kind and tariff or service, fees first, then usage. */
export async function chargeLines(db: BillingSession, accountId: number, month: string): Promise<ChargeLine[]> {
  const rows = await db.query<{ kind: ChargeKind; tariff: LocalizedText | null; service: LocalizedText | null; quantity: string; amount: string }>(
    `SELECT p.charge_kind AS kind, t.name AS tariff, s.name AS service, sum(p.quantity)::text AS quantity, (-sum(p.amount))::text AS amount
     FROM billing.payments p LEFT JOIN billing.tariffs t ON t.id = p.tariff_id LEFT JOIN billing.services s ON s.id = p.service_id
     WHERE p.account_id = $1 AND p.type = 'CHARGE' AND p.service_month = $2::date
     GROUP BY p.charge_kind, t.id, s.id
     ORDER BY p.charge_kind, t.name->>'en', s.name->>'en'`,
    [accountId, monthStart(month)],
  );
  return rows.map((r) => ({ kind: r.kind, tariff: r.tariff, service: r.service, quantity: BigInt(r.quantity), amount: BigInt(r.amount) }));
}

/**
 * The same charges per number: each number charged in the month (whatever account it is on now) with its fees,
 * services and usage; the account's own charges, if any, last.
 */
export async function chargesPerNumber(db: BillingSession, accountId: number, month: string): Promise<NumberCharges[]> {
  const rows = await db.query<{ msisdn: string | null; tariff: LocalizedText | null; fees: string; services: string; usage: string; total: string }>(
    `SELECT n.msisdn, t.name AS tariff,
       (-coalesce(sum(p.amount) FILTER (WHERE p.charge_kind = 'TARIFF_FEE'), 0))::text AS fees,
       (-coalesce(sum(p.amount) FILTER (WHERE p.charge_kind = 'SERVICE_FEE'), 0))::text AS services,
       (-coalesce(sum(p.amount) FILTER (WHERE p.charge_kind NOT IN ('TARIFF_FEE', 'SERVICE_FEE')), 0))::text AS usage,
       (-sum(p.amount))::text AS total
     FROM billing.payments p LEFT JOIN billing.numbers n ON n.id = p.number_id LEFT JOIN billing.tariffs t ON t.id = n.tariff_id
     WHERE p.account_id = $1 AND p.type = 'CHARGE' AND p.service_month = $2::date
     GROUP BY n.id, t.id
     ORDER BY n.msisdn NULLS LAST`,
    [accountId, monthStart(month)],
  );
  return rows.map((r) => ({
    msisdn: r.msisdn,
    tariff: r.tariff,
    fees: BigInt(r.fees),
    services: BigInt(r.services),
    usage: BigInt(r.usage),
    total: BigInt(r.total),
  }));
}

/** The company's charges per account and service month over [from, to], by month then account number. */
export async function chargesByAccountMonth(db: BillingSession, companyId: number, from: string, to: string): Promise<AccountMonthCharges[]> {
  const rows = await db.query<{ accountId: number; accountNo: string; paymentMethod: 'ADVANCE' | 'CREDIT'; month: string; gross: string }>(
    `SELECT a.id AS "accountId", a.account_no AS "accountNo", a.payment_method AS "paymentMethod",
       to_char(p.service_month, 'YYYY-MM') AS month, (-sum(p.amount))::text AS gross
     FROM billing.accounts a JOIN billing.payments p ON p.account_id = a.id
     WHERE a.company_id = $1 AND p.type = 'CHARGE' AND p.service_month BETWEEN $2::date AND $3::date
     GROUP BY a.id, p.service_month
     ORDER BY p.service_month, a.account_no`,
    [companyId, monthStart(from), monthStart(to)],
  );
  return rows.map((r) => ({ ...r, gross: BigInt(r.gross) }));
}
