import { Client } from 'pg';
import { HEAD_COMPANY } from '../db/seed/demo-data';
import { seedDemo } from '../db/seed/seed';
import { RequestDb } from '../core/db';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { billingContract } from './billing.contract';
import { createPostgresBilling } from './billing.postgres';

billingContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  await database.dataSource.transaction((manager) => seedDemo(manager));
  return {
    billing: createPostgresBilling(0),
    session: new RequestDb(database.dataSource),
    transaction: (fn) => database.dataSource.transaction((manager) => fn(new RequestDb(manager.queryRunner!))),
    companyBin: HEAD_COMPANY.bin,
    close: () => database.drop(),
  };
});

describe('the PostgreSQL billing adapter', () => {
  let database: TestDatabase;
  const billing = createPostgresBilling(0);

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.dataSource.transaction((manager) => seedDemo(manager));
  });
  afterAll(() => database.drop());

  it('answers each batch read with one statement, however many keys', async () => {
    const db = new RequestDb(database.dataSource);
    const [company] = await billing.companiesByBin(db, [HEAD_COMPANY.bin]);
    const numbers = await billing.listNumbers(db, { companyId: company!.id, search: null, state: null, afterMsisdn: null, limit: 100 });
    const ids = numbers.map((n) => n.id);
    const period = { from: '2000-01-01', to: '2100-12-31' };
    const batches: ((db: RequestDb) => Promise<unknown>)[] = [
      (db) => billing.numbers(db, ids),
      (db) =>
        billing.numbersByMsisdn(
          db,
          numbers.map((n) => n.msisdn),
        ),
      (db) => billing.simCards(db, ids),
      (db) => billing.simCodes(db, ids),
      (db) => billing.devices(db, ids),
      (db) => billing.forwardings(db, ids),
      (db) =>
        billing.tariffs(
          db,
          numbers.map((n) => n.tariffId),
        ),
      (db) => billing.allowances(db, ids),
      (db) => billing.connectedServices(db, ids),
      (db) =>
        billing.tariffServices(
          db,
          numbers.map((n) => n.tariffId),
        ),
      (db) =>
        billing.accounts(
          db,
          numbers.map((n) => n.accountId),
        ),
      (db) => billing.payments(db, ids, { ...period, limit: 10, after: null }),
      (db) => billing.usage(db, ids, { ...period, type: null, limit: 10, after: null }),
      (db) => billing.usageTotals(db, ids, period),
      (db) =>
        billing.chargeMonthsByAccount(
          db,
          numbers.map((n) => n.accountId),
          '2100-01',
        ),
      (db) => billing.tariffChoices(db, ids),
      (db) => billing.simCardsByIccid(db, ['00000000000000000000']),
      (db) =>
        billing.numberServices(
          db,
          ids.map((numberId) => ({ numberId, serviceId: 1 })),
        ),
    ];
    for (const batch of batches) {
      const counted = new RequestDb(database.dataSource);
      await batch(counted);
      expect(counted.statements).toBe(1);
    }
  });

  it('reads the numbers page and a number profile in statements PostgreSQL plans once and keeps the plan of, prepared', async () => {
    // One connection preparing each text once by name, as the gateway's pool does.
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const names = new Map<string, string>();
      const session = {
        query: async (text: string, values: unknown[] = []) => {
          if (!names.has(text)) names.set(text, `s${names.size}`);
          return (await client.query({ name: names.get(text), text, values })).rows;
        },
      };
      const [company] = await billing.companiesByBin(session, [HEAD_COMPANY.bin]);
      const [number] = await billing.listNumbers(session, { companyId: company!.id, search: null, state: null, afterMsisdn: null, limit: 1 });
      const parts = ['simCards', 'devices', 'forwardings', 'allowances', 'connectedServices'] as const;
      const requests = [...parts.map((part) => ({ part, keys: [number.id] })), { part: 'tariffServices' as const, keys: [number.tariffId] }];
      const page = { companyId: company!.id, search: null, state: null, afterMsisdn: null, limit: 51 };
      // One statement at a time: a client runs one at a time.
      const profile = async () => {
        await billing.numbersWithAccounts(session, [number.id]);
        await billing.numberParts(session, requests);
        await billing.listNumbersWithAccounts(session, page);
      };
      // What one key given as an array parameter would cost: PostgreSQL plans it anew on every execution.
      const arrayParameter = `SELECT id FROM billing.numbers WHERE id = ANY($1)`;
      for (let i = 0; i < 10; i++) {
        await profile();
        await session.query(arrayParameter, [[number.id]]);
      }
      const plans = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
        `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements`,
      );
      const byName = new Map(plans.rows.map((row) => [row.name, { generic: Number(row.generic_plans), custom: Number(row.custom_plans) }]));
      expect(byName.get(names.get(arrayParameter)!)).toEqual({ generic: 0, custom: 10 });
      const profileStatements = [...names.keys()].filter((text) => text.includes('billing.allowances') || text.includes('billing.accounts'));
      expect(profileStatements).toHaveLength(3);
      for (const text of profileStatements) expect(byName.get(names.get(text)!)!.generic).toBeGreaterThanOrEqual(4);
    } finally {
      await client.end();
    }
  });
});
