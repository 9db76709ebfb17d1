import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import pino from 'pino';
import { buildApp } from '../app';
import { isLuhnValid } from '../billing/luhn';
import { toGlobalId } from '../core/ids';
import { readLink, serverSecret, signLink } from '../core/token';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, testConfig, type TestApp } from '../test/app';
import { MAX_UPLOAD_BYTES, uploadDbId, XLSX_TYPE } from './bulk.upload';

const CREATE = 'mutation($c: ID!) { createBulkUpload(companyId: $c) { url expiresAt } }';
const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';
const NEW_KEY = 'mutation($c: ID!, $s: ApiKeyScope!) { createApiKey(companyId: $c, name: "Uploads", scope: $s) { secret } }';

/** A valid ICCID: the 19 digits and their Luhn check digit. */
const iccid = (prefix19: string) => [...'0123456789'].map((d) => `${prefix19}${d}`).find(isLuhnValid)!;

let bigXlsx: Buffer | undefined;
/** A 100,000-line workbook as a partner's system would export it: a header, then MSISDN and name on every row. */
async function hundredThousandLines(): Promise<Buffer> {
  if (bigXlsx) return bigXlsx;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Numbers');
  sheet.addRow(['MSISDN', 'Employee']);
  for (let i = 0; i < 100_000; i += 1) sheet.addRow([`8 70${String(i).padStart(8, '0')}`, `Employee ${i}`]);
  bigXlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  return bigXlsx;
}

