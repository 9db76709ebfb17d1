import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createOutboxSms, createSmsSender, readOutbox, type SmsDb } from './sms';

const OUTBOX_DDL = `
  CREATE SCHEMA IF NOT EXISTS cabinet;
  CREATE TABLE IF NOT EXISTS cabinet.sms_outbox (
    id bigserial PRIMARY KEY,
    phone varchar(11),
    text text,
    purpose varchar(32),
    created_at timestamptz DEFAULT now(),
    sent_via varchar(16)
  );
`;

function databaseUrl(database: string): string {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup starts PostgreSQL)');
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

describe('outbox SMS', () => {
  const name = `sms_test_${randomBytes(6).toString('hex')}`;
  let admin: Client;
  let client: Client;
  let db: SmsDb;

  beforeAll(async () => {
    admin = new Client({ connectionString: databaseUrl('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    client = new Client({ connectionString: databaseUrl(name) });
    await client.connect();
    await client.query(OUTBOX_DDL);
    db = { query: async (sql, params) => (await client.query(sql, params)).rows };
  });
  afterAll(async () => {
    await client?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  const count = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM cabinet.sms_outbox'))[0].n;

  it('stores the message and logs its text so that a local user can read the code', async () => {
    const log = { info: jest.fn() };
    const sms = createOutboxSms(db, log);
    const text = 'Код восстановления: 123456. Қалпына келтіру коды';

    const sent = await sms.send({ to: '77011234567', text, purpose: 'RECOVERY_CODE' });
    await sms.close();

    expect(sent.id).toMatch(/^\d+$/);
    expect(await readOutbox(db, '77011234567')).toEqual([
      { id: sent.id, to: '77011234567', text, purpose: 'RECOVERY_CODE', createdAt: expect.any(Date), sentVia: 'outbox' },
    ]);
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledWith({ sms: { to: '77011234567', purpose: 'RECOVERY_CODE', text } }, 'SMS (outbox)');
  });

  it('reads the latest messages for one phone, newest first, up to the limit', async () => {
    const sms = createOutboxSms(db, { info: () => {} });
    const first = await sms.send({ to: '77021112233', text: 'first', purpose: 'NOTICE' });
    await sms.send({ to: '77779998877', text: 'other phone', purpose: 'NOTICE' });
    const second = await sms.send({ to: '77021112233', text: 'second', purpose: 'SECRET_CODE' });
    const third = await sms.send({ to: '77021112233', text: 'third', purpose: 'SIM_REPLACEMENT_NOTICE' });

    const latest = await readOutbox(db, '77021112233', 2);

    expect(latest.map((row) => [row.id, row.text, row.purpose])).toEqual([
      [third.id, 'third', 'SIM_REPLACEMENT_NOTICE'],
      [second.id, 'second', 'SECRET_CODE'],
    ]);
    expect((await readOutbox(db, '77021112233')).map((row) => row.id)).toEqual([third.id, second.id, first.id]);
  });

  it('refuses a phone that is not 7XXXXXXXXXX, storing and logging nothing', async () => {
    const log = { info: jest.fn() };
    const sms = createOutboxSms(db, log);
    const before = await count();

    for (const to of ['+77011234567', '87011234567', '7701123456', '770112345678', '7701123456a', '7701123456\n', '']) {
      await expect(sms.send({ to, text: 'Код: 1234', purpose: 'SECRET_CODE' })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extra: { field: 'to' },
      });
    }

    expect(await count()).toBe(before);
    expect(log.info).not.toHaveBeenCalled();
  });

  it('refuses an empty text and one longer than 670 characters, accepting exactly 670', async () => {
    const sms = createOutboxSms(db, { info: () => {} });
    const before = await count();

    for (const text of ['', '   ', 'ә'.repeat(671)]) {
      await expect(sms.send({ to: '77011234567', text, purpose: 'NOTICE' })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extra: { field: 'text' },
      });
    }
    expect(await count()).toBe(before);

    await sms.send({ to: '77011234567', text: 'ә'.repeat(670), purpose: 'NOTICE' });
    expect((await readOutbox(db, '77011234567', 1))[0]?.text).toBe('ә'.repeat(670));
  });

  it('sends to the outbox when no SMPP URL is configured', async () => {
    const sms = createSmsSender({}, db, { info: () => {} });

    const sent = await sms.send({ to: '77470001122', text: 'Ваша SIM-карта заменена', purpose: 'SIM_REPLACEMENT_NOTICE' });
    await sms.close();

    expect(await readOutbox(db, '77470001122')).toMatchObject([{ id: sent.id, sentVia: 'outbox' }]);
  });
});
