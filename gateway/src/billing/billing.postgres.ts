import { chargeLines, chargeMonthsByAccount, chargeMonthsByCompany, chargesByAccountMonth, chargesPerNumber } from './billing.charges';
import { cursorRows } from './billing.cursor';
import { createBillingSimulator } from './billing.simulator';
import type {
  AccountRow,
  BillingPort,
  BillingReads,
  BillingSession,
  CompanyRow,
  DocumentSubjectRow,
  NumberFactsRow,
  NumberFilter,
  NumberPart,
  NumberParts,
  NumberPartsRequest,
  NumberListLine,
  NumberPageRow,
  NumberWithAccountRow,
  NumberRow,
  NumberServiceRow,
  PaymentLine,
  PaymentRow,
  PaymentSelection,
  ReconciliationLine,
  ReconciliationSums,
  ServiceRow,
  SimCodesRow,
  StockSimCardRow,
  TariffChoiceRow,
  TariffRow,
  UsageLine,
  UsageRow,
  UsageSelection,
  UsageTotals,
  UsageTotalsRow,
} from './billing.port';

/**
 * Integer keys as the `$n` parameter of `= ANY(...)`: one key as an array of one parameter. PostgreSQL plans an array
 * parameter as if it held ten elements, so the plan it could keep for a prepared statement looks dearer than the one
 * it makes for the actual single key, and it plans the statement anew on every execution; an array of one it plans as
 * one, once. `value` is what the parameter is given.
 */
function integerKeys(n: number, keys: readonly number[]): { sql: string; value: unknown } {
  return keys.length === 1 ? { sql: `ARRAY[$${n}::int]`, value: keys[0] } : { sql: `$${n}`, value: keys };
}

/** `rows` by the key in their column `key`, in the order of `keys`: the first row of each or null (`one`), or all of them. */
function groupRows(rows: readonly Record<string, unknown>[], keys: readonly (number | string)[], key: string, one: boolean): unknown[] {
  const found = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const k = String(row[key]);
    const list = found.get(k);
    if (list) list.push(row);
    else found.set(k, [row]);
  }
  return keys.map((k) => (one ? (found.get(String(k))?.[0] ?? null) : (found.get(String(k)) ?? [])));
}

/** The rows of `sql`, whose `ANY($1)` takes `keys`, and `params` as `$2`…: the statement `integerKeys` plans once for one integer key. */
function keyedRows<R>(db: BillingSession, sql: string, keys: readonly (number | string)[], params: unknown[]): Promise<R[]> {
  if (keys.length !== 1 || typeof keys[0] !== 'number') return db.query<R>(sql, [keys, ...params]);
  const k = integerKeys(1, keys as readonly number[]);
  return db.query<R>(sql.replace('ANY($1)', `ANY(${k.sql})`), [k.value, ...params]);
}

/** One row per key: `sql` selects rows with `<column> = ANY($1)` and returns `key` in each; one statement, key order, null for missing. */
async function byKey<K extends number | string, R extends Record<string, unknown>>(
  db: BillingSession,
  sql: string,
  keys: readonly K[],
  key: keyof R & string,
  params: unknown[] = [],
): Promise<(R | null)[]> {
  return groupRows(await keyedRows<R>(db, sql, keys, params), keys, key, true) as (R | null)[];
}

/** Many rows per key, in the order the SQL returns them; `[]` for a key with none. */
async function groupedByKey<K extends number | string, R extends Record<string, unknown>>(
  db: BillingSession,
  sql: string,
  keys: readonly K[],
  key: keyof R & string,
  params: unknown[] = [],
): Promise<R[][]> {
  return groupRows(await keyedRows<R>(db, sql, keys, params), keys, key, false) as R[][];
}

const NUMBER = `SELECT id, msisdn, company_id AS "companyId", account_id AS "accountId", tariff_id AS "tariffId", state,
  state_changed_at AS "stateChangedAt", balance::text, available_funds::text AS "availableFunds",
  individual_limit::text AS "individualLimit", registration_form AS "registrationForm", is_m2m AS "isM2m",
  roaming_debt::text AS "roamingDebt", sms_ussd_ban AS "smsUssdBan", last_imei AS "lastImei"
  FROM billing.numbers`;

