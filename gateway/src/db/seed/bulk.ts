import type { AllowanceKind, NumberState, PaymentMethod } from '../../billing/billing.port';
import { Clock } from './calendar';
import { seedDemo } from './demo';
import { companyName } from './demo-plan';
import { TARIFF_WEIGHTS, TARIFFS } from './demo-data';
import { Random, randomBin, randomImei, randomPins, withLuhn } from './random';
import type { SqlRunner } from './seed';
import { idsBy, insertNumberRows, insertRows } from './sql';

export interface BulkSeedOptions {
  companies: number;
  /** Numbers per company. */
  numbers: number;
  seed?: number;
  now?: Date;
  onProgress?: (message: string) => void;
}

export interface BulkSeedResult {
  companyIds: number[];
}

/** Bulk MSISDNs live in 775/776/777, which the demo seed never uses, and continue after the previous run's last one. */
const MSISDN_FIRST = 77750000000;
const MSISDN_LAST = 77779999999;
const ACCOUNT_FIRST = 2600000000;
const ACCOUNT_LAST = 2699999999;
/** Issue digit 9 after the Kcell prefix, never drawn by the demo seed; an 11-digit counter follows. */
const ICCID_BULK_PREFIX = '89997029';
const NUMBERS_PER_ACCOUNT = 50;
const CHUNK = 10_000;
const DAY_MS = 86_400_000;

const BONUS_PRIORITY: readonly AllowanceKind[] = ['DATA', 'OFFNET_CALLS', 'SMS', 'ONNET_SMS', 'LANDLINE_CALLS', 'INTERNATIONAL_CALLS'];

interface Catalogue {
  tariffs: { id: number; code: string; weight: number; services: number[] }[];
  allowanceTemplate: string;
}

