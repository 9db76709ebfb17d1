import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { DEMO_FREE_ICCIDS, seedBulk, seedDemo } from './seed';

const NOW = new Date('2026-03-15T09:00:00Z');

/** Written independently of the seed's own helper on purpose. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((char, i) => {
    const d = Number(char) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return /^\d+$/.test(digits) && sum % 10 === 0;
}

async function demoDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await db.dataSource.transaction((manager) => seedDemo(manager, { now: NOW }));
  return db;
}

async function number(ds: DataSource, msisdn: string): Promise<Record<string, any>> {
  const [row] = await ds.query(
    `SELECT n.*, a.account_no, a.payment_method, a.credit_limit, t.code AS tariff_code, t.name AS tariff_name,
            c.bin AS company_bin, c.name AS company_name
     FROM billing.numbers n
     JOIN billing.accounts a ON a.id = n.account_id
     JOIN billing.tariffs t ON t.id = n.tariff_id
     JOIN billing.companies c ON c.id = n.company_id
     WHERE n.msisdn = $1`,
    [msisdn],
  );
  expect(row).toBeDefined();
  return row;
}

async function currentSim(ds: DataSource, msisdn: string): Promise<Record<string, any>> {
  const rows = await ds.query(
    `SELECT s.* FROM billing.sim_cards s JOIN billing.numbers n ON n.id = s.number_id
     WHERE n.msisdn = $1 AND s.retired_at IS NULL`,
    [msisdn],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** A fingerprint of everything the seeds generate, to compare two databases. */
async function fingerprint(ds: DataSource): Promise<Record<string, string>> {
  const [row] = await ds.query(`
    SELECT
      (SELECT md5(string_agg(n.msisdn || '/' || coalesce(s.iccid, '-') || '/' || n.balance || '/' || n.state, ',' ORDER BY n.msisdn, s.iccid))
         FROM billing.numbers n LEFT JOIN billing.sim_cards s ON s.number_id = n.id) AS numbers,
      (SELECT md5(string_agg(iccid || pin1 || pin2 || puk1 || puk2, ',' ORDER BY iccid)) FROM billing.sim_cards) AS sims,
      (SELECT md5(string_agg(bin || name, ',' ORDER BY bin)) FROM billing.companies) AS companies,
      (SELECT md5(string_agg(account_id || '/' || paid_at || '/' || amount || '/' || balance_after || comment, ',' ORDER BY id)) FROM billing.payments) AS payments,
      (SELECT md5(string_agg(number_id || '/' || started_at || '/' || type || '/' || coalesce(other_party, '') || '/' || cost, ',' ORDER BY id)) FROM billing.usage_records) AS usage,
      (SELECT md5(string_agg(number_id || '/' || kind || '/' || coalesce(available, -1), ',' ORDER BY id)) FROM billing.allowances) AS allowances,
      (SELECT md5(string_agg(action || details::text || status || created_at, ',' ORDER BY id)) FROM cabinet.action_log) AS actions`);
  return row;
}

