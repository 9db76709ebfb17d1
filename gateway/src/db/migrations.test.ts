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
});