const FACTS = `SELECT id, msisdn, company_id AS "companyId", tariff_id AS "tariffId", state, last_imei AS "lastImei" FROM billing.numbers`;

/** Searches of this many digits and more (short of a whole number) walk the fragments' index, `billing.numbers_containing`. */
const FRAGMENT_SEARCH_DIGITS = 4;

/**
 * The statement of one page of a company's numbers, `select` the columns: keyset on the MSISDN, the search and state
 * filtered. The page's size is written into the text: PostgreSQL plans a `LIMIT` parameter as a tenth of the
 * company's numbers, so the plan it could keep for a prepared statement looks dearer than the one it makes for the
 * actual size, and it would plan the page anew on every request; a page size it knows, it plans once.
 */
function numberPageQuery(select: string, f: NumberFilter): { sql: string; params: unknown[] } {
  if (!Number.isSafeInteger(f.limit) || f.limit < 0) throw new RangeError(`a page of numbers has a size, not ${f.limit}`);
  const params: unknown[] = [f.companyId];
  const where = ['company_id = $1'];
  if (f.search !== null && f.search.length >= FRAGMENT_SEARCH_DIGITS && f.search.length < 11) {
    // The page's IDs, found in number order by the fragments' index (an array: the rows are then read by their key).
    params.push(f.search, f.state, f.afterMsisdn);
    const [digits, state, after] = [params.length - 2, params.length - 1, params.length];
    where.push(`id = ANY(ARRAY(SELECT billing.numbers_containing($1, $${digits}, $${state}::billing.number_state, $${after}::text, ${f.limit})))`);
  } else if (f.search !== null) {
    params.push(f.search.length === 11 ? f.search : `%${f.search}%`);
    where.push(f.search.length === 11 ? `msisdn = $${params.length}` : `msisdn LIKE $${params.length}`);
  }
  if (f.state !== null) {
    params.push(f.state);
    where.push(`state = $${params.length}`);
  }
  if (f.afterMsisdn !== null) {
    params.push(f.afterMsisdn);
    where.push(`msisdn > $${params.length}`);
  }
  return { sql: `${select} WHERE ${where.join(' AND ')} ORDER BY msisdn LIMIT ${f.limit}`, params };
}

/** One page of a company's numbers, `select` the columns (see `numberPageQuery`). */
function numberPage<R>(db: BillingSession, select: string, f: NumberFilter): Promise<R[]> {
  const { sql, params } = numberPageQuery(select, f);
  return db.query<R>(sql, params);
}

const COMPANY = `SELECT id, bin, name, parent_id AS "parentId" FROM billing.companies`;
const ACCOUNT = `SELECT id, company_id AS "companyId", account_no AS "accountNo", payment_method AS "paymentMethod",
  credit_limit::text AS "creditLimit" FROM billing.accounts`;

const TARIFF = `SELECT id, code, name, monthly_fee::text AS "monthlyFee" FROM billing.tariffs`;

/** The account and the tariff of the number `n` of a statement, as JSON of the columns `accounts` and `tariffs` give. */
const ACCOUNT_OF_N = `(SELECT to_jsonb(a) FROM (${ACCOUNT} WHERE id = n."accountId") a)`;
const TARIFF_OF_N = `(SELECT to_jsonb(t) FROM (${TARIFF} WHERE id = n."tariffId") t)`;

/**
 * A page of numbers with the accounts and tariffs they name, as `accounts` and `tariffs` give them, in one statement:
 * their columns are integers, text and JSON, which `to_jsonb` gives back as the driver parses them. Each account and
 * tariff comes once, with the first row that names it: a page's 50 numbers share a few, and the driver parsed the same
 * JSON into a new object for every row.
 */
function numberPageWithAccounts(db: BillingSession, f: NumberFilter): Promise<NumberPageRow[]> {
  const { sql, params } = numberPageQuery(NUMBER, f);
  const first = (column: string) => `row_number() OVER (PARTITION BY n."${column}" ORDER BY n.msisdn) = 1`;
  return db.query<NumberPageRow>(
    `SELECT n.*, CASE WHEN ${first('accountId')} THEN ${ACCOUNT_OF_N} END AS account, CASE WHEN ${first('tariffId')} THEN ${TARIFF_OF_N} END AS tariff
     FROM (${sql}) n ORDER BY n.msisdn`,
    params,
  );
}

