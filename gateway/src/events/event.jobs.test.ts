import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { publishEvent } from '../core/events';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { EVENT_PRUNE_QUEUE, startEventJobs } from './event.jobs';
import { eventLog } from '../core/event-log';

describe('event retention', () => {
  let db: TestDatabase;
  let boss: PgBoss;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', max: 2 });
    await boss.start();
    await startEventJobs({ boss, db: db.dataSource, log: pino({ level: 'silent' }), retentionDays: 30, runWorker: true });
  });
  afterAll(async () => {
    await boss.stop({ graceful: false });
    await db.drop();
  });

  it('is scheduled, and its job removes the events older than the retention and records where the log was cut', async () => {
    expect((await boss.getSchedules(EVENT_PRUNE_QUEUE)).map((s) => s.name)).toEqual([EVENT_PRUNE_QUEUE]);
    for (const n of [1, 2, 3]) await publishEvent(db.dataSource, { topic: 'PING', companyId: 7, payload: { n } });
    await db.dataSource.query(`UPDATE cabinet.events SET created_at = now() - interval '31 days' WHERE company_id = 7 AND position <= 2`);
    await boss.send(EVENT_PRUNE_QUEUE, {});
    const deadline = Date.now() + 20_000;
    while ((await eventLog.head(db.dataSource, 7)).prunedThrough < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await eventLog.head(db.dataSource, 7)).toEqual({ last: 3, prunedThrough: 2 });
    const left = await db.dataSource.query(`SELECT position::int AS position FROM cabinet.events WHERE company_id = 7`);
    expect(left).toEqual([{ position: 3 }]);
  });

  it('keeps events within the retention', async () => {
    for (const n of [1, 2]) await publishEvent(db.dataSource, { topic: 'PING', companyId: 8, payload: { n } });
    await db.dataSource.query(`UPDATE cabinet.events SET created_at = now() - interval '29 days' WHERE company_id = 8`);
    expect(await eventLog.prune(db.dataSource, 30)).toBe(0);
    expect(await eventLog.head(db.dataSource, 8)).toEqual({ last: 2, prunedThrough: 0 });
  });
});
