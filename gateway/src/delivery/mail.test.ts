import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { writeXlsx } from '../documents/xlsx';
import { createMailer } from './mail';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Received {
  recipients: string[];
  raw: Buffer;
}

async function* usageRows(): AsyncGenerator<Record<string, unknown>> {
  for (let i = 0; i < 50; i += 1) yield { number: `+7 701 555 ${String(i).padStart(4, '0')}`, amount: BigInt(i * 1001) };
}

describe('createMailer', () => {
  let dir: string;
  let report: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-mail-'));
    report = join(dir, 'usage.xlsx');
    await writeXlsx(createWriteStream(report), {
      title: 'Детализация',
      columns: [
        { header: 'Номер', key: 'number' },
        { header: 'Сумма', key: 'amount', kind: 'money' },
      ],
      rows: usageRows(),
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('through SMTP', () => {
    let server: SMTPServer;
    let smtpUrl: string;
    let received: Received[];

    beforeEach(async () => {
      received = [];
      server = new SMTPServer({
        authOptional: true,
        secure: false,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push({ recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks) });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => server.close(resolve));
    });

    it('delivers the message with its XLSX attachment byte for byte', async () => {
      const mailer = createMailer({ smtpUrl, outboxDir: join(dir, 'outbox'), from: 'Cabinet <cabinet@operator.kz>' });
      const sent = await mailer.send({
        to: 'accountant@client.kz',
        subject: 'Детализация за март 2025 — Қазақстан',
        text: 'Детализация во вложении.',
        attachments: [{ filename: 'usage-2025-03.xlsx', path: report, contentType: XLSX_TYPE }],
      });
      await mailer.close();

      expect(sent.messageId).toMatch(/^<.+@.+>$/);
      expect(sent.location).toBeUndefined();
      expect(received).toHaveLength(1);
      const [message] = received;
      expect(message?.recipients).toEqual(['accountant@client.kz']);
      const parsed = await simpleParser(message!.raw);
      expect(parsed.subject).toBe('Детализация за март 2025 — Қазақстан');
      expect(parsed.messageId).toBe(sent.messageId);
      expect(parsed.attachments).toHaveLength(1);
      expect(parsed.attachments[0]?.filename).toBe('usage-2025-03.xlsx');
      expect(parsed.attachments[0]?.contentType).toBe(XLSX_TYPE);
      expect(parsed.attachments[0]?.content.equals(await readFile(report))).toBe(true);
    });

    it('refuses a recipient that is not one e-mail address, sending nothing', async () => {
      const mailer = createMailer({ smtpUrl, outboxDir: join(dir, 'outbox'), from: 'cabinet@operator.kz' });

      for (const to of ['not-an-address', 'a@b.kz, c@d.kz', 'a@b.kz\r\nBcc: c@d.kz', '']) {
        await expect(mailer.send({ to, subject: 'S', text: 'T' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'to' } });
      }
      await mailer.close();
      expect(received).toHaveLength(0);
    });
  });

  it('writes a parseable .eml with the attachment into the outbox without SMTP', async () => {
    const outboxDir = join(dir, 'outbox');
    const mailer = createMailer({ outboxDir, from: 'Cabinet <cabinet@operator.kz>' });
    const sent = await mailer.send({
      to: 'accountant@client.kz',
      subject: 'Есеп',
      text: 'Қосымшада.',
      html: '<p>Қосымшада.</p>',
      attachments: [{ filename: 'usage.xlsx', content: createReadStream(report), contentType: XLSX_TYPE }],
    });
    await mailer.close();

    expect(await readdir(outboxDir)).toHaveLength(1);
    expect(sent.location).toMatch(/\.eml$/);
    expect(sent.location?.startsWith(outboxDir)).toBe(true);
    const parsed = await simpleParser(await readFile(sent.location!));
    expect(parsed.subject).toBe('Есеп');
    expect(parsed.to).toMatchObject({ value: [{ address: 'accountant@client.kz' }] });
    expect(parsed.messageId).toBe(sent.messageId);
    expect(parsed.attachments[0]?.filename).toBe('usage.xlsx');
    expect(parsed.attachments[0]?.content.equals(await readFile(report))).toBe(true);
  });

  it('refuses a sender that is not an e-mail address at creation', () => {
    expect(() => createMailer({ outboxDir: dir, from: 'Cabinet' })).toThrow(Error);
  });
});