const SERVICE = `s.id, s.code, s.category, s.name, s.description, s.monthly_fee::text AS "monthlyFee", s.info_url AS "infoUrl"`;

/**
 * The reads `numberParts` answers together. Each is `SELECT <columns> FROM <from> ORDER BY <order>` with its keys as
 * `<keys>` in `from`; `key` names the column a row's key is in, `one` says a key has one row at most, and `dates` are
 * the columns JSON carries as text which the driver gives as `Date`.
 */
const PARTS: {
  [P in NumberPart]: { columns: string; from: (keys: string) => string; order: string; key: string; one: boolean; dates: string[] };
} = {
  simCards: {
    columns: `number_id AS "numberId", iccid, installed_at AS "installedAt", replaced_at AS "replacedAt"`,
    from: (keys) => `billing.sim_cards WHERE number_id = ANY(${keys}) AND retired_at IS NULL`,
    order: 'number_id',
    key: 'numberId',
    one: true,
    dates: ['installedAt', 'replacedAt'],
  },
  devices: {
    columns: `number_id AS "numberId", imei, registered_at AS "registeredAt"`,
    from: (keys) => `billing.registered_devices WHERE number_id = ANY(${keys})`,
    order: 'registered_at, id',
    key: 'numberId',
    one: false,
    dates: ['registeredAt'],
  },
  forwardings: {
    columns: `number_id AS "numberId", condition, target, set_at AS "setAt"`,
    from: (keys) => `billing.call_forwardings WHERE number_id = ANY(${keys})`,
    order: 'condition',
    key: 'numberId',
    one: false,
    dates: ['setAt'],
  },
  allowances: {
    columns: `number_id AS "numberId", kind, is_bonus AS "isBonus", unlimited, available::text, total::text, unit,
      to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"`,
    from: (keys) => `billing.allowances WHERE number_id = ANY(${keys})`,
    order: 'kind, valid_from, id',
    key: 'numberId',
    one: false,
    dates: [],
  },
  connectedServices: {
    columns: `c.number_id AS key, c.connected_at AS "connectedAt", ${SERVICE}`,
    from: (keys) => `billing.connected_services c JOIN billing.services s ON s.id = c.service_id WHERE c.number_id = ANY(${keys})`,
    order: 's.category, s.position, s.id',
    key: 'key',
    one: false,
    dates: ['connectedAt'],
  },
  tariffServices: {
    columns: `t.tariff_id AS key, ${SERVICE}`,
    from: (keys) => `billing.tariff_services t JOIN billing.services s ON s.id = t.service_id WHERE t.tariff_id = ANY(${keys})`,
    order: 's.category, s.position, s.id',
    key: 'key',
    one: false,
    dates: [],
  },
};

/** One of the parts by itself: its rows as the driver gives them, grouped by key in key order. */
async function partRows<P extends NumberPart>(db: BillingSession, part: P, keys: readonly number[]): Promise<NumberParts[P][]> {
  const { columns, from, order, key, one } = PARTS[part];
  const k = integerKeys(1, keys);
  const rows = await db.query<Record<string, unknown>>(`SELECT ${columns} FROM ${from(k.sql)} ORDER BY ${order}`, [k.value]);
  return groupRows(rows, keys, key, one) as NumberParts[P][];
}

/**
 * Several parts in one statement: each part's rows as one JSON array, in its order, in a column of the one row. JSON
 * carries what the driver parses — integers, text, booleans, the services' JSON — but for timestamps, given back as
 * `Date` as the driver gives them.
 */
