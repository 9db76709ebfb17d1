import { Clock } from './calendar';
import { DEMO_ADMINISTRATOR, SERVICES, serviceInfoUrl, TARIFFS } from './demo-data';
import { type ActionPlan, type CompanyPlan, type DemoPlan, type NumberPlan, planDemo } from './demo-plan';
import { allowanceRows, type PaymentPlan } from './history';
import type { SqlRunner } from './seed';
import { idsBy, insertNumberRows, insertRows } from './sql';

export interface DemoSeedOptions {
  /** Reference time for every date-relative field; defaults to the current time. */
  now?: Date;
}

/**
 * The demo data set. Idempotent: it claims the row 'demo' in cabinet.seed_runs and does nothing if the row is
 * already there. The caller provides the transaction.
 */
export async function seedDemo(db: SqlRunner, options: DemoSeedOptions = {}): Promise<void> {
  const claimed = await db.query(`INSERT INTO cabinet.seed_runs (name) VALUES ('demo') ON CONFLICT (name) DO NOTHING RETURNING name`);
  if (claimed.length === 0) return;

  const catalogue = await insertCatalogue(db);
  const plan = planDemo(new Clock(options.now ?? new Date()));
  const { companies, accounts, numbers } = plan;

  const companyIds = await insertCompanies(db, companies);
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
      accounts.map((a) => [companyIds.get(a.companyKey), a.accountNo, a.paymentMethod, a.creditLimit]),
      { returning: 'id, account_no' },
    ),
    'account_no',
  );
  const numberIds = await insertNumbers(db, numbers, companyIds, accountIds, catalogue.tariffIds);
  // Every demo company may move its numbers to any plan of the catalogue but the machine-to-machine one.
  await db.query(
    `INSERT INTO billing.company_tariffs (company_id, tariff_id)
    SELECT c.id, t.id FROM billing.companies c, billing.tariffs t WHERE c.id = ANY($1::int[]) AND t.code <> 'M2M'`,
    [[...companyIds.values()]],
  );
  const numberId = (msisdn: string): number => {
    const id = numberIds.get(msisdn);
    if (id === undefined) throw new Error(`Unknown demo number ${msisdn}`);
    return id;
  };

  await insertSimCards(db, plan, numberId);
  await insertRows(
    db,
    'billing.registered_devices',
    [
      ['number_id', 'int'],
      ['imei', 'text'],
      ['registered_at', 'timestamptz'],
    ],
    numbers.flatMap((n) => n.devices.map((d) => [numberId(n.msisdn), d.imei, d.registeredAt])),
  );
  await insertRows(
    db,
    'billing.allowances',
    [
      ['number_id', 'int'],
      ['kind', 'billing.allowance_kind'],
      ['is_bonus', 'bool'],
      ['unlimited', 'bool'],
      ['available', 'bigint'],
      ['total', 'bigint'],
      ['unit', 'billing.allowance_unit'],
      ['valid_from', 'date'],
      ['valid_to', 'date'],
    ],
    numbers.flatMap((n) =>
      allowanceRows(n.tariff, (bonus) => n.bonusAvailable.get(bonus.kind) ?? bonus.total).map((a) => [
        numberId(n.msisdn),
        a.kind,
        a.isBonus,
        a.unlimited,
        a.available,
        a.total,
        a.unit,
        plan.validFrom,
        plan.validTo,
      ]),
    ),
  );
  await insertRows(
    db,
    'billing.connected_services',
    [
      ['number_id', 'int'],
      ['service_id', 'int'],
      ['connected_at', 'timestamptz'],
    ],
    numbers.flatMap((n) => n.services.map((s) => [numberId(n.msisdn), catalogue.serviceIds.get(s.code), s.connectedAt])),
  );
  await insertRows(
    db,
    'billing.call_forwardings',
    [
      ['number_id', 'int'],
      ['condition', 'billing.forwarding_condition'],
      ['target', 'text'],
      ['set_at', 'timestamptz'],
    ],
    numbers.flatMap((n) => n.forwardings.map((f) => [numberId(n.msisdn), f.condition, f.target, f.setAt])),
  );

  await insertPayments(db, catalogue, plan.payments, numberId, accountIds);
  await insertUsage(db, plan.usage, numberId);
  await insertActions(db, plan.actions, companyIds, numberIds);
  await insertAdministrator(db, companyIds);
  await insertActingAdministrators(db);
}

