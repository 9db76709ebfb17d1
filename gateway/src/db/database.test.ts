import { createLogger } from '../core/logger';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { createDataSource, migrations } from './data-source';
import { migrateExclusively, migrationsApplied } from './database';

describe('migrateExclusively', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('applies each migration once when two processes start at the same moment', async () => {
    const other = createDataSource(db.url, 2, 'cabinet-test-other');
    await other.initialize();
    try {
      const log = createLogger('silent');
      const [first, second] = await Promise.all([migrateExclusively(db.dataSource, db.url, log), migrateExclusively(other, db.url, log)]);
      expect([...first, ...second].sort()).toEqual(migrations.map((m) => m.name).sort());
      const rows: { name: string; times: string }[] = await db.dataSource.query(`SELECT name, count(*)::text AS times FROM migrations GROUP BY name`);
      expect(rows).toHaveLength(migrations.length);
      expect(rows.every((row) => row.times === '1')).toBe(true);
      expect(await migrationsApplied(other)).toBe(true);
    } finally {
      await other.destroy();
    }
  });
});
