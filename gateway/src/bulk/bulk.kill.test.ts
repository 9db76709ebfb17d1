import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toGlobalId } from '../core/ids';
import { seedBulk } from '../db/seed/bulk';
import { seedDemo } from '../db/seed/seed';
import { startTestApp, type TestApp } from '../test/app';
import { until } from '../test/until';
import { createTestDatabase } from '../test/database';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');
const NUMBERS = 300;

function startWorker(databaseUrl: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [WORKER], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('a fleet operation whose worker is killed with SIGKILL mid-job', () => {
  let t: TestApp;
  let companyId: number;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: build the gateway first (npm test does)`);
    const db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    [companyId] = (await seedBulk(db.dataSource, { companies: 1, numbers: NUMBERS })).companyIds;
    t = await startTestApp('mercurius', {
      db,
      jobs: { runWorker: false, timings: { expireInSeconds: 2, retryLimit: 5, retryDelaySeconds: 0 }, superviseIntervalSeconds: 1 },
    });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await t.close();
    await t.db.drop();
  });

  it('applies every item exactly once after another worker takes over', async () => {
    const sql = (text: string, params: unknown[] = []) => t.db.dataSource.query(text, params);
    const before: { id: number; state: string }[] = await sql(`SELECT id, state FROM billing.numbers WHERE company_id = $1`, [companyId]);
    const input = { companyId: toGlobalId('Company', companyId), kind: 'BLOCK_NUMBER', selection: { matching: {} } };
    const mutation = `mutation($input: BulkOperationInput!, $dryRun: Boolean!, $token: String) {
      bulkOperation(input: $input, dryRun: $dryRun, token: $token) { plan { token changes } operation { id status } } }`;
    const dry = await t.gql(mutation, { input, dryRun: true });
    const started = await t.gql(mutation, { input, dryRun: false, token: dry.data!.bulkOperation.plan.token });
    expect(started.errors).toBeUndefined();
    const changes: number = started.data!.bulkOperation.plan.changes;
    expect(changes).toBe(before.filter((n) => n.state === 'ACTIVE').length);
    expect(changes).toBeGreaterThan(100);
    const bulkId = Buffer.from(started.data!.bulkOperation.operation.id, 'base64url').toString().split(':')[1];
    const counts = async () =>
      (
        await sql(
          `SELECT count(*) FILTER (WHERE status = 'SUCCESS')::int AS success, count(*) FILTER (WHERE status = 'IN_PROCESS')::int AS "inProcess",
             count(*) FILTER (WHERE status = 'PENDING')::int AS pending
           FROM cabinet.bulk_items WHERE bulk_operation_id = $1`,
          [bulkId],
        )
      )[0] as { success: number; inProcess: number; pending: number };

    const slow = startWorker(t.db.url, { BILLING_DELAY_MS: '300', BILLING_MAX_RATE: '100', BILLING_CONCURRENCY: '10' });
    workers.push(slow);
    await until(
      'some items to finish with others in process',
      async () => {
        const c = await counts();
        return c.success >= 20 && c.inProcess > 0 ? true : undefined;
      },
      60_000,
    );
    slow.kill('SIGKILL');
    await new Promise((resolve) => slow.once('exit', resolve));
    const midway = await counts();
    expect(midway.pending).toBeGreaterThan(0);

    const fresh = startWorker(t.db.url, { BILLING_DELAY_MS: '0', BILLING_MAX_RATE: '1000', BILLING_CONCURRENCY: '50' });
    workers.push(fresh);
    const status = await until(
      'the operation to end',
      async () => {
        const [row] = await sql(`SELECT status FROM cabinet.bulk_operations WHERE id = $1`, [bulkId]);
        return row.status === 'FINISHED' ? row.status : undefined;
      },
      120_000,
    );
    expect(status).toBe('FINISHED');
    expect(await counts()).toEqual({ success: changes, inProcess: 0, pending: 0 });

    // Exactly once: one operation per changed item, one history entry per operation, every number blocked once.
    const [ops] = await sql(
      `SELECT count(*)::int AS n, count(DISTINCT number_id)::int AS numbers, count(*) FILTER (WHERE status = 'SUCCESS')::int AS success
       FROM cabinet.operations WHERE bulk_operation_id = $1`,
      [bulkId],
    );
    expect(ops).toEqual({ n: changes, numbers: changes, success: changes });
    const [log] = await sql(
      `SELECT count(*)::int AS n, count(DISTINCT number_id)::int AS numbers FROM cabinet.action_log WHERE bulk_operation_id = $1 AND number_id IS NOT NULL`,
      [bulkId],
    );
    expect(log).toEqual({ n: changes, numbers: changes });
    const after: { id: number; state: string }[] = await sql(`SELECT id, state FROM billing.numbers WHERE company_id = $1`, [companyId]);
    const was = new Map(before.map((n) => [n.id, n.state]));
    for (const n of after) expect(n.state).toBe(was.get(n.id) === 'ACTIVE' ? 'BLOCKED' : was.get(n.id));
    const [entry] = await sql(`SELECT status, details FROM cabinet.action_log WHERE bulk_operation_id = $1 AND number_id IS NULL`, [bulkId]);
    expect(entry).toMatchObject({ status: 'SUCCESS', details: { counts: { success: changes, failure: 0 } } });
    fresh.kill('SIGTERM');
  });
});
