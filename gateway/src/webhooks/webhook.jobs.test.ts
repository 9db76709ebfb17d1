import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { publishEvent } from '../core/events';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { DEFAULT_DISPATCHER_OPTIONS, startWebhookJobs, WEBHOOK_PRUNE_QUEUE } from './webhook.jobs';

async function until(what: string, probe: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhook jobs', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let jobs: { stop(): Promise<void> };
  let server: Server;
  let companyId: number;
  let endpointId: number;
  const bodies: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    [{ id: companyId }] = await db.dataSource.query(`INSERT INTO billing.companies (bin, name) VALUES ('990140000013', 'Hooks') RETURNING id`);
    [{ id: endpointId }] = await db.dataSource.query(
      `INSERT INTO cabinet.webhook_endpoints (company_id, name, url, event_types, secret) VALUES ($1, 'jobs', $2, '{NUMBER_CHANGED}', 'whsec_test') RETURNING id`,
      [companyId, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`],
    );
    boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', max: 2 });
    await boss.start();
    jobs = await startWebhookJobs({
      boss,
      dataSource: db.dataSource,
      log: pino({ level: 'silent' }),
      options: { ...DEFAULT_DISPATCHER_OPTIONS, allowLoopback: true, pollMs: 20 },
      retentionDays: 30,
      runWorker: true,
    });
  });
  afterAll(async () => {
    await jobs.stop();
    await boss.stop({ graceful: false });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await db.drop();
  });

  it('delivers a committed event on its own, polling', async () => {
    await publishEvent(db.dataSource, { topic: 'NUMBER_CHANGED', companyId, payload: { numberId: 5 } });
    await until('the delivery', async () => bodies.length === 1);
    await until('its record', async () => {
      const [row] = await db.dataSource.query(`SELECT status FROM cabinet.webhook_deliveries WHERE endpoint_id = $1`, [endpointId]);
      return row?.status === 'SUCCEEDED';
    });
  });

  it('is scheduled, and removes finished deliveries older than the retention, never pending ones', async () => {
    expect((await boss.getSchedules(WEBHOOK_PRUNE_QUEUE)).map((s) => s.name)).toEqual([WEBHOOK_PRUNE_QUEUE]);
    await db.dataSource.query(
      `INSERT INTO cabinet.webhook_deliveries (endpoint_id, company_id, event_position, topic, payload, occurred_at, status, created_at, next_attempt_at)
       VALUES ($1, $2, 100, 'NUMBER_CHANGED', '{}', now(), 'SUCCEEDED', now() - interval '31 days', now()),
              ($1, $2, 101, 'NUMBER_CHANGED', '{}', now(), 'FAILED', now() - interval '31 days', now()),
              ($1, $2, 102, 'NUMBER_CHANGED', '{}', now(), 'PENDING', now() - interval '31 days', now() + interval '1 day'),
              ($1, $2, 103, 'NUMBER_CHANGED', '{}', now(), 'SUCCEEDED', now() - interval '29 days', now())`,
      [endpointId, companyId],
    );
    await boss.send(WEBHOOK_PRUNE_QUEUE, {});
    await until('the prune', async () => {
      const rows = await db.dataSource.query(`SELECT 1 FROM cabinet.webhook_deliveries WHERE event_position IN (100, 101)`);
      return rows.length === 0;
    });
    const left = await db.dataSource.query(`SELECT event_position::int AS p FROM cabinet.webhook_deliveries WHERE event_position >= 100 ORDER BY 1`);
    expect(left).toEqual([{ p: 102 }, { p: 103 }]);
  });
});
