import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { pruneUploads, startUploadJobs, UPLOAD_PRUNE_QUEUE } from './bulk.upload.jobs';

describe('the pruning of uploaded lists', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let companyId: number;
  const sql = (text: string, params: unknown[] = []) => db.dataSource.query(text, params);

  /** An upload of two lines received `hours` ago. */
  const upload = async (hours: number): Promise<string> => {
    const [row] = await sql(
      `INSERT INTO cabinet.bulk_uploads (company_id, file_name, with_iccid, lines, created_at) VALUES ($1, 'list.csv', false, 2, now() - $2 * interval '1 hour')
       RETURNING id::text`,
      [companyId, hours],
    );
    await sql(
      `INSERT INTO cabinet.bulk_upload_lines (upload_id, line, raw, msisdn) VALUES ($1, 1, '77010000001', '77010000001'), ($1, 2, '77010000002', '77010000002')`,
      [row.id],
    );
    return row.id;
  };
  /** A fleet operation started on the upload, in `status`, ended `endedHoursAgo` ago when given. */
  const operationOn = (uploadId: string, status: string, endedHoursAgo: number | null = null) =>
    sql(
      `INSERT INTO cabinet.bulk_operations (company_id, kind, selection, status, total, plan_token, actor_name, finished_at)
       VALUES ($1, 'SET_SMS_USSD_BAN', $2, $3, 1, 'test', 'Test', now() - $4 * interval '1 hour')`,
      [companyId, JSON.stringify({ uploadId }), status, endedHoursAgo],
    );
  const left = async () => (await sql(`SELECT id::text FROM cabinet.bulk_uploads ORDER BY id`)).map((r: { id: string }) => r.id);
  const lines = async () => (await sql(`SELECT count(*)::int AS n FROM cabinet.bulk_upload_lines`))[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: companyId }] = await sql(`INSERT INTO billing.companies (bin, name) VALUES ('990140000021', 'Uploads') RETURNING id`);
    boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', max: 2 });
    await boss.start();
    await startUploadJobs({ boss, db: db.dataSource, log: pino({ level: 'silent' }), runWorker: true });
  });
  afterAll(async () => {
    await boss.stop({ graceful: false });
    await db.drop();
  });

  it('is scheduled, and its job deletes the lists past use with their lines, keeping those an open or just ended operation names', async () => {
    expect((await boss.getSchedules(UPLOAD_PRUNE_QUEUE)).map((s) => s.name)).toEqual([UPLOAD_PRUNE_QUEUE]);
    const fresh = await upload(1);
    const justExpired = await upload(24.5);
    const old = await upload(26);
    const held = await upload(30);
    await operationOn(held, 'RUNNING');
    const justEnded = await upload(30);
    await operationOn(justEnded, 'FINISHED', 0.5);
    const longEnded = await upload(30);
    await operationOn(longEnded, 'CANCELLED', 2);
    expect(await lines()).toBe(12);

    await boss.send(UPLOAD_PRUNE_QUEUE, {});
    const deadline = Date.now() + 20_000;
    while ((await left()).includes(old) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await left()).toEqual([fresh, justExpired, held, justEnded]);
    expect(await lines()).toBe(8);
    expect(await pruneUploads(db.dataSource)).toBe(0);

    // Once the operation has ended more than an hour ago, its list goes too.
    await sql(`UPDATE cabinet.bulk_operations SET status = 'FINISHED', finished_at = now() - interval '2 hours' WHERE selection->>'uploadId' = $1`, [held]);
    expect(await pruneUploads(db.dataSource)).toBe(1);
    expect(await left()).toEqual([fresh, justExpired, justEnded]);
  });
});
