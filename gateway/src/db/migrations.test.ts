import { createTestDatabase, type TestDatabase } from '../test/database';
import { entities } from './data-source';
import { migrationsApplied } from './database';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('apply on an empty database and create both schemas', async () => {
    expect(await migrationsApplied(db.dataSource)).toBe(false);
    await db.dataSource.runMigrations({ transaction: 'all' });
    expect(await migrationsApplied(db.dataSource)).toBe(true);
    const schemas = await db.dataSource.query(`SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('billing', 'cabinet') ORDER BY 1`);
    expect(schemas.map((s: { schema_name: string }) => s.schema_name)).toEqual(['billing', 'cabinet']);
  });

  it('create every table and column the entities map', async () => {
    const columns: { table_schema: string; table_name: string; column_name: string }[] = await db.dataSource.query(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema IN ('billing', 'cabinet')`,
    );
    const present = new Set(columns.map((c) => `${c.table_schema}.${c.table_name}.${c.column_name}`));
    const missing: string[] = [];
    for (const entity of entities) {
      const metadata = db.dataSource.getMetadata(entity);
      for (const column of metadata.columns) {
        const key = `${metadata.schema}.${metadata.tableName}.${column.databaseName}`;
        if (!present.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keep money out of floating point', async () => {
    const floats = await db.dataSource.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema IN ('billing', 'cabinet') AND data_type IN ('real', 'double precision')`,
    );
    expect(floats).toEqual([]);
  });

  it('revert cleanly and apply again', async () => {
    for (let i = 0; i < db.dataSource.migrations.length; i++) await db.dataSource.undoLastMigration({ transaction: 'all' });
    const left = await db.dataSource.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name IN ('billing', 'cabinet')`);
    expect(left).toHaveLength(0);
    await db.dataSource.runMigrations({ transaction: 'all' });
    expect(await migrationsApplied(db.dataSource)).toBe(true);
  });

  it('give the existing charges their service month and kind, payments their channel and refunds their reason', async () => {
    // Back to the schema before charges had a service period, with rows written the old way.
    while (Number((await db.dataSource.query(`SELECT max(timestamp)::text AS t FROM migrations`))[0].t) >= 1764600000000) {
      await db.dataSource.undoLastMigration({ transaction: 'all' });
    }
    const [company] = await db.dataSource.query(`INSERT INTO billing.companies (bin, name) VALUES ('111111111111', 'Old') RETURNING id`);
    const [account] = await db.dataSource.query(
      `INSERT INTO billing.accounts (company_id, account_no, payment_method) VALUES ($1, '90000001', 'CREDIT') RETURNING id`,
      [company.id],
    );
    const [tariff] = await db.dataSource.query(
      `INSERT INTO billing.tariffs (code, name) VALUES ('OLD', '{"en":"Old plan","ru":"Старый","kk":"Ескі"}') RETURNING id`,
    );
    const rows: [string, string, string][] = [
      ['2026-11-01 05:00+05', 'CHARGE', 'Invoice for October 2026'],
      ['2026-11-01 00:30+05', 'CHARGE', 'Monthly fee: tariff Old plan'],
      ['2026-11-03 10:00+05', 'PAYMENT', 'Payment via Kaspi 200012345678'],
      ['2026-11-04 10:00+05', 'PAYMENT', 'Payment order No. 4521'],
      ['2026-11-05 10:00+05', 'REFUND', 'Refund: duplicate charge'],
    ];
    for (const [at, type, comment] of rows) {
      await db.dataSource.query(
        `INSERT INTO billing.payments (account_id, paid_at, type, comment, amount, balance_before, balance_after) VALUES ($1, $2, $3, $4, -100, 0, -100)`,
        [account.id, at, type, comment],
      );
    }
    await db.dataSource.runMigrations({ transaction: 'all' });
    const filled = await db.dataSource.query(
      `SELECT comment, to_char(service_month, 'YYYY-MM') AS month, charge_kind AS kind, tariff_id AS "tariffId", channel, reference, reason
       FROM billing.payments WHERE account_id = $1 ORDER BY paid_at`,
      [account.id],
    );
    expect(filled).toEqual([
      { comment: 'Monthly fee: tariff Old plan', month: '2026-11', kind: 'TARIFF_FEE', tariffId: tariff.id, channel: null, reference: null, reason: null },
      { comment: 'Invoice for October 2026', month: '2026-10', kind: 'OTHER', tariffId: null, channel: null, reference: null, reason: null },
      { comment: 'Payment via Kaspi 200012345678', month: null, kind: null, tariffId: null, channel: 'KASPI', reference: '200012345678', reason: null },
      { comment: 'Payment order No. 4521', month: null, kind: null, tariffId: null, channel: 'PAYMENT_ORDER', reference: '4521', reason: null },
      { comment: 'Refund: duplicate charge', month: null, kind: null, tariffId: null, channel: null, reference: null, reason: 'DUPLICATE_CHARGE' },
    ]);
  });
});
