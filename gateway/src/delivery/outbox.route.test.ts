import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { buildApp } from '../app';
import { testConfig } from '../test/app';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { createMailer, mailOutboxDir } from './mail';
import { createOutboxSms } from './sms';

describe('the local outbox page', () => {
  let db: TestDatabase;
  let dataDir: string;
  let app: FastifyInstance;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'cabinet-outbox-'));
    const sms = createOutboxSms(db.dataSource, log);
    await sms.send({ to: '77010000001', text: 'Cabinet code 111111', purpose: 'RECOVERY_CODE' });
    await sms.send({ to: '77010000002', text: 'Code <script>alert(1)</script> 222222', purpose: 'RECOVERY_CODE' });
    const mailer = createMailer({ outboxDir: mailOutboxDir(dataDir), from: 'cabinet@example.kz' });
    await mailer.send({ to: 'first@example.kz', subject: 'Older report', text: 'The first one.' });
    // The files are named by the millisecond they were written in.
    await sleep(5);
    await mailer.send({
      to: 'accountant@example.kz',
      subject: 'List of numbers',
      text: 'Your report is attached.',
      attachments: [
        {
          filename: 'Список номеров.xlsx',
          content: Buffer.from('xlsx bytes'),
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
      ],
    });
    await mailer.close();
    app = await buildApp({ config: testConfig({ engine: 'mercurius', dataDir }), dataSource: db.dataSource, log });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the kept SMS and e-mails newest first, text escaped', async () => {
    const response = await app.inject({ method: 'GET', url: '/outbox', headers: { 'accept-language': 'ru' } });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const page = response.body;
    expect(page).toContain('Исходящие');
    expect(page.indexOf('222222')).toBeLessThan(page.indexOf('Cabinet code 111111'));
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page.indexOf('List of numbers')).toBeLessThan(page.indexOf('Older report'));
    expect(page).toContain('accountant@example.kz');
    expect(page).toContain('Список номеров.xlsx');
    // Each table scrolls in a frame of its own on a phone, reachable by keyboard.
    expect(page).toContain('<div class="frame" tabindex="0" role="region" aria-label="SMS"><table>');
  });

  it("serves an e-mail's attachment", async () => {
    const page = (await app.inject({ method: 'GET', url: '/outbox' })).body;
    const link = /href="(\/outbox\/mail\/[^"]+\/0)"/.exec(page)?.[1];
    expect(link).toBeDefined();

    const response = await app.inject({ method: 'GET', url: link! });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('xlsx bytes');
    expect(response.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('Список номеров.xlsx')}`);
  });

  it('answers only this machine, not a request passed on by a proxy', async () => {
    expect((await app.inject({ method: 'GET', url: '/outbox', remoteAddress: '10.1.2.3' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/outbox', headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'HEAD', url: '/outbox' })).statusCode).toBe(200);
  });

  it('refuses file names outside the outbox folder', async () => {
    expect((await app.inject({ method: 'GET', url: '/outbox/mail/..%2F..%2Fetc%2Fpasswd/0' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/outbox/mail/missing.eml/0' })).statusCode).toBe(404);
  });

  it('does not exist once SMS and e-mail are really sent', async () => {
    const sending = await buildApp({
      config: testConfig({ engine: 'mercurius', dataDir, smppUrl: 'smpp://cabinet:secret@127.0.0.1:1', smtpUrl: 'smtp://127.0.0.1:1' }),
      dataSource: db.dataSource,
      log,
      sms: createOutboxSms(db.dataSource, log),
    });
    try {
      expect((await sending.inject({ method: 'GET', url: '/outbox' })).statusCode).toBe(404);
    } finally {
      await sending.close();
    }
  });
});