async function numberParts(db: BillingSession, requests: readonly NumberPartsRequest[]): Promise<NumberParts[NumberPart][][]> {
  if (requests.length === 0) return [];
  const keys = requests.map((request, i) => integerKeys(i + 1, request.keys));
  const columns = requests.map(({ part }, i) => {
    const { columns, from, order } = PARTS[part];
    return `(SELECT coalesce(jsonb_agg(to_jsonb(r) - '#' ORDER BY r."#"), '[]')
      FROM (SELECT ${columns}, row_number() OVER (ORDER BY ${order}) AS "#" FROM ${from(keys[i].sql)}) r) AS "${i}"`;
  });
  const [row] = await db.query<Record<string, Record<string, unknown>[]>>(
    `SELECT ${columns.join(', ')}`,
    keys.map((k) => k.value),
  );
  return requests.map(({ part, keys }, i) => {
    const { key, one, dates } = PARTS[part];
    for (const r of row[i]) for (const column of dates) if (r[column] !== null) r[column] = new Date(r[column] as string);
    return groupRows(row[i], keys, key, one) as NumberParts[NumberPart][];
  });
}

/** The columns of `PaymentFacts`, for `billing.payments p` joined with `billing.tariffs pt` and `billing.services ps`. */
const PAYMENT_FACT_COLUMNS = `p.comment, to_char(p.service_month, 'YYYY-MM-DD') AS "serviceMonth", p.charge_kind AS "chargeKind",
  pt.name AS "tariffName", ps.name AS "serviceName", p.channel, p.reason, p.reference`;
const PAYMENT_FACT_JOINS = `LEFT JOIN billing.tariffs pt ON pt.id = p.tariff_id LEFT JOIN billing.services ps ON ps.id = p.service_id`;

const PAYMENT_COLUMNS = `p.id::text, p.number_id AS "numberId", p.account_id AS "accountId", a.account_no AS "accountNo", p.paid_at AS "paidAt",
  p.type, p.amount::text, p.balance_before::text AS "balanceBefore", p.balance_after::text AS "balanceAfter", ${PAYMENT_FACT_COLUMNS}`;

const IN_PERIOD = (column: string, from: string, to: string) =>
  `${column} >= (${from}::date)::timestamp AT TIME ZONE 'Asia/Almaty' AND ${column} < (${to}::date + 1)::timestamp AT TIME ZONE 'Asia/Almaty'`;

const PAYMENTS_IN_PAGE = `${IN_PERIOD('p.paid_at', '$2', '$3')}
  AND ($5::timestamptz IS NULL OR (p.paid_at, p.id) < ($5::timestamptz, $6::bigint))`;

/** The totals of a period; the itemized bill's totals and the documents' use the same sums. */
const USAGE_TOTALS = `count(*) FILTER (WHERE type = 'CALL')::int AS calls,
  coalesce(sum(duration_seconds) FILTER (WHERE type = 'CALL'), 0)::text AS "callSeconds",
  count(*) FILTER (WHERE type = 'SMS')::int AS sms,
  coalesce(sum(volume_kb) FILTER (WHERE type = 'DATA'), 0)::text AS "dataKb",
  coalesce(sum(cost), 0)::text AS cost,
  count(*)::int AS records`;

const USAGE_SELECTION = `number_id = $1 AND ${IN_PERIOD('started_at', '$2', '$3')} AND ($4::billing.usage_type IS NULL OR type = $4)`;
const usageParams = (of: UsageSelection) => [of.numberId, of.from, of.to, of.type];

function paymentSelection(of: PaymentSelection): { from: string; params: unknown[] } {
  if ('numberId' in of) {
    return {
      from: `FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id ${PAYMENT_FACT_JOINS}
        WHERE p.number_id = $1 AND ${IN_PERIOD('p.paid_at', '$2', '$3')}`,
      params: [of.numberId, of.from, of.to],
    };
  }
  return {
    from: `FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id ${PAYMENT_FACT_JOINS}
      WHERE a.company_id = $1 AND a.payment_method = 'CREDIT' AND ($4::int IS NULL OR a.id = $4) AND ${IN_PERIOD('p.paid_at', '$2', '$3')}`,
    params: [of.companyId, of.from, of.to, of.creditAccountId],
  };
}

/** A credit account keeps one balance, whichever number a charge is for; an advance number keeps its own. */
const CHAIN_NUMBER = `CASE WHEN a.payment_method = 'ADVANCE' THEN p.number_id END`;