/**
 * The other administrators of the seeded history (colleagues, some since gone: no grants, no password), so that
 * every entry names its administrator as the portal's own entries do.
 */
async function insertActingAdministrators(db: SqlRunner): Promise<void> {
  await db.query(
    `INSERT INTO cabinet.administrators (name, phone, email, language)
     SELECT DISTINCT ON (actor_phone) actor_name, actor_phone, 'admin' || actor_phone || '@demo.kcell.kz', 'ru'
     FROM cabinet.action_log WHERE actor_phone IS NOT NULL ORDER BY actor_phone, created_at DESC
     ON CONFLICT (phone) DO NOTHING`,
  );
  await db.query(
    `UPDATE cabinet.action_log l SET administrator_id = a.id FROM cabinet.administrators a
     WHERE l.administrator_id IS NULL AND a.phone = l.actor_phone`,
  );
}

/**
 * The demo administrator of TOO Кабинет and its branch. Like every new administrator, he has no password:
 * the first sign-in goes through password recovery with a code from the SMS outbox.
 */
async function insertAdministrator(db: SqlRunner, companyIds: Map<string, number>): Promise<void> {
  const [row] = await db.query(`INSERT INTO cabinet.administrators (name, phone, email, language) VALUES ($1, $2, $3, 'ru') RETURNING id`, [
    DEMO_ADMINISTRATOR.name,
    DEMO_ADMINISTRATOR.phone,
    DEMO_ADMINISTRATOR.email,
  ]);
  await db.query(`INSERT INTO cabinet.grants (administrator_id, company_id) SELECT $1, unnest($2::int[])`, [
    row.id,
    [companyIds.get('HEAD'), companyIds.get('BRANCH')],
  ]);
}

async function insertCatalogue(db: SqlRunner): Promise<{ tariffIds: Map<string, number>; serviceIds: Map<string, number> }> {
  const positions = new Map<string, number>();
  const serviceIds = idsBy(
    await insertRows(
      db,
      'billing.services',
      [
        ['code', 'text'],
        ['category', 'billing.service_category'],
        ['name', 'jsonb'],
        ['description', 'jsonb'],
        ['monthly_fee', 'bigint'],
        ['position', 'int'],
        ['info_url', 'text'],
      ],
      SERVICES.map((s) => {
        const position = (positions.get(s.category) ?? 0) + 1;
        positions.set(s.category, position);
        return [s.code, s.category, s.name, s.description, s.monthlyFee, position, serviceInfoUrl(s.code)];
      }),
      { returning: 'id, code' },
    ),
    'code',
  );
  const tariffIds = idsBy(
    await insertRows(
      db,
      'billing.tariffs',
      [
        ['code', 'text'],
        ['name', 'jsonb'],
        ['monthly_fee', 'bigint'],
      ],
      TARIFFS.map((t) => [t.code, t.name, t.monthlyFee]),
      { returning: 'id, code' },
    ),
    'code',
  );
  await insertRows(
    db,
    'billing.tariff_services',
    [
      ['tariff_id', 'int'],
      ['service_id', 'int'],
    ],
    TARIFFS.flatMap((t) => t.services.map((code) => [tariffIds.get(t.code), serviceIds.get(code)])),
  );
  await insertRows(
    db,
    'billing.tariff_allowances',
    [
      ['tariff_id', 'int'],
      ['kind', 'billing.allowance_kind'],
      ['is_bonus', 'bool'],
      ['unlimited', 'bool'],
      ['total', 'bigint'],
      ['unit', 'billing.allowance_unit'],
    ],
    TARIFFS.flatMap((t) => allowanceRows(t, (bonus) => bonus.total).map((a) => [tariffIds.get(t.code), a.kind, a.isBonus, a.unlimited, a.total, a.unit])),
  );
  return { tariffIds, serviceIds };
}

async function insertCompanies(db: SqlRunner, companies: readonly CompanyPlan[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const company of companies) {
    const [row] = await db.query(`INSERT INTO billing.companies (bin, name, parent_id) VALUES ($1, $2, $3) RETURNING id`, [
      company.bin,
      company.name,
      company.parentKey === null ? null : ids.get(company.parentKey),
    ]);
    ids.set(company.key, Number(row.id));
  }
  return ids;
}

