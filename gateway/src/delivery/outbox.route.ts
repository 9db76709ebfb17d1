import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { DataSource } from 'typeorm';
import { formatDateTime } from '../core/wall-clock';
import { languageFrom, type Language } from '../core/language';

export interface OutboxPageOptions {
  dataSource: DataSource;
  /** Set when SMS are kept in `cabinet.sms_outbox` instead of being sent (no SMPP_URL). */
  smsKept: boolean;
  /** Set when e-mails are written as `.eml` files here instead of being sent (no SMTP_URL). */
  mailDir: string | undefined;
}

/** Shown newest first; older ones stay in the table and the folder. */
const SHOWN = 50;
const EML_NAME = /^[\w.-]+\.eml$/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const TEXTS: Record<Language, Record<'title' | 'intro' | 'sms' | 'mail' | 'none' | 'time' | 'to' | 'purpose' | 'text' | 'subject' | 'files', string>> = {
  en: {
    title: 'Outbox',
    intro: 'This portal runs without an SMS centre or a mail server, so it keeps here what it would have sent. This page answers on this machine only.',
    sms: 'SMS',
    mail: 'E-mails',
    none: 'Nothing yet',
    time: 'Time',
    to: 'To',
    purpose: 'Purpose',
    text: 'Text',
    subject: 'Subject',
    files: 'Attachments',
  },
  ru: {
    title: 'Исходящие',
    intro: 'Портал работает без SMS-центра или почтового сервера, поэтому хранит здесь то, что отправил бы. Страница открывается только на этом компьютере.',
    sms: 'SMS',
    mail: 'Письма',
    none: 'Пока ничего нет',
    time: 'Время',
    to: 'Кому',
    purpose: 'Назначение',
    text: 'Текст',
    subject: 'Тема',
    files: 'Вложения',
  },
  kk: {
    title: 'Шығыс хабарлар',
    intro: 'Портал SMS-орталықсыз немесе пошта серверінсіз жұмыс істейді, сондықтан жіберер еді дегенін осында сақтайды. Бет тек осы компьютерде ашылады.',
    sms: 'SMS',
    mail: 'Хаттар',
    none: 'Әзірге ештеңе жоқ',
    time: 'Уақыты',
    to: 'Кімге',
    purpose: 'Мақсаты',
    text: 'Мәтін',
    subject: 'Тақырыбы',
    files: 'Тіркемелер',
  },
};

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Only a client on this machine, not one whose request a proxy here passed on (the outbox page, and /metrics without a token). */
export function fromThisMachine(request: FastifyRequest): boolean {
  return LOOPBACK.has(request.socket.remoteAddress ?? '') && request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
}

const STYLE =
  'body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1d1f}table{border-collapse:collapse;width:100%;margin-bottom:2rem}' +
  '.frame{overflow-x:auto;margin-bottom:2rem}.frame table{margin-bottom:0}th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0;font:inherit}td.t{white-space:nowrap}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * `/outbox`: the SMS and e-mails the portal kept instead of sending, newest first, with the e-mails' attachments —
 * like Mailpit, for a first run on one machine. Registered only while SMS or e-mail have nowhere to go, and it
 * answers only requests from this machine; everything else gets 404.
 */
export function registerOutboxPage(app: FastifyInstance, options: OutboxPageOptions): void {
  const { dataSource, smsKept, mailDir } = options;
  if (!smsKept && !mailDir) return;

  const mails = async (): Promise<{ file: string; mail: ParsedMail }[]> => {
    if (!mailDir) return [];
    const files = await readdir(mailDir).catch(() => [] as string[]);
    const latest = files
      .filter((file) => EML_NAME.test(file))
      .sort()
      .reverse()
      .slice(0, SHOWN);
    return Promise.all(latest.map(async (file) => ({ file, mail: await simpleParser(await readFile(join(mailDir, file))) })));
  };

  app.get('/outbox', async (request, reply) => {
    if (!fromThisMachine(request)) return reply.code(404).send({ error: 'not found' });
    const language = languageFrom(request.headers['accept-language']);
    const t = TEXTS[language];
    const sms = smsKept
      ? await dataSource.query<{ createdAt: Date; phone: string; purpose: string; text: string }[]>(
          `SELECT created_at AS "createdAt", phone, purpose, text FROM cabinet.sms_outbox WHERE sent_via = 'outbox' ORDER BY created_at DESC, id DESC LIMIT $1`,
          [SHOWN],
        )
      : [];
    const table = (caption: string, headers: string[], rows: string[][]) =>
      rows.length === 0
        ? `<p>${escape(t.none)}</p>`
        : `<div class="frame" tabindex="0" role="region" aria-label="${escape(caption)}"><table><thead><tr>${headers.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table></div>`;
    const smsPart = smsKept
      ? `<h2>${escape(t.sms)}</h2>` +
        table(
          t.sms,
          [t.time, t.to, t.purpose, t.text],
          sms.map((m) => [
            `<td class="t">${escape(formatDateTime(m.createdAt, language))}</td>`,
            `<td>+${escape(m.phone)}</td>`,
            `<td>${escape(m.purpose)}</td>`,
            `<td><pre>${escape(m.text)}</pre></td>`,
          ]),
        )
      : '';
    const mailPart = mailDir
      ? `<h2>${escape(t.mail)}</h2>` +
        table(
          t.mail,
          [t.time, t.to, t.subject, t.files],
          (await mails()).map(({ file, mail }) => [
            `<td class="t">${mail.date ? escape(formatDateTime(mail.date, language)) : ''}</td>`,
            `<td>${escape(
              mail.to
                ? [mail.to]
                    .flat()
                    .map((a) => a.text)
                    .join(', ')
                : '',
            )}</td>`,
            `<td><strong>${escape(mail.subject ?? '')}</strong><pre>${escape((mail.text ?? '').slice(0, 2000))}</pre></td>`,
            `<td>${mail.attachments
              .map(
                (a, i) =>
                  `<a href="/outbox/mail/${encodeURIComponent(file)}/${i}">${escape(a.filename ?? `attachment-${i + 1}`)}</a> (${Math.ceil(a.size / 1024)} KB)`,
              )
              .join('<br>')}</td>`,
          ]),
        )
      : '';
    const page = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t.title)} — Cabinet</title><style>${STYLE}</style></head><body><main><h1>${escape(t.title)}</h1><p>${escape(t.intro)}</p>${smsPart}${mailPart}</main></body></html>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
      .send(page);
  });

  app.get<{ Params: { file: string; index: string } }>('/outbox/mail/:file/:index', async (request, reply) => {
    const { file, index } = request.params;
    if (!fromThisMachine(request) || !mailDir || !EML_NAME.test(file) || !/^\d{1,3}$/.test(index)) return reply.code(404).send({ error: 'not found' });
    const source = await readFile(join(mailDir, file)).catch(() => undefined);
    const attachment = source && (await simpleParser(source)).attachments[Number(index)];
    if (!attachment) return reply.code(404).send({ error: 'not found' });
    const name = attachment.filename ?? `attachment-${Number(index) + 1}`;
    return reply
      .type(attachment.contentType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('x-content-type-options', 'nosniff')
      .send(attachment.content);
  });
}