async function loadCatalogue(db: SqlRunner): Promise<Catalogue> {
  const tariffRows: { id: number; code: string }[] = await db.query(`SELECT id, code FROM billing.tariffs ORDER BY id`);
  const links: { tariff_id: number; service_id: number }[] = await db.query(
    `SELECT tariff_id, service_id FROM billing.tariff_services ORDER BY tariff_id, service_id`,
  );
  const weights = new Map<string, number>(TARIFF_WEIGHTS);
  const tariffs = tariffRows.map((t) => ({
    id: t.id,
    code: t.code,
    weight: weights.get(t.code) ?? 1,
    services: links.filter((l) => l.tariff_id === t.id).map((l) => l.service_id),
  }));
  if (tariffs.length === 0) throw new Error('The tariff catalogue is empty');
  // Only the plan's allowance and the two bonuses the cabinet shows first: every extra row per number costs a
  // foreign-key check, and the allowance table would otherwise dominate the seeding time.
  const template = tariffs.flatMap((t) => {
    const bonuses = [...(TARIFFS.find((f) => f.code === t.code)?.bonuses ?? [])]
      .sort((a, b) => BONUS_PRIORITY.indexOf(a.kind) - BONUS_PRIORITY.indexOf(b.kind))
      .slice(0, 2);
    return [
      { tariff_id: t.id, k: 0, kind: 'ONNET_CALLS', is_bonus: false, unlimited: true, total: null, unit: 'SECOND' },
      ...bonuses.map((b, i) => ({
        tariff_id: t.id,
        k: i + 1,
        kind: b.kind,
        is_bonus: true,
        unlimited: false,
        total: b.total,
        unit: b.unit,
      })),
    ];
  });
  return { tariffs, allowanceTemplate: JSON.stringify(template) };
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

async function maxOf(db: SqlRunner, sql: string, params: unknown[]): Promise<string | null> {
  const [row] = await db.query(sql, params);
  return row?.max == null ? null : String(row.max).trim();
}

/**
 * Large synthetic companies for benchmarks: `companies` new companies with `numbers` numbers each, every number
 * with an account (one per 50 numbers), a SIM card, allowances, a service or two and a little history. Seeds the
 * demo first if needed, since the catalogue comes from it.
 */
export async function seedBulk(db: SqlRunner, options: BulkSeedOptions): Promise<BulkSeedResult> {
  assertCount('companies', options.companies);
  assertCount('numbers', options.numbers);
  const progress = options.onProgress ?? (() => undefined);
  const now = options.now ?? new Date();
  // Concurrent runs would pick the same MSISDN, account and ICCID ranges; inside a transaction this serialises them.
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('cabinet.seed_bulk'))`);
  const demo = await db.query(`SELECT 1 FROM cabinet.seed_runs WHERE name = 'demo'`);
  if (demo.length === 0) {
    progress('seeding the demo catalogue first');
    await seedDemo(db, { now });
  }

  const clock = new Clock(now);
  const rng = new Random(options.seed ?? 1);
  const catalogue = await loadCatalogue(db);

  const lastMsisdn = await maxOf(db, `SELECT max(msisdn) AS max FROM billing.numbers WHERE msisdn BETWEEN $1 AND $2`, [
    String(MSISDN_FIRST),
    String(MSISDN_LAST),
  ]);
  let nextMsisdn = lastMsisdn === null ? MSISDN_FIRST : Number(lastMsisdn) + 1;
  if (nextMsisdn + options.companies * options.numbers - 1 > MSISDN_LAST) {
    throw new RangeError(`Not enough free bulk MSISDNs (${MSISDN_LAST - nextMsisdn + 1} left)`);
  }
  const lastAccount = await maxOf(db, `SELECT max(account_no) AS max FROM billing.accounts WHERE account_no BETWEEN $1 AND $2 AND account_no ~ '^[0-9]{10}$'`, [
    String(ACCOUNT_FIRST),
    String(ACCOUNT_LAST),
  ]);
  let nextAccount = lastAccount === null ? ACCOUNT_FIRST : Number(lastAccount) + 1;
  const lastIccid = await maxOf(db, `SELECT max(iccid) AS max FROM billing.sim_cards WHERE iccid BETWEEN $1 AND $2`, [
    ICCID_BULK_PREFIX.padEnd(20, '0'),
    ICCID_BULK_PREFIX.padEnd(20, '9'),
  ]);
  let nextIccid = lastIccid === null ? 1 : Number(lastIccid.slice(ICCID_BULK_PREFIX.length, 19)) + 1;

  const companyIds: number[] = [];
  const bins = new Set<string>();
  for (let c = 0; c < options.companies; c++) {
    const companyRng = rng.fork(`company ${c}`);
    let bin: string;
    for (;;) {
      bin = randomBin(companyRng);
      if (bins.has(bin)) continue;
      const existing = await db.query(`SELECT 1 FROM billing.companies WHERE bin = $1`, [bin]);
      if (existing.length === 0) break;
    }
    bins.add(bin);
    const [company] = await db.query(`INSERT INTO billing.companies (bin, name) VALUES ($1, $2) RETURNING id`, [bin, companyName(companyRng, ` ${c + 1}`)]);
    const companyId = Number(company.id);
    companyIds.push(companyId);

    const accountCount = Math.ceil(options.numbers / NUMBERS_PER_ACCOUNT);
    if (nextAccount + accountCount - 1 > ACCOUNT_LAST) throw new RangeError('Not enough free bulk account numbers');
    const accounts: { accountNo: string; method: PaymentMethod; creditLimit: number }[] = [];
    for (let i = 0; i < accountCount; i++) {
      const method: PaymentMethod = companyRng.chance(0.7) ? 'CREDIT' : 'ADVANCE';
      accounts.push({ accountNo: String(nextAccount++), method, creditLimit: method === 'CREDIT' ? companyRng.int(50, 2000) * 100_000 : 0 });
    }
    const accountIds = idsBy(
      await insertRows(
        db,
        'billing.accounts',
        [
          ['company_id', 'int'],
          ['account_no', 'text'],
          ['payment_method', 'billing.payment_method'],
          ['credit_limit', 'bigint'],
        ],
        accounts.map((a) => [companyId, a.accountNo, a.method, a.creditLimit]),
        { returning: 'id, account_no' },
      ),
      'account_no',
    );

    const registrationBase = `3000${companyRng.digits(8)}`;
    for (let start = 0; start < options.numbers; start += CHUNK) {
      const size = Math.min(CHUNK, options.numbers - start);
      const chunk = planChunk(companyRng.fork(`chunk ${start}`), clock, catalogue, {
        start,
        size,
        firstMsisdn: nextMsisdn,
        firstIccid: nextIccid,
        accounts,
        registrationBase,
      });
      nextMsisdn += size;
      nextIccid += size;
      await insertChunk(db, clock, catalogue, companyId, accountIds, chunk);
      progress(`company ${c + 1}/${options.companies} (id ${companyId}): ${start + size}/${options.numbers} numbers`);
    }
  }
  return { companyIds };
}

interface BulkNumber {
  msisdn: string;
  accountNo: string;
  advance: boolean;
  tariffId: number;
  state: NumberState;
  stateChangedAt: Date;
  balance: number;
  individualLimit: number | null;
  registrationForm: string;
  isM2m: boolean;
  roamingDebt: number | null;
  smsUssdBan: boolean;
  lastImei: string | null;
  iccid: string;
  pins: ReturnType<typeof randomPins>;
  /** 0..1000, spreads allowance balances and usage records in SQL without more parameters. */
  variation: number;
  services: number[];
  topUp: number;
}

function planChunk(
  rng: Random,
  clock: Clock,
  catalogue: Catalogue,
  chunk: {
    start: number;
    size: number;
    firstMsisdn: number;
    firstIccid: number;
    accounts: readonly { accountNo: string; method: PaymentMethod; creditLimit: number }[];
    registrationBase: string;
  },
): BulkNumber[] {
  const tariffWeights = catalogue.tariffs.map((t) => [t, t.weight] as const);
  const numbers: BulkNumber[] = [];
  for (let i = 0; i < chunk.size; i++) {
    const index = chunk.start + i;
    const account = chunk.accounts[Math.floor(index / NUMBERS_PER_ACCOUNT)];
    const advance = account.method === 'ADVANCE';
    const tariff = rng.weighted(tariffWeights);
    const state = rng.weighted<NumberState>([
      ['ACTIVE', 92],
      ['BLOCKED', 5],
      ['BLOCKED_DEBT', advance ? 0 : 3],
    ]);
    const individualLimit = !advance && rng.chance(0.2) ? rng.int(5, 50) * 100_000 : null;
    const balance = advance ? rng.int(0, 3_000_000) : state === 'BLOCKED_DEBT' ? rng.int(0, 50_000) : rng.int(0, individualLimit ?? 2_000_000);
    const serviceCount = Math.min(
      tariff.services.length,
      rng.weighted([
        [1, 3],
        [2, 2],
      ]),
    );
    numbers.push({
      msisdn: String(chunk.firstMsisdn + i),
      accountNo: account.accountNo,
      advance,
      tariffId: tariff.id,
      state,
      stateChangedAt: clock.day(state === 'ACTIVE' ? rng.int(100, 1500) : rng.int(1, 90), rng.int(8 * 3600, 20 * 3600)),
      balance,
      individualLimit,
      registrationForm: `${chunk.registrationBase}-${index + 1}`,
      isM2m: tariff.code === 'M2M',
      roamingDebt: rng.chance(0.03) ? rng.int(1_000, 300_000) : null,
      smsUssdBan: rng.chance(0.05),
      lastImei: rng.chance(0.85) ? randomImei(rng) : null,
      iccid: withLuhn(ICCID_BULK_PREFIX + String(chunk.firstIccid + i).padStart(11, '0'), 20),
      pins: randomPins(rng),
      variation: rng.int(0, 1000),
      services: rng.sample(tariff.services, serviceCount),
      topUp: advance ? rng.pick([1000, 2000, 5000]) * 100 : 0,
    });
  }
  return numbers;
}

async function insertChunk(
  db: SqlRunner,
  clock: Clock,
  catalogue: Catalogue,
  companyId: number,
  accountIds: Map<string, number>,
  numbers: readonly BulkNumber[],
): Promise<void> {
  const ids = await insertNumberRows(
    db,
    numbers.map((n) => ({
      msisdn: n.msisdn,
      companyId,
      accountId: accountIds.get(n.accountNo),
      tariffId: n.tariffId,
      state: n.state,
      stateChangedAt: n.stateChangedAt,
      balance: n.balance,
      availableFunds: n.balance,
      individualLimit: n.individualLimit,
      registrationForm: n.registrationForm,
      isM2m: n.isM2m,
      roamingDebt: n.roamingDebt,
      smsUssdBan: n.smsUssdBan,
      lastImei: n.lastImei,
    })),
  );
  const id = (n: BulkNumber): number => {
    const numberId = ids.get(n.msisdn);
    if (numberId === undefined) throw new Error(`Number ${n.msisdn} was not inserted`);
    return numberId;
  };
  const installedAt = (n: BulkNumber): Date => new Date(n.stateChangedAt.getTime() - 30 * DAY_MS);

  await insertRows(
    db,
    'billing.sim_cards',
    [
      ['iccid', 'text'],
      ['pin1', 'text'],
      ['pin2', 'text'],
      ['puk1', 'text'],
      ['puk2', 'text'],
      ['number_id', 'int'],
      ['installed_at', 'timestamptz'],
    ],
    numbers.map((n) => [n.iccid, n.pins.pin1, n.pins.pin2, n.pins.puk1, n.pins.puk2, id(n), installedAt(n)]),
  );
  await db.query(
    `INSERT INTO billing.allowances (number_id, kind, is_bonus, unlimited, available, total, unit, valid_from, valid_to)
     SELECT u.number_id, t.kind, t.is_bonus, t.unlimited,
            CASE WHEN t.unlimited THEN NULL ELSE t.total * ((u.r + t.k * 337) % 1001) / 1000 END,
            t.total, t.unit, $4::date, $5::date
     FROM unnest($1::int[], $2::int[], $3::int[]) AS u(number_id, tariff_id, r)
     JOIN jsonb_to_recordset($6::jsonb) AS t(tariff_id int, k int, kind billing.allowance_kind, is_bonus boolean,
                                             unlimited boolean, total bigint, unit billing.allowance_unit)
       ON t.tariff_id = u.tariff_id`,
    [
      numbers.map(id),
      numbers.map((n) => n.tariffId),
      numbers.map((n) => n.variation),
      clock.currentMonthStart,
      clock.nextMonthStart,
      catalogue.allowanceTemplate,
    ],
  );
  await insertRows(
    db,
    'billing.connected_services',
    [
      ['number_id', 'int'],
      ['service_id', 'int'],
      ['connected_at', 'timestamptz'],
    ],
    numbers.flatMap((n) => n.services.map((serviceId) => [id(n), serviceId, installedAt(n)])),
  );

  // One top-up per advance number and two usage records per number: enough for the history queries to have
  // something to scan without slowing the seed down.
  const topUps = numbers.filter((n) => n.advance && Math.min(n.topUp, n.balance) > 0);
  await insertRows(
    db,
    'billing.payments',
    [
      ['account_id', 'int'],
      ['number_id', 'int'],
      ['paid_at', 'timestamptz'],
      ['type', 'billing.payment_type'],
      ['comment', 'text'],
      ['amount', 'bigint'],
      ['balance_before', 'bigint'],
      ['balance_after', 'bigint'],
      ['channel', 'billing.payment_channel'],
    ],
    topUps.map((n) => {
      const amount = Math.min(n.topUp, n.balance);
      const paidAt = clock.day((n.variation % 30) + 1, 36_000);
      return [accountIds.get(n.accountNo), id(n), paidAt, 'PAYMENT', 'Payment via Kaspi', amount, n.balance - amount, n.balance, 'KASPI'];
    }),
  );
  await db.query(
    `INSERT INTO billing.usage_records (number_id, started_at, type, direction, other_party, duration_seconds, volume_kb, cost)
     SELECT u.number_id,
            $2::timestamptz - make_interval(secs => (u.r * 7919 + g * 104729) % 8640000),
            CASE WHEN g = 1 THEN 'CALL' ELSE 'DATA' END::billing.usage_type,
            CASE WHEN g = 1 AND u.r % 2 = 0 THEN 'INCOMING' ELSE 'OUTGOING' END::billing.usage_direction,
            CASE WHEN g = 1 THEN '7701' || lpad(((u.r * 7919) % 10000000)::text, 7, '0') END,
            (u.r * 13) % 600 + 5,
            CASE WHEN g = 2 THEN (u.r * 1013) % 500000 + 10 END,
            0
     FROM unnest($1::int[], $3::int[]) AS u(number_id, r), generate_series(1, 2) AS g`,
    [numbers.map(id), clock.now.toISOString(), numbers.map((n) => n.variation)],
  );
}