describe.each(ENGINES)('uploaded lists of numbers on %s', (engine) => {
  let t: TestApp;
  let head: { id: number; gid: string };
  let branch: { id: number; gid: string };

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [a] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    const [b] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'Филиал TOO Кабинет'`);
    head = { id: a.id, gid: toGlobalId('Company', a.id) };
    branch = { id: b.id, gid: toGlobalId('Company', b.id) };
  });
  afterAll(() => t.close());

  const target = async (company: string, headers?: Record<string, string>) => {
    const res = await t.request(CREATE, { c: company }, headers ?? { cookie: t.adminCookie });
    expect(res.errors).toBeUndefined();
    return res.data!.createBulkUpload as { url: string; expiresAt: string };
  };
  const post = (url: string, body: Buffer | string, type = 'text/csv', headers: Record<string, string> = { cookie: t.adminCookie }) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': type, ...headers }, payload: body });
  const signIn = async (companyIds: number[]) => {
    const admin = await createAdministrator(t.db, { companyIds });
    const login = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
    return { id: admin.id, cookie: sessionCookie(login.headers) };
  };
  const linesOf = (uploadId: string) =>
    t.db.dataSource.query(`SELECT line, raw, msisdn, iccid, error FROM cabinet.bulk_upload_lines WHERE upload_id = $1 ORDER BY line`, [
      uploadDbId(uploadId, 'uploadId'),
    ]);
  const dryRun = (company: string, uploadId: string) =>
    t.gql(`mutation($input: BulkOperationInput!) { bulkOperation(input: $input) { plan { total invalidLineCount invalidLines { line code } } } }`, {
      input: { companyId: company, kind: 'SET_SMS_USSD_BAN', enabled: true, selection: { uploadId } },
    });
  const uploadCount = async () => Number((await t.db.dataSource.query(`SELECT count(*) AS n FROM cabinet.bulk_uploads`))[0].n);

  it('gives a signed upload URL for 15 minutes, then stores the POSTed CSV line by line with its errors', async () => {
    const { url, expiresAt } = await target(head.gid);
    expect(url).toMatch(/^\/uploads\/[\w-]+\.[\w-]+$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const csv = '\uFEFFНомер;Сотрудник\r\n8 701 054 20 01;Иванов\r\n+77010542002;Петров\r\n12345;Сидоров\r\n\r\n87010542001;Иванов снова\r\n';
    const res = await post(url, csv, 'text/csv; charset=utf-8', { cookie: t.adminCookie, 'content-disposition': 'attachment; filename="fleet.csv"' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body).toEqual({ uploadId: expect.any(String), lines: 4, withIccid: false, invalidLineCount: 2 });
    expect(await linesOf(body.uploadId)).toEqual([
      { line: 2, raw: '8 701 054 20 01;Иванов', msisdn: '77010542001', iccid: null, error: null },
      { line: 3, raw: '+77010542002;Петров', msisdn: '77010542002', iccid: null, error: null },
      { line: 4, raw: '12345;Сидоров', msisdn: null, iccid: null, error: 'INVALID_PHONE' },
      { line: 6, raw: '87010542001;Иванов снова', msisdn: '77010542001', iccid: null, error: 'DUPLICATE_LINE' },
    ]);
    const [upload] = await t.db.dataSource.query(
      `SELECT company_id, file_name, with_iccid, lines, administrator_id IS NOT NULL AS by_admin, api_key_id FROM cabinet.bulk_uploads WHERE id = $1`,
      [uploadDbId(body.uploadId, 'uploadId')],
    );
    expect(upload).toEqual({ company_id: head.id, file_name: 'fleet.csv', with_iccid: false, lines: 4, by_admin: true, api_key_id: null });

    // A selection reads the upload as its company's only, as the dry run does: lines refused on receipt keep their codes.
    const own = await dryRun(head.gid, body.uploadId);
    expect(own.errors).toBeUndefined();
    const plan = own.data!.bulkOperation.plan;
    expect(plan.total + plan.invalidLineCount).toBe(4);
    expect(plan.invalidLines.map((l: { line: number; code: string }) => [l.line, l.code])).toEqual(
      expect.arrayContaining([
        [4, 'INVALID_PHONE'],
        [6, 'DUPLICATE_LINE'],
      ]),
    );
    const refusal = async (company: string, uploadId: string) => (await dryRun(company, uploadId)).errors?.[0]?.extensions?.code;
    expect(await refusal(branch.gid, body.uploadId)).toBe('BULK_SELECTION_INVALID');
    expect(await refusal(head.gid, toGlobalId('BulkUpload', 999_999))).toBe('BULK_SELECTION_INVALID');
    expect(await refusal(head.gid, body.uploadId.slice(1))).toBe('BAD_USER_INPUT');

    // A list is kept for 24 hours: an older one is refused, unless an open operation was started on it.
    await t.db.dataSource.query(`UPDATE cabinet.bulk_uploads SET created_at = now() - interval '25 hours' WHERE id = $1`, [
      uploadDbId(body.uploadId, 'uploadId'),
    ]);
    const expired = await dryRun(head.gid, body.uploadId);
    expect(expired.errors?.[0]).toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: 'UPLOAD_EXPIRED' } });
    const [open] = await t.db.dataSource.query(
      `INSERT INTO cabinet.bulk_operations (company_id, kind, selection, status, total, plan_token, actor_name)
       VALUES ($1, 'SET_SMS_USSD_BAN', $2, 'PAUSED', 1, 'test', 'Test') RETURNING id`,
      [head.id, JSON.stringify({ uploadId: String(uploadDbId(body.uploadId, 'uploadId')) })],
    );
    expect((await dryRun(head.gid, body.uploadId)).errors).toBeUndefined();
    await t.db.dataSource.query(`UPDATE cabinet.bulk_operations SET status = 'CANCELLED', finished_at = now() WHERE id = $1`, [open.id]);
  });

  it('takes an XLSX with an ICCID column from an OPERATE key, bound to that key', async () => {
    const created = await t.gql(NEW_KEY, { c: branch.gid, s: 'OPERATE' });
    const key = { authorization: `Bearer ${created.data!.createApiKey.secret}` };
    const { url } = await target(branch.gid, key);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('SIM');
    sheet.addRow(['msisdn', 'iccid']);
    sheet.addRow(['77010542101', iccid('8977000000000000001')]);
    sheet.addRow(['77010542102', 'not a card']);
    sheet.addRow(['77010542103', iccid('8977000000000000001')]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    // A session cannot use the key's URL, nor the key another's.
    expect((await post(url, file, XLSX_TYPE)).json().errors[0].extensions.code).toBe('UPLOAD_EXPIRED');
    const res = await post(url, file, XLSX_TYPE, key);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ lines: 3, withIccid: true, invalidLineCount: 2 });
    expect((await linesOf(body.uploadId)).map((l: { line: number; error: string }) => [l.line, l.error])).toEqual([
      [2, null],
      [3, 'INVALID_ICCID'],
      [4, 'DUPLICATE_LINE'],
    ]);
    const [upload] = await t.db.dataSource.query(`SELECT api_key_id IS NOT NULL AS by_key, administrator_id FROM cabinet.bulk_uploads WHERE id = $1`, [
      uploadDbId(body.uploadId, 'uploadId'),
    ]);
    expect(upload).toEqual({ by_key: true, administrator_id: null });
  });

  it('refuses an expired or forged URL as UPLOAD_EXPIRED (410), and a caller without credentials as UNAUTHENTICATED', async () => {
    const { url } = await target(head.gid);
    const token = url.split('/').pop()!;
    const secret = await serverSecret(t.db.dataSource, 'bulk-upload-links');
    const claims = readLink(secret, token)!;
    const expired = signLink(secret, { ...claims, exp: Math.floor(Date.now() / 1000) - 1 });
    const before = await uploadCount();
    for (const forged of [
      `/uploads/${expired}`,
      `/uploads/${signLink(Buffer.alloc(32, 1), claims)}`,
      `/uploads/${token.slice(0, -2)}xx`,
      '/uploads/nonsense',
      // A download link's signature is not an upload URL's.
      `/uploads/${signLink(await serverSecret(t.db.dataSource, 'download-links'), claims)}`,
    ]) {
      const res = await post(forged, '77010542001\n');
      expect({ forged, status: res.statusCode, code: res.json().errors[0].extensions.code }).toEqual({ forged, status: 410, code: 'UPLOAD_EXPIRED' });
    }
    const anonymous = await post(url, '77010542001\n', 'text/csv', {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await uploadCount()).toBe(before);
  });

  it('refuses another administrator’s URL, and a company the caller has no grant on or only reads', async () => {
    const { url } = await target(head.gid);
    const other = await signIn([head.id, branch.id]);
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'ru' WHERE id = $1`, [other.id]);
    t.afterSessionCache();
    const refused = (await post(url, '77010542001\n', 'text/csv', { cookie: other.cookie })).json().errors[0];
    // In the administrator's language.
    expect(refused).toEqual({ message: expect.stringMatching(/^Ссылка для загрузки/), extensions: { code: 'UPLOAD_EXPIRED' } });

    const branchOnly = await signIn([branch.id]);
    const denied = await t.request(CREATE, { c: head.gid }, { cookie: branchOnly.cookie });
    expect(denied.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // A grant withdrawn after the URL was issued is checked again when the file arrives.
    const later = await signIn([head.id]);
    const issued = await target(head.gid, { cookie: later.cookie });
    await t.db.dataSource.query(`DELETE FROM cabinet.grants WHERE administrator_id = $1`, [later.id]);
    t.afterSessionCache();
    const withdrawn = await post(issued.url, '77010542001\n', 'text/csv', { cookie: later.cookie });
    expect([withdrawn.statusCode, withdrawn.json().errors[0].extensions.code]).toEqual([404, 'NOT_FOUND']);

    const reader = await t.gql(NEW_KEY, { c: head.gid, s: 'READ' });
    const readOnly = await t.request(CREATE, { c: head.gid }, { authorization: `Bearer ${reader.data!.createApiKey.secret}` });
    expect(readOnly.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(CREATE, { c: toGlobalId('Company', 999_999) })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a body over 20 MB (413), what is not a list and more than 100,000 numbers, storing nothing', async () => {
    const before = await uploadCount();
    const refusal = async (body: Buffer | string, type = 'text/csv') => {
      const { url } = await target(head.gid);
      const res = await post(url, body, type);
      const error = res.json().errors[0];
      return { status: res.statusCode, code: error.extensions.code, reason: error.extensions.reason };
    };
    const line = '77010542001;' + 'x'.repeat(200) + '\n';
    expect(await refusal(line.repeat(Math.ceil(MAX_UPLOAD_BYTES / line.length) + 1))).toEqual({ status: 413, code: 'UPLOAD_INVALID', reason: 'TOO_LARGE' });
    expect(await refusal(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d]), 'application/pdf')).toEqual({
      status: 400,
      code: 'UPLOAD_INVALID',
      reason: 'NOT_A_TABLE',
    });
    expect(await refusal('name;city\nIvan;Almaty\n')).toEqual({ status: 400, code: 'UPLOAD_INVALID', reason: 'NO_MSISDN_COLUMN' });
    expect(await refusal('')).toEqual({ status: 400, code: 'UPLOAD_INVALID', reason: 'EMPTY' });
    const numbers = Array.from({ length: 100_001 }, (_, i) => `770${String(i).padStart(8, '0')}`).join('\n');
    expect(await refusal(numbers)).toEqual({ status: 400, code: 'BULK_TOO_LARGE', reason: undefined });
    expect(await uploadCount()).toBe(before);
  });

  it('reads a chunked body over HTTP as it streams in, and refuses one once it is past 20 MB', async () => {
    const origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
    /** POSTs the chunks as they come (chunked, no Content-Length) on a connection of its own, closed once answered. */
    const send = async (chunks: () => AsyncGenerator<Buffer>) => {
      const { url } = await target(head.gid);
      return new Promise<{ status: number | 'CUT'; body: any }>((resolve, reject) => {
        const req = httpRequest(`${origin}${url}`, {
          method: 'POST',
          agent: false,
          headers: { cookie: t.adminCookie, 'content-type': 'text/csv', connection: 'close' },
        });
        // A server that refuses a body part-way answers and closes: the client may be told so as an EPIPE or a reset
        // of what it was still writing, before it has read the answer.
        req.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'EPIPE' || error.code === 'ECONNRESET' ? setTimeout(() => resolve({ status: 'CUT', body: null }), 1000) : reject(error),
        );
        req.on('response', (res) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () => {
            resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString()) });
            req.destroy();
          });
        });
        void (async () => {
          for await (const chunk of chunks()) {
            if (req.destroyed) return;
            if (req.write(chunk)) continue;
            await new Promise<void>((next) => {
              const go = () => {
                req.off('drain', go).off('close', go);
                next();
              };
              req.on('drain', go).on('close', go);
            });
          }
          req.end();
        })();
      });
    };
    async function* list(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 1000; i += 1) yield Buffer.from(`8 701 ${String(i).padStart(7, '0')};"a line, ${i}"\r\n`);
    }
    const accepted = await send(list);
    expect(accepted).toEqual({ status: 200, body: { uploadId: expect.any(String), lines: 1000, withIccid: false, invalidLineCount: 0 } });
    const stored = await linesOf(accepted.body.uploadId);
    expect(stored[999]).toEqual({ line: 1000, raw: '8 701 0000999;a line, 999', msisdn: '77010000999', iccid: null, error: null });

    async function* endless(): AsyncGenerator<Buffer> {
      // Lines of 300 bytes: 20 MB is reached well before 100,000 lines.
      const chunk = Buffer.from(`77010542001;${'x'.repeat(287)}\n`.repeat(200));
      for (let sent = 0; sent <= MAX_UPLOAD_BYTES * 2; sent += chunk.length) yield chunk;
    }
    const before = await uploadCount();
    const refused = await send(endless);
    // Answered 413 when the client reads the answer before its next write fails; cut off either way, never read to the end.
    if (refused.status !== 'CUT') {
      expect(refused.status).toBe(413);
      expect(refused.body.errors[0].extensions).toEqual({ code: 'UPLOAD_INVALID', reason: 'TOO_LARGE' });
    }
    expect(await uploadCount()).toBe(before);
  });

  it('leaves the upload URL’s token out of the log, for a received and for refused uploads', async () => {
    const { url } = await target(head.gid);
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
      const send = (method: 'POST' | 'GET', to: string, headers: Record<string, string>) =>
        app.inject({ method, url: to, headers: { 'content-type': 'text/csv', ...headers }, payload: method === 'POST' ? '77010542001\n' : undefined });
      expect((await send('POST', url, { cookie: t.adminCookie })).statusCode).toBe(200);
      expect((await send('POST', url, {})).statusCode).toBe(401);
      expect((await send('POST', `${url}x`, { cookie: t.adminCookie })).statusCode).toBe(410);
      expect((await send('GET', url, { cookie: t.adminCookie })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    const lines = logged
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.msg === 'incoming request').map((line) => line.req.url)).toEqual(Array(4).fill('/uploads/[redacted]'));
    expect(logged).not.toContain(token.slice(0, 40));
    expect(logged).not.toContain(token.slice(-20));
  });

  it('parses, checks and stores a 100,000-line XLSX', async () => {
    const file = await hundredThousandLines();
    const { url } = await target(head.gid);
    const started = process.hrtime.bigint();
    const res = await post(url, file, XLSX_TYPE);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Measured, not asserted: the machine is shared.
    console.log(`${engine}: a 100,000-line XLSX (${(file.length / 1e6).toFixed(1)} MB) parsed, checked and stored in ${seconds.toFixed(2)} s`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ lines: 100_000, withIccid: false, invalidLineCount: 0 });
    const [stored] = await t.db.dataSource.query(
      `SELECT count(*)::int AS lines, min(line) AS first, max(line) AS last, count(DISTINCT msisdn)::int AS numbers FROM cabinet.bulk_upload_lines WHERE upload_id = $1`,
      [uploadDbId(body.uploadId, 'uploadId')],
    );
    expect(stored).toEqual({ lines: 100_000, first: 2, last: 100_001, numbers: 100_000 });
  }, 120_000);
});
