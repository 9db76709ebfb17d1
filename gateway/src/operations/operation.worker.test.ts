import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { createBillingSimulator } from '../billing/billing.simulator';
import type { BillingSystem } from '../billing/billing.port';
import { toGlobalId } from '../core/ids';
import { publishEvent } from '../core/events';
import { startTestApp, type TestApp } from '../test/app';
import { startOperationWorker } from './operation.worker';

/** Waits for `probe` to hold; the deadline only turns a hang into a failure. */
async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
    await until('all twelve operations waiting for the billing system at once', () => waiting === 12);
    release();
    await until('all twelve applied', async () => {
      const [row] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.operations WHERE id = ANY($1::bigint[]) AND status = 'SUCCESS'`, [ids]);
      return row.n === 12;
    });
  });
});
