import { QueryFailedError, type DataSource } from 'typeorm';
import { createDataSource } from '../db/data-source';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { RequestDb, isUniqueViolation } from './db';

describe('statements of a request', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const open = async (preparedStatements: boolean) => {
    // One connection: every statement meets the statements that connection prepared before.
    const dataSource = createDataSource(db.url, 1, 'cabinet-test-prepared', undefined, preparedStatements);
    await dataSource.initialize();
    sources.push(dataSource);
    return dataSource;
  };
  const prepared = (dataSource: DataSource, marker: string) =>
    dataSource.query(`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%' AND statement NOT LIKE '%pg_prepared_statements%'`, [
      marker,
    ]);

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await db.dataSource.query(`CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL)`);
    await db.dataSource.query(`INSERT INTO things VALUES (1, 'one'), (2, 'two')`);
  });
  afterAll(async () => {
    for (const dataSource of sources) await dataSource.destroy();
    await db.drop();
  });

  it('prepares a statement with parameters once per connection and runs it by name after', async () => {
    const dataSource = await open(true);
    const requests = [new RequestDb(dataSource), new RequestDb(dataSource)];
    const answers = [];
    for (const request of requests) for (const id of [1, 2]) answers.push(await request.query(`SELECT name /* by-name */ FROM things WHERE id = $1`, [id]));
    expect(answers).toEqual([[{ name: 'one' }], [{ name: 'two' }], [{ name: 'one' }], [{ name: 'two' }]]);
    expect(await prepared(dataSource, 'by-name')).toEqual([{ name: expect.stringMatching(/^cabinet_\d+$/) }]);
    expect(requests.map((request) => request.statements)).toEqual([2, 2]);
  });

  it('prepares nothing where it is told not to (a pooler in transaction mode), nor statements without parameters', async () => {
    const plain = await open(false);
    expect(await new RequestDb(plain).query(`SELECT name /* unnamed */ FROM things WHERE id = $1`, [1])).toEqual([{ name: 'one' }]);
    expect(await prepared(plain, 'unnamed')).toEqual([]);
    const preparing = await open(true);
    expect(await new RequestDb(preparing).query(`SELECT count(*)::int AS n /* no-parameters */ FROM things; SELECT 1`)).toBeDefined();
    expect(await prepared(preparing, 'no-parameters')).toEqual([]);
  });

  it('runs a statement again after a migration changed the columns it returns', async () => {
    const dataSource = await open(true);
    const request = new RequestDb(dataSource);
    const everything = `SELECT * /* stale */ FROM things WHERE id = $1`;
    expect(await request.query(everything, [1])).toEqual([{ id: 1, name: 'one' }]);
    await db.dataSource.query(`ALTER TABLE things ADD COLUMN kind text NOT NULL DEFAULT 'plain'`);
    try {
      expect(await request.query(everything, [1])).toEqual([{ id: 1, name: 'one', kind: 'plain' }]);
      expect(await request.query(everything, [2])).toEqual([{ id: 2, name: 'two', kind: 'plain' }]);
    } finally {
      await db.dataSource.query(`ALTER TABLE things DROP COLUMN kind`);
    }
  });

  it('fails as TypeORM’s own queries fail, with the driver’s error inside', async () => {
    const dataSource = await open(true);
    const failure = await new RequestDb(dataSource).query(`INSERT INTO things VALUES ($1, $2)`, [1, 'again']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(failure).toMatchObject({ code: '23505', driverError: { code: '23505', constraint: 'things_pkey' } });
    expect(isUniqueViolation(failure, 'things_pkey')).toBe(true);
  });
});
