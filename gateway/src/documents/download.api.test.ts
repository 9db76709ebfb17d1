import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import pino from 'pino';
import parsePdf from 'pdf-parse/lib/pdf-parse.js';
import { buildApp } from '../app';
import { downloadSecret } from '../delivery/download.token';
import { readLink, signLink } from '../core/token';
import { toGlobalId } from '../core/ids';
import { addDays, todayIn } from '../core/period';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, testConfig, type TestApp } from '../test/app';
import { formatMoney } from './format';

const USAGE_FILE = /* GraphQL */ `
  mutation ($n: ID!, $f: DocumentFormat!, $from: Date, $to: Date, $type: UsageKind) {
    downloadUsageDetails(numberId: $n, format: $f, from: $from, to: $to, type: $type) {
      url
      expiresAt
      filename
    }
  }
`;
const PAYMENTS_FILE = 'mutation($n: ID!, $from: Date) { downloadPaymentHistory(numberId: $n, from: $from) { url filename } }';
const CREDIT_FILE = 'mutation($c: ID!, $from: Date) { downloadCreditPayments(companyId: $c, from: $from) { url filename } }';
const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';

const plain = (text: string) => text.replace(/\s+/g, ' ');

async function sheetOf(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/** The table under the header row whose first cell is `firstHeader`, up to the first empty row. */
function table(sheet: ExcelJS.Worksheet, firstHeader: string): { header: unknown[]; rows: unknown[][]; after: ExcelJS.Row[] } {
  let headerRow = 0;
  sheet.eachRow((row, index) => {
    if (!headerRow && row.getCell(1).value === firstHeader) headerRow = index;
  });
  if (!headerRow) throw new Error(`no header ${firstHeader}`);
  const rows: unknown[][] = [];
  let index = headerRow + 1;
  for (; index <= sheet.rowCount && sheet.getRow(index).getCell(1).value !== null; index += 1) {
    rows.push((sheet.getRow(index).values as unknown[]).slice(1));
  }
  const after: ExcelJS.Row[] = [];
  for (index += 1; index <= sheet.rowCount; index += 1) after.push(sheet.getRow(index));
  return { header: (sheet.getRow(headerRow).values as unknown[]).slice(1), rows, after };
}

describe.each(ENGINES)('document downloads on %s', (engine) => {
  let t: TestApp;
  let head: { id: number; gid: string };
  let number: { id: number; gid: string };
  const today = todayIn();
  const from = addDays(today, -89);

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    head = { id: company.id, gid: toGlobalId('Company', company.id) };
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542006'`);
    number = { id: row.id, gid: toGlobalId('Number', row.id) };
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = { cookie: t.adminCookie }) => t.app.inject({ method: 'GET', url, headers });
  const link = async (query: string, variables: Record<string, unknown>, headers?: Record<string, string>) => {
    const res = await t.gql(query, variables, headers);
    expect(res.errors).toBeUndefined();
    return Object.values(res.data!)[0] as { url: string; expiresAt: string; filename: string };
  };
  const signIn = async (companyIds: number[]) => {
    const admin = await createAdministrator(t.db, { companyIds });
    const login = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
    return { id: admin.id, cookie: sessionCookie(login.headers) };
  };
  const usageInPeriod = async () =>
    (
      await t.db.dataSource.query(
        `SELECT count(*)::int AS count, coalesce(sum(cost), 0)::text AS cost FROM billing.usage_records
         WHERE number_id = $1 AND started_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'`,
        [number.id, from],
      )
    )[0] as { count: number; cost: string };

  it('serves the usage details as a PDF with every record and the total cost', async () => {
    const { url, filename, expiresAt } = await link(USAGE_FILE, { n: number.gid, f: 'PDF', from });
    expect(url).toMatch(/^\/downloads\/[\w-]+\.[\w-]+$/);
    expect(filename).toBe(`usage-77010542006-${from}-${today}.pdf`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(240_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);

    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
    const text = plain((await parsePdf(res.rawPayload)).text);
    const expected = await usageInPeriod();
    expect(expected.count).toBeGreaterThan(0);
    expect(text).toContain('Usage details');
    expect(text).toContain('77010542006');
    expect(text).toContain('BIN 750750750750');
    expect(text).toContain('Kcell JSC, BIN 980540000397');
    expect(text).toContain(`Total cost${plain(formatMoney(BigInt(expected.cost), 'en'))}`);
    expect(text.match(/\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d/g)!.length).toBe(expected.count + 1);
    // Newest first, as on the screen (the first time is the one the data are valid for).
    const when = (dotted: string) => dotted.replace(/(\d\d)\.(\d\d)\.(\d{4}) /, '$3-$2-$1 ');
    const times = text
      .match(/\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d/g)!
      .slice(1)
      .map(when);
    expect(times).toEqual([...times].sort().reverse());
    expect(text).toMatch(/Page 1 of \d+/);
  });

  it('serves the usage details as XLSX, one row per record, with totals that add up', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'XLSX', from });
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    const { header, rows, after } = table(await sheetOf(res.rawPayload), 'Date/Time');
    expect(header).toEqual(['Date/Time', 'Type', 'Direction', 'Other party', 'Duration, sec', 'Volume, KB', 'Cost']);
    const expected = await usageInPeriod();
    expect(rows).toHaveLength(expected.count);
    const sum = rows.reduce((total, row) => total + BigInt(Math.round(Number(row[6]) * 100)), 0n);
    expect(sum).toBe(BigInt(expected.cost));
    const totalRow = after.find((row) => row.getCell(1).value === 'Total cost')!;
    expect(BigInt(Math.round(Number(totalRow.getCell(7).value) * 100))).toBe(BigInt(expected.cost));
    const callsRow = after.find((row) => row.getCell(1).value === 'Calls')!;
    expect(typeof callsRow.getCell(2).value).toBe('number');
    const starts = rows.map((row) => (row[0] as Date).getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('serves an Advance number’s payment history as XLSX with its balance chain', async () => {
    const [advance] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542001'`);
    const since = addDays(today, -119);
    const { url } = await link(PAYMENTS_FILE, { n: toGlobalId('Number', advance.id), from: since });
    const { header, rows } = table(await sheetOf((await get(url)).rawPayload), 'Date/Time');
    expect(header).toEqual(['Date/Time', 'Type', 'Comment', 'Sum', 'Balance before', 'Balance after']);
    const [expected] = await t.db.dataSource.query(
      `SELECT count(*)::int AS count FROM billing.payments WHERE number_id = $1 AND paid_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'`,
      [advance.id, since],
    );
    expect(rows).toHaveLength(expected.count);
    for (const row of rows) expect(Math.round((Number(row[4]) + Number(row[3])) * 100)).toBe(Math.round(Number(row[5]) * 100));
  });

  it('serves the credit accounts’ payment history as XLSX with the account of each row', async () => {
    const since = addDays(today, -119);
    const { url } = await link(CREDIT_FILE, { c: head.gid, from: since });
    const { header, rows } = table(await sheetOf((await get(url)).rawPayload), 'Personal account');
    expect(header[0]).toBe('Personal account');
    const expected = await t.db.dataSource.query(
      `SELECT a.account_no AS "accountNo" FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id
       WHERE a.company_id = $1 AND a.payment_method = 'CREDIT' AND p.paid_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'
       ORDER BY p.paid_at DESC, p.id DESC`,
      [head.id, since],
    );
    expect(rows.map((row) => row[0])).toEqual(expected.map((r: { accountNo: string }) => r.accountNo));
  });

  it('writes the files in the administrator’s language', async () => {
    const ru = await signIn([head.id]);
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'ru' WHERE id = $1`, [ru.id]);
    t.afterSessionCache();
    const pdf = await t.request(USAGE_FILE, { n: number.gid, f: 'PDF' }, { cookie: ru.cookie });
    const text = plain((await parsePdf((await get(pdf.data!.downloadUsageDetails.url, { cookie: ru.cookie })).rawPayload)).text);
    expect(text).toContain('Детализация');
    expect(text).toContain('Заказчик: TOO Кабинет, БИН 750750750750');
    expect(text).toContain('Исполнитель: АО «Кселл», БИН 980540000397');

    const kk = await signIn([head.id]);
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'kk' WHERE id = $1`, [kk.id]);
    t.afterSessionCache();
    const xlsx = await t.request(USAGE_FILE, { n: number.gid, f: 'XLSX' }, { cookie: kk.cookie });
    const sheet = await sheetOf((await get(xlsx.data!.downloadUsageDetails.url, { cookie: kk.cookie })).rawPayload);
    expect(sheet.name).toBe('Шығыс толығы');
    expect(table(sheet, 'Күні/уақыты').header).toEqual(['Күні/уақыты', 'Түрі', 'Бағыты', 'Абонент', 'Ұзақтығы, сек', 'Көлемі, КБ', 'Құны']);
  });

  it('records each requested file in the actions history', async () => {
    await link(USAGE_FILE, { n: number.gid, f: 'PDF', from, to: today });
    const [entry] = await t.db.dataSource.query(
      `SELECT action, status, number_id AS "numberId", details FROM cabinet.action_log WHERE action LIKE 'DOWNLOAD_%' ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toEqual({ action: 'DOWNLOAD_USAGE_PDF', status: 'SUCCESS', numberId: number.id, details: { msisdn: '77010542006', from, to: today } });
  });

  it('applies the 90-day window to the usage files: the 90th day back is in, the 91st out', async () => {
    expect((await t.gql(USAGE_FILE, { n: number.gid, f: 'XLSX', from: addDays(today, -89) })).errors).toBeUndefined();
    const refused = await t.gql(USAGE_FILE, { n: number.gid, f: 'XLSX', from: addDays(today, -90) });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const future = await t.gql(USAGE_FILE, { n: number.gid, f: 'XLSX', to: addDays(today, 1) });
    expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('gives another administrator of the same company 404 for the link', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'PDF' });
    const other = await signIn([head.id]);
    const res = await get(url, { cookie: other.cookie });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('asks an anonymous caller to sign in (401)', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'PDF' });
    const res = await get(url, {});
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('gives a partner key of the same company 404 for an administrator’s link, and serves the key its own', async () => {
    const created = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "ERP", scope: READ) { secret } }', { c: head.gid });
    const key = { authorization: `Bearer ${created.data!.createApiKey.secret}` };
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'XLSX' });
    expect((await get(url, key)).statusCode).toBe(404);
    const own = await t.request(USAGE_FILE, { n: number.gid, f: 'XLSX' }, key);
    expect(own.errors).toBeUndefined();
    const res = await get(own.data!.downloadUsageDetails.url, key);
    expect(res.statusCode).toBe(200);
    expect((await get(own.data!.downloadUsageDetails.url)).statusCode).toBe(404);
  });

  it('refuses a link past its expiry with 410', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'PDF' });
    const secret = await downloadSecret(t.db.dataSource);
    const claims = readLink(secret, url.split('/').pop()!)!;
    const expired = signLink(secret, { ...claims, exp: Math.floor(Date.now() / 1000) - 1 });
    const res = await get(`/downloads/${expired}`);
    expect(res.statusCode).toBe(410);
    expect(res.json().errors[0].extensions.code).toBe('DOWNLOAD_EXPIRED');
    const fresh = signLink(secret, { ...claims, exp: Math.floor(Date.now() / 1000) + 5 });
    expect((await get(`/downloads/${fresh}`)).statusCode).toBe(200);
  });

  it('refuses a tampered link with 404', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'PDF' });
    const [payload, mac] = url.split('/').pop()!.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, spec: { ...claims.spec, numberId: claims.spec.numberId + 1 } })).toString('base64url');
    expect((await get(`/downloads/${forged}.${mac}`)).statusCode).toBe(404);
    expect((await get('/downloads/not-a-token')).statusCode).toBe(404);
  });

  it('stops serving a link once the administrator loses the company', async () => {
    const admin = await signIn([head.id]);
    const res = await t.request(USAGE_FILE, { n: number.gid, f: 'PDF' }, { cookie: admin.cookie });
    const { url } = res.data!.downloadUsageDetails;
    await t.db.dataSource.query(`DELETE FROM cabinet.grants WHERE administrator_id = $1`, [admin.id]);
    t.afterSessionCache();
    expect((await get(url, { cookie: admin.cookie })).statusCode).toBe(404);
  });

  it('does not issue links for another company’s number', async () => {
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE id <> $1 ORDER BY id LIMIT 1`, [head.id]);
    const other = await signIn([branch.id]);
    const res = await t.request(USAGE_FILE, { n: number.gid, f: 'PDF' }, { cookie: other.cookie });
    expect(res.errors![0].extensions?.code).toBe('NOT_FOUND');
    const credit = await t.request(CREDIT_FILE, { c: head.gid }, { cookie: other.cookie });
    expect(credit.errors![0].extensions?.code).toBe('NOT_FOUND');
  });

  it('leaves the link’s token out of the log, for a served and for refused downloads', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'PDF' });
    const token = url.split('/').pop()!;
    let logged = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    const app = await buildApp({ config: testConfig({ engine }), dataSource: t.db.dataSource, log: pino({ level: 'info' }, stream) });
    try {
      expect((await app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie } })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: `/downloads/${token}x`, headers: { cookie: t.adminCookie } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'HEAD', url, headers: { cookie: t.adminCookie } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'DELETE', url, headers: { cookie: t.adminCookie } })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    const lines = logged
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.msg === 'incoming request').map((line) => line.req.url)).toEqual(Array(5).fill('/downloads/[redacted]'));
    expect(logged).not.toContain(token.slice(0, 40));
    expect(logged).not.toContain(token.slice(-20));
  });

  it('answers 500 without detail, and does not hang, when the data cannot be read before the file starts', async () => {
    for (const format of ['PDF', 'XLSX']) {
      const { url } = await link(USAGE_FILE, { n: number.gid, f: format, from });
      await t.db.dataSource.query(`ALTER TABLE billing.usage_records RENAME TO usage_records_away`);
      try {
        const res = await Promise.race([
          get(url),
          new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the download never answered')), 5000).unref()),
        ]);
        expect(res.statusCode).toBe(500);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        expect(res.body).not.toContain('usage_records');
      } finally {
        await t.db.dataSource.query(`ALTER TABLE billing.usage_records_away RENAME TO usage_records`);
      }
      expect((await get(url)).statusCode).toBe(200);
    }
  });

  it('accepts a link on another gateway process of the same database', async () => {
    const { url } = await link(USAGE_FILE, { n: number.gid, f: 'PDF' });
    const second = await startTestApp(engine, { db: t.db });
    try {
      const res = await second.app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie } });
      expect(res.statusCode).toBe(200);
    } finally {
      await second.close();
    }
    const secrets = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.secrets`);
    expect(secrets[0].n).toBe(1);
  });
});