describe('seedDemo', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await demoDatabase();
    ds = db.dataSource;
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('creates the company from the manuals and its branch', async () => {
    const companies = await ds.query(`SELECT id, bin, name, parent_id FROM billing.companies ORDER BY id`);
    const head = companies.find((c: { bin: string }) => c.bin === '750750750750');
    const branch = companies.find((c: { bin: string }) => c.bin === '800800800800');
    expect(head).toMatchObject({ name: 'TOO Кабинет', parent_id: null });
    expect(branch).toMatchObject({ name: 'Филиал TOO Кабинет', parent_id: head.id });
    expect(companies.length).toBeGreaterThanOrEqual(4);
    for (const company of companies) expect(company.bin).toMatch(/^\d{12}$/);
  });

  it('stores 77010542006 with the figures of the manual', async () => {
    const n = await number(ds, '77010542006');
    expect(n).toMatchObject({
      company_bin: '750750750750',
      account_no: '25060831',
      payment_method: 'CREDIT',
      credit_limit: '1200000',
      available_funds: '979333',
      state: 'ACTIVE',
      tariff_code: 'BUSINESS_CLASS_JUNIOR',
      registration_form: '300014697190-132',
      last_imei: '353678076511555',
    });
    expect(n.tariff_name).toEqual({ en: 'Business Class Junior', ru: 'Бизнес Класс Специалист', kk: expect.any(String) });
    expect(await currentSim(ds, '77010542006')).toMatchObject({
      iccid: '89997020056483061023',
      pin1: '0000',
      pin2: '6818',
      puk1: '92485563',
      puk2: '94113812',
    });

    const allowances = await ds.query(
      `SELECT kind, is_bonus, unlimited, available, total, unit, valid_from::text, valid_to::text
       FROM billing.allowances WHERE number_id = $1 ORDER BY kind`,
      [n.id],
    );
    expect(allowances).toEqual(
      [
        { kind: 'ONNET_CALLS', is_bonus: false, unlimited: true, available: null, total: null, unit: 'SECOND' },
        { kind: 'OFFNET_CALLS', is_bonus: true, unlimited: false, available: '24000', total: '24000', unit: 'SECOND' },
        { kind: 'LANDLINE_CALLS', is_bonus: true, unlimited: false, available: '3000', total: '3000', unit: 'SECOND' },
        { kind: 'INTERNATIONAL_CALLS', is_bonus: true, unlimited: false, available: '600', total: '600', unit: 'SECOND' },
        { kind: 'SMS', is_bonus: true, unlimited: false, available: '400', total: '400', unit: 'SMS' },
        { kind: 'DATA', is_bonus: true, unlimited: false, available: '15360', total: '15360', unit: 'MEGABYTE' },
      ].map((a) => ({ ...a, valid_from: '2026-03-01', valid_to: '2026-04-01' })),
    );
  });

  it('stores the other numbers of the manuals', async () => {
    expect(await number(ds, '77010542001')).toMatchObject({
      account_no: '25060832',
      payment_method: 'ADVANCE',
      tariff_code: 'M2M',
      is_m2m: true,
      state: 'ACTIVE',
      balance: '0',
      roaming_debt: '233848',
    });
    const services = await ds.query(
      `SELECT s.code FROM billing.connected_services cs
       JOIN billing.services s ON s.id = cs.service_id JOIN billing.numbers n ON n.id = cs.number_id
       WHERE n.msisdn = '77010542001' ORDER BY s.code`,
    );
    expect(services.map((s: { code: string }) => s.code)).toEqual(['ROAMING', 'SMART_ROAMING']);

    expect(await number(ds, '77010542003')).toMatchObject({ account_no: '25060833', tariff_code: '11', balance: '10000', state: 'ACTIVE' });
    expect(await number(ds, '77010542007')).toMatchObject({
      account_no: '25060830',
      payment_method: 'CREDIT',
      state: 'BLOCKED_DEBT',
      available_funds: '44600',
    });

    const n019 = await number(ds, '77010542019');
    expect(n019).toMatchObject({
      company_bin: '800800800800',
      account_no: '25071142',
      state: 'BLOCKED_DEBT',
      available_funds: '89200',
      individual_limit: '89200',
      credit_limit: '205000',
      registration_form: '300014697190-149',
      sms_ussd_ban: false,
    });
    const sim = await currentSim(ds, '77010542019');
    expect(sim).toMatchObject({ iccid: '89997027507916785078', pin1: '0000', pin2: '6911', puk1: '11507782', puk2: '15275799' });
    expect(new Date(sim.replaced_at).toISOString()).toBe('2018-08-27T09:37:00.000Z');
  });

  it('keeps free SIM cards, the predictable ones first', async () => {
    const free = await ds.query(`SELECT iccid FROM billing.sim_cards WHERE number_id IS NULL AND retired_at IS NULL ORDER BY id`);
    expect(free.length).toBeGreaterThanOrEqual(DEMO_FREE_ICCIDS.length);
    expect(free.slice(0, DEMO_FREE_ICCIDS.length).map((r: { iccid: string }) => r.iccid)).toEqual([...DEMO_FREE_ICCIDS]);
  });

  it('gives every number exactly one current SIM card', async () => {
    const [row] = await ds.query(`
      SELECT count(*)::int AS numbers,
             count(*) FILTER (WHERE (SELECT count(*) FROM billing.sim_cards s WHERE s.number_id = n.id AND s.retired_at IS NULL) = 1)::int AS with_one
      FROM billing.numbers n`);
    expect(row.numbers).toBeGreaterThan(100);
    expect(row.with_one).toBe(row.numbers);
  });

  it('generates Luhn-valid ICCIDs and IMEIs only', async () => {
    const iccids: { iccid: string }[] = await ds.query(`SELECT iccid FROM billing.sim_cards`);
    const imeis: { imei: string }[] = await ds.query(
      `SELECT last_imei AS imei FROM billing.numbers WHERE last_imei IS NOT NULL
       UNION ALL SELECT imei FROM billing.registered_devices`,
    );
    expect(iccids.length).toBeGreaterThan(100);
    expect(imeis.length).toBeGreaterThan(100);
    expect(iccids.filter((r) => !luhnValid(r.iccid) || !r.iccid.startsWith('8999702'))).toEqual([]);
    expect(imeis.filter((r) => r.imei.length !== 15 || !luhnValid(r.imei))).toEqual([]);
  });

  it('keeps every balance chain in the payments consistent', async () => {
    const [broken] = await ds.query(`
      SELECT count(*)::int AS entries,
             count(*) FILTER (WHERE balance_after <> balance_before + amount
                                 OR (previous_after IS NOT NULL AND previous_after <> balance_before))::int AS broken
      FROM (SELECT amount, balance_before, balance_after,
                   lag(balance_after) OVER (PARTITION BY p.account_id, CASE WHEN a.payment_method = 'ADVANCE' THEN p.number_id END
                                            ORDER BY paid_at, p.id) AS previous_after
            FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id) p`);
    expect(broken.entries).toBeGreaterThan(100);
    expect(broken.broken).toBe(0);

    const [mismatch] = await ds.query(`
      SELECT count(*)::int AS count
      FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id AND a.payment_method = 'ADVANCE'
      JOIN LATERAL (SELECT balance_after FROM billing.payments p WHERE p.number_id = n.id
                    ORDER BY paid_at DESC, id DESC LIMIT 1) last ON true
      WHERE last.balance_after <> n.balance`);
    expect(mismatch.count).toBe(0);

    const [kinds] = await ds.query(`
      SELECT count(*) FILTER (WHERE number_id IS NULL)::int AS account_level,
             count(*) FILTER (WHERE number_id IS NOT NULL)::int AS number_level,
             count(DISTINCT type)::int AS types
      FROM billing.payments`);
    expect(kinds.account_level).toBeGreaterThan(0);
    expect(kinds.number_level).toBeGreaterThan(0);
    expect(kinds.types).toBe(4);
  });

  it('gives every charge the month it is for, and charges each number of a credit account on its own', async () => {
    const [charges] = await ds.query(`
      SELECT count(*)::int AS charges,
             count(*) FILTER (WHERE p.service_month IS NULL OR p.charge_kind IS NULL)::int AS without_period,
             count(*) FILTER (WHERE a.payment_method = 'CREDIT' AND p.number_id IS NULL)::int AS credit_unattributed,
             count(*) FILTER (WHERE a.payment_method = 'CREDIT' AND p.service_month >= date_trunc('month', p.paid_at AT TIME ZONE 'Asia/Almaty'))::int AS credit_in_advance,
             count(DISTINCT p.charge_kind)::int AS kinds
      FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id WHERE p.type = 'CHARGE'`);
    expect(charges.charges).toBeGreaterThan(100);
    expect(charges.without_period).toBe(0);
    expect(charges.credit_unattributed).toBe(0);
    expect(charges.credit_in_advance).toBe(0);
    expect(charges.kinds).toBe(6);
    const [payments] = await ds.query(`SELECT count(*) FILTER (WHERE channel IS NULL)::int AS without_channel FROM billing.payments WHERE type = 'PAYMENT'`);
    expect(payments.without_channel).toBe(0);
  });

  it('seeds no number In process: that state only exists while an operation is carried out', async () => {
    const stuck = await ds.query(`SELECT msisdn FROM billing.numbers WHERE state = 'IN_PROCESS'`);
    expect(stuck).toEqual([]);
  });

  it('records usage on both sides of the 90-day window, free when incoming', async () => {
    const rows = await ds.query(
      `SELECT n.msisdn,
              count(*) FILTER (WHERE u.started_at < $1::timestamptz - interval '90 days')::int AS older,
              count(*) FILTER (WHERE u.started_at >= $1::timestamptz - interval '90 days')::int AS recent,
              count(*) FILTER (WHERE u.direction = 'INCOMING' AND u.cost <> 0)::int AS paid_incoming,
              max(u.started_at) <= $1::timestamptz AS not_in_future
       FROM billing.numbers n JOIN billing.usage_records u ON u.number_id = n.id
       WHERE n.msisdn IN ('77010542001', '77010542003', '77010542006', '77010542019')
       GROUP BY n.msisdn`,
      [NOW.toISOString()],
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({ paid_incoming: 0, not_in_future: true });
      expect(row.older).toBeGreaterThan(0);
      expect(row.recent).toBeGreaterThan(0);
    }
  });

  it('logs the actions history of the manuals', async () => {
    const rows = await ds.query(`
      SELECT l.action, l.status, l.details, l.actor_name, l.actor_phone
      FROM cabinet.action_log l JOIN billing.companies c ON c.id = l.company_id
      WHERE c.bin = '750750750750' AND l.actor_name = 'Петров Иван'
      ORDER BY l.created_at`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { action: 'BLOCK_NUMBER', status: 'SUCCESS', details: { msisdn: '77010542001' }, actor_name: 'Петров Иван', actor_phone: '77012112170' },
        expect.objectContaining({ action: 'REPLACE_SIM', status: 'FAILURE', details: expect.objectContaining({ msisdn: '77010542003' }) }),
        expect.objectContaining({ action: 'REPLACE_SIM', status: 'SUCCESS', details: expect.objectContaining({ msisdn: '77010542003' }) }),
      ]),
    );
    const [connect] = await ds.query(`SELECT count(*)::int AS count FROM cabinet.action_log WHERE action = 'CONNECT_SERVICE' AND details @> $1`, [
      JSON.stringify({ msisdn: '77010542003', service: 'INTERNET_ROAMING' }),
    ]);
    expect(connect.count).toBe(1);
  });

  it('names the administrator of every seeded entry, so the history can be filtered by each of them', async () => {
    const [unnamed] = await ds.query(`SELECT count(*)::int AS count FROM cabinet.action_log WHERE administrator_id IS NULL`);
    expect(unnamed.count).toBe(0);
    const [petrov] = await ds.query(
      `SELECT count(DISTINCT l.administrator_id)::int AS count FROM cabinet.action_log l JOIN cabinet.administrators a ON a.id = l.administrator_id
       WHERE a.phone = '77012112170'`,
    );
    expect(petrov.count).toBe(1);
  });

  it('does nothing when run again', async () => {
    const count = async (): Promise<string> =>
      JSON.stringify(
        await ds.query(`SELECT (SELECT count(*) FROM billing.numbers) AS numbers, (SELECT count(*) FROM billing.sim_cards) AS sims,
                               (SELECT count(*) FROM billing.payments) AS payments, (SELECT count(*) FROM cabinet.seed_runs) AS runs`),
      );
    const before = await count();
    await ds.transaction((manager) => seedDemo(manager, { now: new Date() }));
    expect(await count()).toBe(before);
  });
});

