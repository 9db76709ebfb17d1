import { toGlobalId } from '../core/ids';
import { seedBulk } from '../db/seed/bulk';
import { seedDemo } from '../db/seed/seed';
import { startTestApp, type TestApp } from '../test/app';
import { createTestDatabase } from '../test/database';
import { PROGRESS_EVERY_MS } from './bulk.service';

/** Slow enough that items handed over a token apart finish well apart. */
const DELAY_MS = 1500;
const NUMBERS = 5;
const SUBMIT = `mutation($input: BulkOperationInput!, $dryRun: Boolean!, $token: String) {
  bulkOperation(input: $input, dryRun: $dryRun, token: $token) { plan { token changes } operation { id } } }`;

describe('progress of a fleet operation', () => {
  let t: TestApp;
  let company: string;
  const sql = (text: string, params: unknown[] = []) => t.db.dataSource.query(text, params);

  beforeAll(async () => {
    const db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    const [companyId] = (await seedBulk(db.dataSource, { companies: 1, numbers: NUMBERS })).companyIds;
    company = toGlobalId('Company', companyId);
    // Two tokens a second and room for every item: the driver hands the last item over while the others are still
    // in process, and then only waits for them.
    t = await startTestApp('mercurius', { db, jobs: { billingDelayMs: DELAY_MS, billingMaxRate: 2, billingConcurrency: NUMBERS } });
  });
  afterAll(async () => {
    await t.close();
    await t.db.drop();
  });

  it('is published as the last items finish, not only when the operation ends', async () => {
    const input = { companyId: company, kind: 'SET_SMS_USSD_BAN', enabled: true, selection: { matching: {} } };
    const dry = await t.gql(SUBMIT, { input, dryRun: true });
    expect(dry.data!.bulkOperation.plan.changes).toBe(NUMBERS);
    const res = await t.gql(SUBMIT, { input, dryRun: false, token: dry.data!.bulkOperation.plan.token });
    expect(res.errors).toBeUndefined();
    const id = Buffer.from(res.data!.bulkOperation.operation.id, 'base64url').toString().split(':')[1];
    const deadline = Date.now() + 60_000;
    while ((await sql(`SELECT 1 FROM cabinet.bulk_operations WHERE id = $1 AND status = 'FINISHED'`, [id])).length === 0) {
      if (Date.now() > deadline) throw new Error('the fleet operation did not finish');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Every item that finished before the last ones is followed by a progress event before the operation ends,
    // within the coalescing window and a wait of the driver.
    const finishes: { ms: number; followedMs: number | null }[] = await sql(
      `SELECT extract(epoch FROM b.finished_at - i.finished_at)::float8 * 1000 AS ms,
         (SELECT extract(epoch FROM min(e.created_at) - i.finished_at)::float8 * 1000 FROM cabinet.events e
          WHERE e.payload->>'bulkOperationId' = b.id::text AND e.created_at >= i.finished_at AND e.created_at < b.finished_at) AS "followedMs"
       FROM cabinet.bulk_items i JOIN cabinet.bulk_operations b ON b.id = i.bulk_operation_id
       WHERE b.id = $1 ORDER BY i.finished_at`,
      [id],
    );
    expect(finishes).toHaveLength(NUMBERS);
    const early = finishes.filter((f) => f.ms > 2 * PROGRESS_EVERY_MS);
    // Handed over half a second apart, at least the first items finish well before the end.
    expect(early.length).toBeGreaterThanOrEqual(2);
    for (const f of early) {
      expect(f.followedMs).not.toBeNull();
      expect(f.followedMs!).toBeLessThanOrEqual(3 * PROGRESS_EVERY_MS);
    }
  }, 90_000);
});
