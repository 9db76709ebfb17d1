import { seedBulk } from '../db/seed/bulk';
import { seedDemo } from '../db/seed/seed';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { billing } from './billing.adapter';

/** Searches by digits through the fragments' index answer exactly what a plain LIKE over the numbers answers. */
describe('the search of numbers by digits', () => {
  let db: TestDatabase;
  let companyId: number;
  const sql = (text: string, params: unknown[] = []) => db.dataSource.query(text, params);
  /** What the search must find: the plain statement, no index of ours. */
  const oracle = async (search: string, state: string | null, after: string | null, limit: number): Promise<string[]> =>
    (
      await sql(
        `SELECT msisdn FROM billing.numbers WHERE company_id = $1 AND strpos(msisdn, $2) > 0 AND ($3::billing.number_state IS NULL OR state = $3)
           AND ($4::text IS NULL OR msisdn > $4) ORDER BY msisdn LIMIT $5`,
        [companyId, search, state, after, limit],
      )
    ).map((r: { msisdn: string }) => r.msisdn);
  const found = async (search: string, state: string | null = null, after: string | null = null, limit = 51) =>
    (await billing.listNumbers(db.dataSource, { companyId, search, state: state as never, afterMsisdn: after, limit })).map((n) => n.msisdn);

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    [companyId] = (await seedBulk(db.dataSource, { companies: 1, numbers: 3000 })).companyIds;
    await sql(`UPDATE billing.numbers SET state = 'BLOCKED' WHERE company_id = $1 AND id % 7 = 0`, [companyId]);
  });
  afterAll(() => db.drop());

  it('finds the same numbers in the same order as a plain scan, with states, cursors and page sizes', async () => {
    const numbers: string[] = (await sql(`SELECT msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY random() LIMIT 40`, [companyId])).map(
      (r: { msisdn: string }) => r.msisdn,
    );
    let compared = 0;
    for (const [i, msisdn] of numbers.entries()) {
      const search = msisdn.slice(i % 6, (i % 6) + 4 + (i % 7));
      for (const state of [null, 'BLOCKED']) {
        for (const limit of [1, 51, 2001]) {
          const first = await found(search, state, null, limit);
          expect(first).toEqual(await oracle(search, state, null, limit));
          const after = first[Math.floor(first.length / 2)] ?? null;
          expect(await found(search, state, after, limit)).toEqual(await oracle(search, state, after, limit));
          compared++;
        }
      }
    }
    expect(compared).toBe(240);
    expect(await found('0000000')).toEqual(await oracle('0000000', null, null, 51));
  });

  it('follows numbers added, renumbered, moved to another company and removed', async () => {
    const [other] = await sql(`SELECT id FROM billing.companies WHERE id <> $1 ORDER BY id LIMIT 1`, [companyId]);
    const [number] = await sql(`SELECT id, msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn DESC LIMIT 1`, [companyId]);
    await sql(`UPDATE billing.numbers SET msisdn = '79998887766' WHERE id = $1`, [number.id]);
    expect(await found('9988877')).toEqual(['79998887766']);
    expect(await found(number.msisdn.slice(3, 10))).toEqual(await oracle(number.msisdn.slice(3, 10), null, null, 51));
    await sql(`UPDATE billing.numbers SET company_id = $2 WHERE id = $1`, [number.id, other.id]);
    expect(await found('9988877')).toEqual([]);
    const [copy] = await sql(
      `INSERT INTO billing.numbers (msisdn, company_id, account_id, tariff_id, state, balance, available_funds, registration_form)
       SELECT '79998881234', $1, account_id, tariff_id, state, balance, available_funds, registration_form FROM billing.numbers
       WHERE company_id = $1 LIMIT 1 RETURNING id`,
      [companyId],
    );
    expect(await found('99888')).toEqual(['79998881234']);
    await sql(`DELETE FROM billing.numbers WHERE id = $1`, [copy.id]);
    expect(await found('99888')).toEqual([]);
    const [counts] = await sql(
      `SELECT count(*)::int AS wrong FROM billing.number_gram_counts c
       WHERE c.n <> (SELECT count(*) FROM billing.number_grams g WHERE g.company_id = c.company_id AND g.gram = c.gram)`,
    );
    expect(counts.wrong).toBe(0);
  });
});
