import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toGlobalId } from '../core/ids';
import { startTestApp, type TestApp } from '../test/app';
import { until } from '../test/until';
import { OPERATION_EFFECT_QUEUE, OPERATION_QUEUE } from './operation.queue';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');

function startWorker(databaseUrl: string, billingDelayMs: number): ChildProcess {
  return spawn(process.execPath, [WORKER], {
    env: { ...process.env, DATABASE_URL: databaseUrl, BILLING_DELAY_MS: String(billingDelayMs), LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('a worker killed while it runs a job', () => {
  let t: TestApp;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: build the gateway first (npm test does)`);
    t = await startTestApp('mercurius', {
      jobs: { runWorker: false, timings: { expireInSeconds: 2, retryLimit: 5, retryDelaySeconds: 0 }, superviseIntervalSeconds: 1 },
    });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await t.close();
  });

  it('loses nothing: after a restart the operation completes exactly once', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id, msisdn FROM billing.numbers WHERE msisdn = '77010542006'`);
    const submitted = await t.gql('mutation($n: ID!) { sendSecretCode(numberId: $n) { id status } }', { n: toGlobalId('Number', number.id) });
    expect(submitted.data!.sendSecretCode.status).toBe('IN_PROCESS');
    const operationId = Buffer.from(submitted.data!.sendSecretCode.id, 'base64url').toString().split(':')[1];

    const slow = startWorker(t.db.url, 30_000);
    workers.push(slow);
    await until(
      'the job to be taken',
      async () => {
        const [job] = await t.db.dataSource.query(`SELECT state FROM pgboss.job WHERE name = $1 AND data->>'operationId' = $2`, [OPERATION_QUEUE, operationId]);
        return job?.state === 'active' ? true : undefined;
      },
      30_000,
    );
    slow.kill('SIGKILL');
    await new Promise((resolve) => slow.once('exit', resolve));
    const [midway] = await t.db.dataSource.query(`SELECT status FROM cabinet.operations WHERE id = $1`, [operationId]);
    expect(midway.status).toBe('IN_PROCESS');

    const fresh = startWorker(t.db.url, 0);
    workers.push(fresh);
    const finished = await until(
      'the operation to finish',
      async () => {
        const [op] = await t.db.dataSource.query(`SELECT status FROM cabinet.operations WHERE id = $1`, [operationId]);
        return op.status === 'IN_PROCESS' ? undefined : op.status;
      },
      60_000,
    );
    expect(finished).toBe('SUCCESS');
    // The operation's job, then the job of its SMS, written when the operation's success was.
    const completed = await until(
      'both jobs to complete',
      async () => {
        const jobs: { name: string; state: string }[] = await t.db.dataSource.query(
          `SELECT name, state FROM pgboss.job WHERE data->>'operationId' = $1 ORDER BY name`,
          [operationId],
        );
        return jobs.length === 2 && jobs.every((job) => job.state === 'completed') ? jobs.map((job) => job.name) : undefined;
      },
      30_000,
    );
    expect(completed).toEqual([OPERATION_QUEUE, OPERATION_EFFECT_QUEUE].sort());
    const sms = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.sms_outbox WHERE phone = $1 AND purpose = 'SECRET_CODE'`, [number.msisdn]);
    expect(sms[0].n).toBe(1);
    const log = await t.db.dataSource.query(
      `SELECT status FROM cabinet.action_log WHERE action = 'SEND_SECRET_CODE' AND number_id = $1 AND created_at > now() - interval '5 minutes'`,
      [number.id],
    );
    expect(log).toEqual([{ status: 'SUCCESS' }]);
    fresh.kill('SIGTERM');
  });
});