async function insertNumbers(
  db: SqlRunner,
  numbers: readonly NumberPlan[],
  companyIds: Map<string, number>,
  accountIds: Map<string, number>,
  tariffIds: Map<string, number>,
): Promise<Map<string, number>> {
  return insertNumberRows(
    db,
    numbers.map((n) => ({
      msisdn: n.msisdn,
      companyId: companyIds.get(n.companyKey),
      accountId: accountIds.get(n.account.accountNo),
      tariffId: tariffIds.get(n.tariff.code),
      state: n.state,
      stateChangedAt: n.stateChangedAt,
      balance: n.balance,
      availableFunds: n.availableFunds,
      individualLimit: n.individualLimit,
      registrationForm: n.registrationForm,
      isM2m: n.tariff.code === 'M2M',
      roamingDebt: n.roamingDebt,
      smsUssdBan: n.smsUssdBan,
      lastImei: n.lastImei,
    })),
  );
}

async function insertSimCards(db: SqlRunner, plan: DemoPlan, numberId: (msisdn: string) => number): Promise<void> {
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
      ['replaced_at', 'timestamptz'],
      ['retired_at', 'timestamptz'],
    ],
    [
      ...plan.numbers.flatMap((n) =>
        n.sims.map((s) => [s.iccid, s.pin1, s.pin2, s.puk1, s.puk2, numberId(n.msisdn), s.installedAt, s.replacedAt, s.retiredAt]),
      ),
      ...plan.freeSims.map((s) => [s.iccid, s.pin1, s.pin2, s.puk1, s.puk2, null, null, null, null]),
    ],
  );
}

async function insertPayments(
  db: SqlRunner,
  catalogue: { tariffIds: Map<string, number>; serviceIds: Map<string, number> },
  payments: readonly PaymentPlan[],
  numberId: (msisdn: string) => number,
  accountIds: Map<string, number>,
): Promise<void> {
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
      ['service_month', 'date'],
      ['charge_kind', 'billing.charge_kind'],
      ['tariff_id', 'int'],
      ['service_id', 'int'],
      ['quantity', 'bigint'],
      ['channel', 'billing.payment_channel'],
      ['reason', 'billing.adjustment_reason'],
      ['reference', 'text'],
    ],
    payments.map((p) => [
      accountIds.get(p.accountNo),
      p.msisdn === null ? null : numberId(p.msisdn),
      p.paidAt,
      p.type,
      p.comment,
      p.amount,
      p.balanceBefore,
      p.balanceAfter,
      p.serviceMonth ?? null,
      p.chargeKind ?? null,
      p.tariffCode ? catalogue.tariffIds.get(p.tariffCode) : null,
      p.serviceCode ? catalogue.serviceIds.get(p.serviceCode) : null,
      p.quantity ?? null,
      p.channel ?? null,
      p.reason ?? null,
      p.reference ?? null,
    ]),
  );
}

async function insertUsage(db: SqlRunner, usage: DemoPlan['usage'], numberId: (msisdn: string) => number): Promise<void> {
  await insertRows(
    db,
    'billing.usage_records',
    [
      ['number_id', 'int'],
      ['started_at', 'timestamptz'],
      ['type', 'billing.usage_type'],
      ['direction', 'billing.usage_direction'],
      ['other_party', 'text'],
      ['duration_seconds', 'int'],
      ['volume_kb', 'bigint'],
      ['cost', 'bigint'],
    ],
    usage.flatMap(({ msisdn, records }) =>
      records.map((r) => [numberId(msisdn), r.startedAt, r.type, r.direction, r.otherParty, r.durationSeconds, r.volumeKb, r.cost]),
    ),
  );
}

async function insertActions(db: SqlRunner, actions: readonly ActionPlan[], companyIds: Map<string, number>, numberIds: Map<string, number>): Promise<void> {
  await insertRows(
    db,
    'cabinet.action_log',
    [
      ['company_id', 'int'],
      ['number_id', 'int'],
      ['action', 'text'],
      ['details', 'jsonb'],
      ['status', 'cabinet.action_status'],
      ['actor_name', 'text'],
      ['actor_phone', 'text'],
      ['client_address', 'inet'],
      ['created_at', 'timestamptz'],
    ],
    actions.map((a) => [
      companyIds.get(a.companyKey),
      a.msisdn === null ? null : numberIds.get(a.msisdn),
      a.action,
      a.details,
      a.status,
      a.actorName,
      a.actorPhone,
      a.clientAddress,
      a.createdAt,
    ]),
  );
}
