import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { createClient, type Client } from 'graphql-ws';
import pino from 'pino';
import { WebSocket } from 'ws';
import { REPORT_FAILURES } from '../actions';
import type { Mailer } from '../delivery/mail';
import { toGlobalId } from '../core/ids';
import { addDays, addMonths, todayIn } from '../core/period';
import { publishEvent } from '../core/events';
import { Inbox } from '../test/smtp';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { readPdf } from '../test/pdf';
import { formatDateTime, formatMoney } from './format';
import { processReport } from './report.worker';

const NUMBERS_REPORT = 'mutation($c: ID!, $e: String) { requestNumbersReport(companyId: $c, email: $e) { id kind status email } }';
const RECONCILIATION = /* GraphQL */ `
  mutation ($c: ID!, $from: Date, $to: Date, $e: String) {
    requestReconciliationAct(companyId: $c, from: $from, to: $to, email: $e) {
      id
      kind
      status
      email
    }
  }
`;
const REPORT = 'query($id: ID!) { report(id: $id) { id kind status email rows dataAsOf finishedAt failureReason } }';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';

const plain = (text: string) => text.replace(/\s+/g, ' ');

describe.each(ENGINES)('e-mailed reports on %s', (engine) => {
  let t: TestApp;
  let inbox: Inbox;
  let head: { id: number; gid: string };
  let adminEmail: string;
  const today = todayIn();

  beforeAll(async () => {
    inbox = new Inbox();
    process.env.SMTP_URL = await inbox.start();
    t = await startTestApp(engine, { jobs: {} });
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    head = { id: company.id, gid: toGlobalId('Company', company.id) };
    const [admin] = await t.db.dataSource.query(`SELECT email FROM cabinet.administrators ORDER BY id DESC LIMIT 1`);
    adminEmail = admin.email;
  });
  afterAll(async () => {
    await t.close();
    await inbox.stop();
    delete process.env.SMTP_URL;
  });

  const finished = async (id: string) => {
    for (let waited = 0; waited < 30_000; waited += 100) {
      const res = await t.gql(REPORT, { id });
      if (res.data!.report.status !== 'IN_PROCESS') return res.data!.report;
      await sleep(100);
    }
    throw new Error(`report ${id} did not finish`);
  };

  it('e-mails the list of numbers to the administrator as XLSX, every number with its data and the time they are valid for', async () => {
    const res = await t.gql(NUMBERS_REPORT, { c: head.gid });
    expect(res.errors).toBeUndefined();
    expect(res.data!.requestNumbersReport).toMatchObject({ kind: 'NUMBERS_LIST', status: 'IN_PROCESS', email: adminEmail });

    const mail = await inbox.to(adminEmail);
    const report = await finished(res.data!.requestNumbersReport.id);
    expect(report.status).toBe('SUCCESS');
    const validAsOf = formatDateTime(new Date(report.dataAsOf), 'en');
    expect(mail.subject).toBe('List of numbers report: TOO Кабинет');
    expect(mail.text).toContain(validAsOf);
    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment.contentType).toBe(XLSX);
    expect(attachment.filename).toMatch(/^numbers-750750750750-\d{4}-\d\d-\d\d\.xlsx$/);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(attachment.content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const lines: unknown[][] = [];
    sheet.eachRow((row) => lines.push((row.values as unknown[]).slice(1)));
    expect(lines.flat()).toContain(`Data valid as of ${validAsOf} (Almaty time)`);
    const header = lines.findIndex((line) => line[0] === 'Number');
    expect(lines[header]).toEqual(['Number', 'Personal account', 'Method of payment', 'Tariff plan', 'State', 'Credit limit', 'Available balance', 'Balance']);
    const rows = lines.slice(header + 1, header + 1 + report.rows);
    const numbers = await t.db.dataSource.query(`SELECT msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn`, [head.id]);
    expect(report.rows).toBe(numbers.length);
    expect(rows.map((row) => row[0])).toEqual(numbers.map((n: { msisdn: string }) => n.msisdn));
    expect(rows.find((row) => row[0] === '77010542006')).toEqual([
      '77010542006',
      '25060831',
      'Credit',
      'Business Class Junior',
      'Active',
      12000,
      9793.33,
      expect.any(Number),
    ]);
    expect(rows.find((row) => row[0] === '77010542007')?.[4]).toBe('Blocked / Debt');
  });

  it('records the request in the actions history and marks it successful once sent', async () => {
    const res = await t.gql(NUMBERS_REPORT, { c: head.gid, e: 'accounting@client.kz' });
    await inbox.to('accounting@client.kz');
    await finished(res.data!.requestNumbersReport.id);
    const [entry] = await t.db.dataSource.query(
      `SELECT action, status, details FROM cabinet.action_log WHERE action = 'REQUEST_NUMBERS_REPORT' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toEqual({ action: 'REQUEST_NUMBERS_REPORT', status: 'SUCCESS', details: { email: 'accounting@client.kz' } });
  });

  it('e-mails a reconciliation act whose balances follow from the movements of the period', async () => {
    const from = addMonths(today, -3);
    const res = await t.gql(RECONCILIATION, { c: head.gid, from, to: today, e: 'recon@client.kz' });
    expect(res.errors).toBeUndefined();
    const mail = await inbox.to('recon@client.kz');
    expect((await finished(res.data!.requestReconciliationAct.id)).status).toBe('SUCCESS');
    expect(mail.attachments[0].contentType).toBe('application/pdf');
    expect(mail.attachments[0].filename).toBe(`reconciliation-750750750750-${from}-${today}.pdf`);
    const pdf = readPdf(mail.attachments[0].content);
    const text = plain(pdf.text);
    expect(text).toContain('Reconciliation act');
    // Its lines are streamed, counted beforehand by the statement that sums them: every footer knows the total.
    for (let page = 1; page <= pdf.numpages; page += 1) expect(text).toContain(`Page ${page} of ${pdf.numpages}`);
    expect(text).toContain('Mutual settlements between Kcell JSC and TOO Кабинет');

    const movements: { chain: string; at: Date; amount: string; before: string; after: string }[] = await t.db.dataSource.query(
      // A credit account keeps one balance whichever number a charge is for; an advance number keeps its own.
      `SELECT p.account_id || '/' || CASE WHEN a.payment_method = 'ADVANCE' THEN p.number_id ELSE 0 END AS chain, p.paid_at AS at, p.amount::text AS amount,
         p.balance_before::text AS before, p.balance_after::text AS after
       FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id WHERE a.company_id = $1 ORDER BY p.paid_at, p.id`,
      [head.id],
    );
    const start = new Date(`${from}T00:00:00+05:00`);
    const end = new Date(`${addDays(today, 1)}T00:00:00+05:00`);
    const balanceAt = (instant: Date) => {
      const chains = new Map<string, bigint>();
      for (const m of movements) {
        if (m.at < instant) chains.set(m.chain, BigInt(m.after));
        else if (!chains.has(m.chain)) chains.set(m.chain, BigInt(m.before));
      }
      return [...chains.values()].reduce((a, b) => a + b, 0n);
    };
    let charged = 0n;
    let paid = 0n;
    for (const m of movements.filter((m) => m.at >= start && m.at < end)) {
      if (BigInt(m.amount) < 0n) charged -= BigInt(m.amount);
      else paid += BigInt(m.amount);
    }
    const money = (tiyn: bigint) => plain(formatMoney(tiyn, 'en'));
    expect(text).toContain(`Opening balance${money(balanceAt(start))}`);
    expect(text).toContain(`Charged in the period${money(charged)}`);
    expect(text).toContain(`Paid and credited in the period${money(paid)}`);
    expect(text).toContain(`Closing balance${money(balanceAt(end))}`);
    expect(balanceAt(end)).toBe(balanceAt(start) - charged + paid);
  });

  it('takes a reconciliation period starting 12 months back and refuses one day more', async () => {
    const earliest = addMonths(today, -12);
    const accepted = await t.gql(RECONCILIATION, { c: head.gid, from: earliest, to: today, e: 'window@client.kz' });
    expect(accepted.errors).toBeUndefined();
    const refused = await t.gql(RECONCILIATION, { c: head.gid, from: addDays(earliest, -1), to: today, e: 'window@client.kz' });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const future = await t.gql(RECONCILIATION, { c: head.gid, from: today, to: addDays(today, 1) });
    expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const reversed = await t.gql(RECONCILIATION, { c: head.gid, from: today, to: addDays(today, -1) });
    expect(reversed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    await finished(accepted.data!.requestReconciliationAct.id);
  });

  it('refuses an address that is not one e-mail address', async () => {
    for (const e of ['nobody', 'a@b.kz, c@d.kz', 'a@b.kz\r\nBcc: c@d.kz']) {
      const res = await t.gql(NUMBERS_REPORT, { c: head.gid, e });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    }
  });

  it('asks a partner key for the address, then sends there', async () => {
    const created = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "ERP", scope: OPERATE) { secret } }', { c: head.gid });
    const key = { authorization: `Bearer ${created.data!.createApiKey.secret}` };
    const missing = await t.request(NUMBERS_REPORT, { c: head.gid }, key);
    expect(missing.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const sent = await t.request(NUMBERS_REPORT, { c: head.gid, e: 'erp@client.kz' }, key);
    expect(sent.errors).toBeUndefined();
    await inbox.to('erp@client.kz');
    await finished(sent.data!.requestNumbersReport.id);
  });

  it('pushes REPORT_CHANGED to a subscriber: In process, then Success', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const cookie = t.adminCookie;
    class Socket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    }
    const client: Client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: Socket, retryAttempts: 0 });
    const seen: { status: string; id: string }[] = [];
    const subscribed = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription($c: ID!) { reportChanged(companyId: $c) { sequence report { id status } } }', variables: { c: head.gid } },
        { next: (value: any) => seen.push(value.data.reportChanged.report), error: reject, complete: resolve },
      );
    });
    subscribed.catch(() => undefined);
    try {
      await sleep(300);
      const res = await t.gql(NUMBERS_REPORT, { c: head.gid, e: 'live@client.kz' });
      const id = res.data!.requestNumbersReport.id;
      for (let waited = 0; waited < 30_000 && !seen.some((s) => s.id === id && s.status === 'SUCCESS'); waited += 100) await sleep(100);
      expect(seen.filter((s) => s.id === id).map((s) => s.status)).toEqual(['IN_PROCESS', 'SUCCESS']);
    } finally {
      await client.dispose();
    }
  });

  it('does not take or show reports of a company not granted', async () => {
    const own = await t.gql(NUMBERS_REPORT, { c: head.gid, e: 'own@client.kz' });
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE id <> $1 ORDER BY id LIMIT 1`, [head.id]);
    const admin = await createAdministrator(t.db, { companyIds: [branch.id] });
    const cookie = sessionCookie((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).headers);
    const request = await t.request(NUMBERS_REPORT, { c: head.gid, e: 'x@client.kz' }, { cookie });
    expect(request.errors![0].extensions?.code).toBe('NOT_FOUND');
    const read = await t.request(REPORT, { id: own.data!.requestNumbersReport.id }, { cookie });
    expect(read.errors![0].extensions?.code).toBe('NOT_FOUND');
    await finished(own.data!.requestNumbersReport.id);
  });
});