/**
 * The company's balance at an instant: the sum, over every balance chain (an account's, or an Advance number's),
 * of the balance after its last movement before the instant, or before its first movement after it.
 */
const BALANCE_AT = (instant: string) => `SELECT coalesce(sum(balance), 0)::text AS balance FROM (
    SELECT DISTINCT ON (p.account_id, ${CHAIN_NUMBER}) CASE WHEN p.paid_at < ${instant} THEN p.balance_after ELSE p.balance_before END AS balance
    FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id
    WHERE a.company_id = $1
    ORDER BY p.account_id, ${CHAIN_NUMBER}, (p.paid_at < ${instant}) DESC,
      CASE WHEN p.paid_at < ${instant} THEN p.paid_at END DESC, CASE WHEN p.paid_at < ${instant} THEN p.id END DESC, p.paid_at, p.id
  ) chains`;

const PERIOD_START = `($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'`;
const PERIOD_END = `($3::date + 1)::timestamp AT TIME ZONE 'Asia/Almaty'`;

const SUBJECT = `c.id AS "companyId", c.name AS "companyName", c.bin AS "companyBin"`;

const arrays = (keys: readonly number[], byKey: Map<number, string[]>) => keys.map((k) => byKey.get(k) ?? []);

/** The shipped adapter: the `billing` schema of this database, read through the request's handle. */
export function createPostgresBillingReads(): BillingReads {
  return {
    numbers: (db, ids) => byKey<number, NumberRow>(db, `${NUMBER} WHERE id = ANY($1)`, ids, 'id'),
    numbersWithAccounts: (db, ids) =>
      byKey<number, NumberWithAccountRow>(
        db,
        `SELECT n.*, ${ACCOUNT_OF_N} AS account, ${TARIFF_OF_N} AS tariff FROM (${NUMBER} WHERE id = ANY($1)) n`,
        ids,
        'id',
      ),
    numbersByMsisdn: (db, msisdns) => byKey<string, NumberRow>(db, `${NUMBER} WHERE msisdn = ANY($1)`, msisdns, 'msisdn'),
    numberFacts: (db, ids) => byKey<number, NumberFactsRow>(db, `${FACTS} WHERE id = ANY($1)`, ids, 'id'),
    numberFactsByMsisdn: (db, msisdns) => byKey<string, NumberFactsRow>(db, `${FACTS} WHERE msisdn = ANY($1)`, msisdns, 'msisdn'),
    simCards: (db, numberIds) => partRows(db, 'simCards', numberIds),
    simCodes: (db, numberIds) =>
      byKey<number, SimCodesRow>(
        db,
        `SELECT number_id AS "numberId", iccid, pin1, pin2, puk1, puk2 FROM billing.sim_cards WHERE number_id = ANY($1) AND retired_at IS NULL`,
        numberIds,
        'numberId',
      ),
    devices: (db, numberIds) => partRows(db, 'devices', numberIds),
    forwardings: (db, numberIds) => partRows(db, 'forwardings', numberIds),
    tariffs: (db, ids) => byKey<number, TariffRow>(db, `${TARIFF} WHERE id = ANY($1)`, ids, 'id'),
    allowances: (db, numberIds) => partRows(db, 'allowances', numberIds),
    connectedServices: (db, numberIds) => partRows(db, 'connectedServices', numberIds),
    tariffServices: (db, tariffIds) => partRows(db, 'tariffServices', tariffIds),
    numberParts,
    servicesByCode: (db, codes) => byKey<string, ServiceRow>(db, `SELECT ${SERVICE} FROM billing.services s WHERE s.code = ANY($1)`, codes, 'code'),
    async numberServices(db, keys) {
      const rows = await db.query<NumberServiceRow>(
        `SELECT n.id AS "numberId", s.id AS "serviceId", s.code,
           EXISTS (SELECT 1 FROM billing.tariff_services t WHERE t.tariff_id = n.tariff_id AND t.service_id = s.id) AS allowed,
           EXISTS (SELECT 1 FROM billing.connected_services c WHERE c.number_id = n.id AND c.service_id = s.id) AS connected
         FROM unnest($1::int[], $2::int[]) AS k(number_id, service_id)
           JOIN billing.numbers n ON n.id = k.number_id JOIN billing.services s ON s.id = k.service_id`,
        [keys.map((k) => k.numberId), keys.map((k) => k.serviceId)],
      );
      const found = new Map(rows.map((row) => [`${row.numberId}:${row.serviceId}`, row]));
      return keys.map((k) => found.get(`${k.numberId}:${k.serviceId}`) ?? null);
    },
    simCardsByIccid: (db, iccids) =>
      byKey<string, StockSimCardRow>(
        db,
        `SELECT iccid, number_id AS "numberId", retired_at AS "retiredAt" FROM billing.sim_cards WHERE iccid = ANY($1)`,
        iccids,
        'iccid',
      ),
    tariffChoices: (db, numberIds) =>
      groupedByKey<number, TariffChoiceRow>(
        db,
        `SELECT n.id AS "numberId", t.id, t.code, t.name, t.monthly_fee::text AS "monthlyFee"
         FROM billing.numbers n JOIN billing.company_tariffs c ON c.company_id = n.company_id JOIN billing.tariffs t ON t.id = c.tariff_id
         WHERE n.id = ANY($1) AND t.id <> n.tariff_id ORDER BY t.monthly_fee, t.id`,
        numberIds,
        'numberId',
      ),
    companies: (db, ids) => byKey<number, CompanyRow>(db, `${COMPANY} WHERE id = ANY($1)`, ids, 'id'),
    // A sandbox is no company of the operator's: it is never found by its BIN, so never granted to anyone.
    companiesByBin: (db, bins) => byKey<string, CompanyRow>(db, `${COMPANY} WHERE bin = ANY($1) AND sandbox_of IS NULL`, bins, 'bin'),
    branches: (db, parentIds) => groupedByKey<number, CompanyRow>(db, `${COMPANY} WHERE parent_id = ANY($1) ORDER BY name, id`, parentIds, 'parentId'),
    accounts: (db, ids) => byKey<number, AccountRow>(db, `${ACCOUNT} WHERE id = ANY($1)`, ids, 'id'),

    payments: (db, numberIds, page) =>
      groupedByKey<number, PaymentRow>(
        db,
        `SELECT * FROM (
           SELECT ${PAYMENT_COLUMNS}, row_number() OVER (PARTITION BY p.number_id ORDER BY p.paid_at DESC, p.id DESC) AS rn
           FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id ${PAYMENT_FACT_JOINS}
           WHERE p.number_id = ANY($1) AND a.payment_method = 'ADVANCE' AND ${PAYMENTS_IN_PAGE}
         ) p WHERE rn <= $4 ORDER BY "numberId", "paidAt" DESC, id DESC`,
        numberIds,
        'numberId',
        [page.from, page.to, page.limit, page.after?.[0] ?? null, page.after?.[1] ?? null],
      ),
    creditPayments: (db, companyIds, page) =>
      groupedByKey<number, PaymentRow & { companyId: number }>(
        db,
        `SELECT * FROM (
           SELECT ${PAYMENT_COLUMNS}, a.company_id AS "companyId",
             row_number() OVER (PARTITION BY a.company_id ORDER BY p.paid_at DESC, p.id DESC) AS rn
           FROM billing.accounts a JOIN billing.payments p ON p.account_id = a.id ${PAYMENT_FACT_JOINS}
           WHERE a.company_id = ANY($1) AND a.payment_method = 'CREDIT' AND ($7::int IS NULL OR a.id = $7) AND ${PAYMENTS_IN_PAGE}
         ) p WHERE rn <= $4 ORDER BY "companyId", "paidAt" DESC, id DESC`,
        companyIds,
        'companyId',
        [page.from, page.to, page.limit, page.after?.[0] ?? null, page.after?.[1] ?? null, page.accountId],
      ),
    usage: (db, numberIds, page) =>
      groupedByKey<number, UsageRow>(
        db,
        `SELECT * FROM (
           SELECT id::text, number_id AS "numberId", started_at AS "startedAt", type, direction, other_party AS "otherParty",
             duration_seconds AS "durationSeconds", volume_kb::text AS "volumeKb", cost::text,
             row_number() OVER (PARTITION BY number_id ORDER BY started_at DESC, id DESC) AS rn
           FROM billing.usage_records
           WHERE number_id = ANY($1) AND ${IN_PERIOD('started_at', '$2', '$3')}
             AND ($7::billing.usage_type IS NULL OR type = $7)
             AND ($5::timestamptz IS NULL OR (started_at, id) < ($5::timestamptz, $6::bigint))
         ) u WHERE rn <= $4 ORDER BY "numberId", "startedAt" DESC, id DESC`,
        numberIds,
        'numberId',
        [page.from, page.to, page.limit, page.after?.[0] ?? null, page.after?.[1] ?? null, page.type],
      ),
    usageTotals: (db, numberIds, period) =>
      byKey<number, UsageTotalsRow>(
        db,
        `SELECT number_id AS "numberId", ${USAGE_TOTALS}
         FROM billing.usage_records WHERE number_id = ANY($1) AND ${IN_PERIOD('started_at', '$2', '$3')}
         GROUP BY number_id`,
        numberIds,
        'numberId',
        [period.from, period.to],
      ),
    chargeMonthsByAccount: async (db, accountIds, before) => arrays(accountIds, await chargeMonthsByAccount(db, accountIds, before)),
    chargeMonthsByCompany: async (db, companyIds, before) => arrays(companyIds, await chargeMonthsByCompany(db, companyIds, before)),

    listNumbers: (db, f) => numberPage<NumberRow>(db, NUMBER, f),
    listNumbersWithAccounts: numberPageWithAccounts,
    listNumberFacts: (db, f) => numberPage<NumberFactsRow>(db, FACTS, f),
    listCompanies: (db, ids) => db.query<CompanyRow>(`${COMPANY} WHERE id = ANY($1) ORDER BY name, id`, [ids]),
    listAccounts: (db, companyId, limit, afterNo) =>
      db.query<AccountRow>(`${ACCOUNT} WHERE company_id = $1 AND ($2::text IS NULL OR account_no > $2) ORDER BY account_no LIMIT $3`, [
        companyId,
        afterNo,
        limit,
      ]),

    async documentSubject(db, of) {
      let rows: DocumentSubjectRow[];
      if ('numberId' in of) {
        rows = await db.query<DocumentSubjectRow>(
          `SELECT ${SUBJECT}, n.msisdn FROM billing.numbers n JOIN billing.companies c ON c.id = n.company_id WHERE n.id = $1`,
          [of.numberId],
        );
      } else if ('accountId' in of) {
        rows = await db.query<DocumentSubjectRow>(
          `SELECT ${SUBJECT}, a.account_no AS "accountNo", a.payment_method AS "paymentMethod"
           FROM billing.accounts a JOIN billing.companies c ON c.id = a.company_id WHERE a.id = $1 AND a.company_id = $2`,
          [of.accountId, of.companyId],
        );
      } else {
        rows = await db.query<DocumentSubjectRow>(`SELECT ${SUBJECT} FROM billing.companies c WHERE c.id = $1`, [of.companyId]);
      }
      return rows[0] ?? null;
    },
    async usageSummary(db, of) {
      const [totals] = await db.query<UsageTotals>(`SELECT ${USAGE_TOTALS} FROM billing.usage_records WHERE ${USAGE_SELECTION}`, usageParams(of));
      return totals;
    },
    usageLines: (db, of) =>
      cursorRows<UsageLine>(
        db,
        `SELECT started_at AS "startedAt", type, direction, other_party AS "otherParty", duration_seconds AS "durationSeconds",
           volume_kb::text AS "volumeKb", cost::text
         FROM billing.usage_records WHERE ${USAGE_SELECTION} ORDER BY started_at DESC, id DESC`,
        usageParams(of),
      ),
    async paymentSummary(db, of) {
      const { from, params } = paymentSelection(of);
      const [totals] = await db.query<{ received: string; charged: string }>(
        `SELECT coalesce(sum(p.amount) FILTER (WHERE p.amount > 0), 0)::text AS received,
           coalesce(sum(p.amount) FILTER (WHERE p.amount < 0), 0)::text AS charged ${from}`,
        params,
      );
      return totals;
    },
    paymentLines(db, of) {
      const { from, params } = paymentSelection(of);
      return cursorRows<PaymentLine>(
        db,
        `SELECT a.account_no AS "accountNo", p.paid_at AS "paidAt", p.type, ${PAYMENT_FACT_COLUMNS}, p.amount::text, p.balance_before::text AS before,
           p.balance_after::text AS after ${from} ORDER BY p.paid_at DESC, p.id DESC`,
        params,
      );
    },
    async numberCount(db, companyId) {
      const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM billing.numbers WHERE company_id = $1`, [companyId]);
      return count;
    },
    numberLines: (db, companyId) =>
      cursorRows<NumberListLine>(
        db,
        `SELECT n.msisdn, a.account_no AS "accountNo", a.payment_method AS method, t.name AS tariff, n.state,
           a.credit_limit::text AS "creditLimit", n.available_funds::text AS available, n.balance::text
         FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id JOIN billing.tariffs t ON t.id = n.tariff_id
         WHERE n.company_id = $1 ORDER BY n.msisdn`,
        [companyId],
      ),
    chargeLines,
    chargesPerNumber,
    chargesByAccountMonth,
    async reconciliationSums(db, companyId, period) {
      const [sums] = await db.query<ReconciliationSums>(
        `SELECT (${BALANCE_AT(PERIOD_START)}) AS opening, (${BALANCE_AT(PERIOD_END)}) AS closing,
           coalesce(-sum(p.amount) FILTER (WHERE p.amount < 0), 0)::text AS charged,
           coalesce(sum(p.amount) FILTER (WHERE p.amount > 0), 0)::text AS paid,
           count(DISTINCT (date_trunc('month', p.paid_at AT TIME ZONE 'Asia/Almaty'), a.account_no, p.type))::int AS lines
         FROM billing.accounts a JOIN billing.payments p ON p.account_id = a.id
         WHERE a.company_id = $1 AND p.paid_at >= ${PERIOD_START} AND p.paid_at < ${PERIOD_END}`,
        [companyId, period.from, period.to],
      );
      return sums;
    },
    reconciliationLines: (db, companyId, period) =>
      cursorRows<ReconciliationLine>(
        db,
        `SELECT to_char(date_trunc('month', p.paid_at AT TIME ZONE 'Asia/Almaty'), 'YYYY-MM') AS month, a.account_no AS "accountNo", p.type,
           coalesce(-sum(p.amount) FILTER (WHERE p.amount < 0), 0)::text AS charged,
           coalesce(sum(p.amount) FILTER (WHERE p.amount > 0), 0)::text AS paid
         FROM billing.accounts a JOIN billing.payments p ON p.account_id = a.id
         WHERE a.company_id = $1 AND p.paid_at >= ${PERIOD_START} AND p.paid_at < ${PERIOD_END}
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [companyId, period.from, period.to],
      ),

    async addSimCards(db, cards) {
      const inserted = await db.query<{ iccid: string }>(
        `INSERT INTO billing.sim_cards (iccid, pin1, pin2, puk1, puk2)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (iccid) DO NOTHING RETURNING iccid`,
        [cards.map((c) => c.iccid), cards.map((c) => c.pin1), cards.map((c) => c.pin2), cards.map((c) => c.puk1), cards.map((c) => c.puk2)],
      );
      return inserted.map((row) => row.iccid);
    },
    async holdNumber(db, numberId, from) {
      const held = await db.query(`UPDATE billing.numbers SET state = 'IN_PROCESS' WHERE id = $1 AND state = $2 RETURNING id`, [numberId, from]);
      return held.length > 0;
    },
    async releaseNumber(db, numberId, state, changed) {
      await db.query(`UPDATE billing.numbers SET state = $2, state_changed_at = CASE WHEN $3 THEN now() ELSE state_changed_at END WHERE id = $1`, [
        numberId,
        state,
        changed,
      ]);
    },
  };
}

/** The shipped billing system whole: these reads, and operations carried out by the simulator after `delayMs`. */
export function createPostgresBilling(delayMs: number): BillingPort {
  return { ...createPostgresBillingReads(), ...createBillingSimulator(delayMs) };
}
