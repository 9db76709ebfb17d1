import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { createBillingSimulator } from '../billing/billing.simulator';
import type { BillingSystem } from '../billing/billing.port';
import { toGlobalId } from '../core/ids';
import { publishEvent } from '../core/events';
import type { SmsMessage, SmsSender } from '../delivery/sms';
import { startTestApp, type TestApp } from '../test/app';
import { until } from '../test/until';
import { OPERATION_EFFECT_QUEUE } from './operation.queue';
import { startOperationWorker } from './operation.worker';

describe('the operations worker', () => {
  let t: TestApp;
  let boss: PgBoss;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let waiting = 0;
  let startWorker: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    t = await startTestApp('mercurius', { jobs: { runWorker: false } });
    // The billing system answers only when the test says so; until then every job the worker took is waiting in it.
    const simulator = createBillingSimulator(0);
    const billing: BillingSystem = {
      processingDelay: async () => {
        waiting += 1;
        await gate;
      },
      apply: (db, operation) => simulator.apply(db, operation),
    };
    boss = new PgBoss({ connectionString: t.db.url, schema: 'pgboss', max: 2 });
    await boss.start();
    startWorker = () =>
      startOperationWorker({
        boss,
        dataSource: t.db.dataSource,
        billing,
        events: { publish: publishEvent },
        sms: undefined as never,
        log: pino({ level: 'silent' }),
      });
  });
  afterAll(async () => {
    release();
    await boss?.stop({ graceful: true, timeout: 5000 });
    await t.close();
  });

  it('waits for the billing system on many operations side by side, not a few at a time', async () => {
    const numbers: { id: number }[] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE state = 'ACTIVE' ORDER BY id LIMIT 12`);
    expect(numbers).toHaveLength(12);
    const ids: string[] = [];
    for (const { id } of numbers) {
      const res = await t.gql('mutation($n: ID!) { blockNumber(numberId: $n) { id } }', { n: toGlobalId('Number', id) });
      expect(res.errors).toBeUndefined();
      ids.push(Buffer.from(res.data!.blockNumber.id, 'base64url').toString().split(':')[1]);
    }
    // Started once all twelve are queued: on a slow machine a worker polling meanwhile takes them in several small
    // batches, and the first two, held at the gate, would leave the rest untaken.
    await startWorker();
    await until('all twelve operations waiting for the billing system at once', () => waiting === 12, 20_000);
    release();
    await until(
      'all twelve applied',
      async () => {
        const [row] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.operations WHERE id = ANY($1::bigint[]) AND status = 'SUCCESS'`, [
          ids,
        ]);
        return row.n === 12;
      },
      20_000,
    );
  });
});

describe('the effects of operations', () => {
  let t: TestApp;
  let boss: PgBoss;
  const sent: SmsMessage[] = [];
  let refusals = 1;
  // The SMSC refuses the first message, as one that is down for a moment does.
  const sms: SmsSender = {
    async send(message) {
      if (refusals-- > 0) throw new Error('SMSC unavailable');
      sent.push(message);
      return { id: String(sent.length) };
    },
    async close() {},
  };

  beforeAll(async () => {
    t = await startTestApp('mercurius', { jobs: { runWorker: false, timings: { expireInSeconds: 60, retryLimit: 5, retryDelaySeconds: 0 } } });
    boss = new PgBoss({ connectionString: t.db.url, schema: 'pgboss', max: 2 });
    await boss.start();
    await startOperationWorker({
      boss,
      dataSource: t.db.dataSource,
      billing: createBillingSimulator(0),
      events: { publish: publishEvent },
      sms,
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: true, timeout: 5000 });
    await t.close();
  });

  it('sends the secret code after the success is recorded, again when the SMSC refused it, and once', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id, msisdn FROM billing.numbers WHERE msisdn = '77010542006'`);
    const res = await t.gql('mutation($n: ID!) { sendSecretCode(numberId: $n) { id } }', { n: toGlobalId('Number', number.id) });
    expect(res.errors).toBeUndefined();
    const operationId = Buffer.from(res.data!.sendSecretCode.id, 'base64url').toString().split(':')[1];

    const job = await until(
      'the SMS job to complete',
      async () => {
        const [row] = await t.db.dataSource.query(`SELECT state, retry_count AS "retryCount" FROM pgboss.job WHERE name = $1 AND data->>'operationId' = $2`, [
          OPERATION_EFFECT_QUEUE,
          operationId,
        ]);
        return row?.state === 'completed' ? row : undefined;
      },
      20_000,
    );
    expect(job.retryCount).toBe(1);
    expect(sent).toEqual([{ to: number.msisdn, purpose: 'SECRET_CODE', text: expect.stringMatching(/секретный код \d{6}/) }]);
    const [op] = await t.db.dataSource.query(`SELECT status FROM cabinet.operations WHERE id = $1`, [operationId]);
    expect(op.status).toBe('SUCCESS');
  });

  it('works many effects a batch at a time, each with its own outcome', async () => {
    // The operation of the test above: sixty effect jobs of it, in the queue at once.
    const [op] = await t.db.dataSource.query(`SELECT id::text FROM cabinet.operations WHERE kind = 'SEND_SECRET_CODE' AND status = 'SUCCESS' LIMIT 1`);
    expect(op).toBeDefined();
    sent.length = 0;
    refusals = 1;
    const ids = await boss.insert(
      OPERATION_EFFECT_QUEUE,
      Array.from({ length: 60 }, () => ({ data: { operationId: op.id } })),
      { returnId: true },
    );
    const jobs = await until(
      'sixty effects completed',
      async () => {
        const [row] = await t.db.dataSource.query(
          `SELECT count(*) FILTER (WHERE state = 'completed')::int AS completed, count(*) FILTER (WHERE retry_count > 0)::int AS retried,
           count(DISTINCT started_on)::int AS fetches
         FROM pgboss.job WHERE id = ANY($1::uuid[])`,
          [ids],
        );
        return row.completed === 60 ? row : undefined;
      },
      30_000,
    );
    // The refused one went again alone: its batch's others went out once.
    expect(jobs.retried).toBe(1);
    expect(sent).toHaveLength(60);
    // A fetch stamps its whole batch with one start: one job per fetch would give sixty.
    expect(jobs.fetches).toBeLessThanOrEqual(12);
  });
});