const REPORT_ACTIONS = /* GraphQL */ `
  query ($c: ID!) {
    company(id: $c) {
      actions(action: REQUEST_NUMBERS_REPORT, status: FAILURE, first: 1) {
        edges {
          node {
            failureReason
          }
        }
      }
    }
  }
`;

describe.each(ENGINES)('a report that cannot be sent on %s', (engine) => {
  let t: TestApp;
  let company: { id: number; gid: string };
  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { runWorker: false } });
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    company = { id: row.id, gid: toGlobalId('Company', row.id) };
  });
  afterAll(() => t.close());

  const deps = (mailer: Mailer) => ({
    boss: undefined as never,
    dataSource: t.db.dataSource,
    mailer,
    events: { publish: publishEvent },
    log: pino({ level: 'silent' }),
  });
  const request = async () => {
    const res = await t.gql(NUMBERS_REPORT, { c: company.gid, e: 'down@client.kz' });
    return {
      gid: res.data!.requestNumbersReport.id as string,
      id: String(Number(Buffer.from(res.data!.requestNumbersReport.id, 'base64url').toString().split(':')[1])),
    };
  };
  /** The report's and its actions entry's failure, as stored and as shown in English and in Russian. */
  const failureOf = async (report: { gid: string; id: string }) => {
    const [stored] = await t.db.dataSource.query(`SELECT failure_reason AS "failureReason" FROM cabinet.reports WHERE id = $1`, [report.id]);
    const [entry] = await t.db.dataSource.query(
      `SELECT status, details FROM cabinet.action_log WHERE action = 'REQUEST_NUMBERS_REPORT' ORDER BY id DESC LIMIT 1`,
    );
    const shown = async () => ({
      report: (await t.gql(REPORT, { id: report.gid })).data!.report.failureReason,
      entry: (await t.gql(REPORT_ACTIONS, { c: company.gid })).data!.company.actions.edges[0].node.failureReason,
    });
    const en = await shown();
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'ru'`);
    t.afterSessionCache();
    const ru = await shown();
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'en'`);
    t.afterSessionCache();
    return { stored: stored.failureReason, entry, en, ru };
  };

  it('stays In process for a retry, and is recorded as a failure on the last attempt with a code, not the mail server’s words', async () => {
    const report = await request();
    const mailer: Mailer = { send: async () => Promise.reject(new Error('SMTP server unreachable')), close: async () => undefined };

    await expect(processReport(deps(mailer), report.id, false)).rejects.toThrow('SMTP server unreachable');
    expect((await t.gql(REPORT, { id: report.gid })).data!.report.status).toBe('IN_PROCESS');

    expect(await processReport(deps(mailer), report.id, true)).toBe('failed');
    expect((await t.gql(REPORT, { id: report.gid })).data!.report).toMatchObject({ status: 'FAILURE', rows: null });
    expect(await failureOf(report)).toEqual({
      stored: 'REPORT_NOT_SENT',
      entry: { status: 'FAILURE', details: { email: 'down@client.kz', error: 'REPORT_NOT_SENT' } },
      en: { report: REPORT_FAILURES.REPORT_NOT_SENT.en, entry: REPORT_FAILURES.REPORT_NOT_SENT.en },
      ru: { report: REPORT_FAILURES.REPORT_NOT_SENT.ru, entry: REPORT_FAILURES.REPORT_NOT_SENT.ru },
    });
    expect(await processReport(deps(mailer), report.id, true)).toBe('skipped');
  });

  it('keeps the database’s words out of a report that could not be prepared', async () => {
    const report = await request();
    const mailer: Mailer = { send: async () => ({ messageId: '<unused@client.kz>' }), close: async () => undefined };
    await t.db.dataSource.query(`ALTER TABLE billing.numbers RENAME TO numbers_away`);
    try {
      expect(await processReport(deps(mailer), report.id, true)).toBe('failed');
    } finally {
      await t.db.dataSource.query(`ALTER TABLE billing.numbers_away RENAME TO numbers`);
    }
    const failure = await failureOf(report);
    expect(failure).toEqual({
      stored: 'REPORT_NOT_PREPARED',
      entry: { status: 'FAILURE', details: { email: 'down@client.kz', error: 'REPORT_NOT_PREPARED' } },
      en: { report: REPORT_FAILURES.REPORT_NOT_PREPARED.en, entry: REPORT_FAILURES.REPORT_NOT_PREPARED.en },
      ru: { report: REPORT_FAILURES.REPORT_NOT_PREPARED.ru, entry: REPORT_FAILURES.REPORT_NOT_PREPARED.ru },
    });
    expect(JSON.stringify(failure)).not.toMatch(/numbers|relation/);
  });
});