describe('seedBulk', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('seeds the demo first, then a company with exactly the requested numbers', async () => {
    const ds = db.dataSource;
    const { companyIds } = await ds.transaction((manager) => seedBulk(manager, { companies: 1, numbers: 2000, now: NOW }));
    expect(companyIds).toHaveLength(1);
    expect(await ds.query(`SELECT name FROM cabinet.seed_runs`)).toEqual([{ name: 'demo' }]);

    const [stats] = await ds.query(
      `SELECT count(*)::int AS numbers,
              count(*) FILTER (WHERE (SELECT count(*) FROM billing.sim_cards s WHERE s.number_id = n.id AND s.retired_at IS NULL) = 1)::int AS with_sim,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM billing.allowances a WHERE a.number_id = n.id))::int AS with_allowances,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM billing.connected_services cs WHERE cs.number_id = n.id))::int AS with_services,
              count(DISTINCT n.account_id)::int AS accounts
       FROM billing.numbers n WHERE n.company_id = $1`,
      [companyIds[0]],
    );
    expect(stats).toEqual({ numbers: 2000, with_sim: 2000, with_allowances: 2000, with_services: 2000, accounts: 40 });

    const [{ bin }] = await ds.query(`SELECT bin FROM billing.companies WHERE id = $1`, [companyIds[0]]);
    expect(bin).toMatch(/^\d{12}$/);
    const iccids: { iccid: string }[] = await ds.query(
      `SELECT s.iccid FROM billing.sim_cards s JOIN billing.numbers n ON n.id = s.number_id WHERE n.company_id = $1`,
      [companyIds[0]],
    );
    expect(iccids.filter((r) => !luhnValid(r.iccid))).toEqual([]);
  });

  it('does not collide with earlier runs of the same seed', async () => {
    const ds = db.dataSource;
    const { companyIds } = await seedBulk(ds, { companies: 2, numbers: 300, now: NOW });
    expect(companyIds).toHaveLength(2);
    const [row] = await ds.query(
      `SELECT count(*)::int AS numbers, count(DISTINCT company_id)::int AS companies FROM billing.numbers WHERE company_id = ANY($1)`,
      [companyIds],
    );
    expect(row).toEqual({ numbers: 600, companies: 2 });
  });

  it('rejects counts that are not positive integers', async () => {
    await expect(seedBulk(db.dataSource, { companies: 0, numbers: 10 })).rejects.toThrow(/companies/);
    await expect(seedBulk(db.dataSource, { companies: 1, numbers: 1.5 })).rejects.toThrow(/numbers/);
  });
});

describe('determinism', () => {
  it('produces identical data for identical options', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      for (const db of [a, b]) {
        await db.dataSource.transaction(async (manager) => {
          await seedDemo(manager, { now: NOW });
          await seedBulk(manager, { companies: 2, numbers: 500, seed: 42, now: NOW });
        });
      }
      const [fa, fb] = await Promise.all([fingerprint(a.dataSource), fingerprint(b.dataSource)]);
      expect(Object.values(fa).every((hash) => /^[0-9a-f]{32}$/.test(hash))).toBe(true);
      expect(fb).toEqual(fa);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  }, 180_000);
});
