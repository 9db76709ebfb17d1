import ExcelJS from 'exceljs';
import parsePdf from 'pdf-parse/lib/pdf-parse.js';
import { toGlobalId } from '../graphql/ids';
import { addMonths, todayIn } from '../graphql/period';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { formatMoney } from './format';

const ACT = /* GraphQL */ `
  mutation($c: ID!, $a: ID, $m: String, $y: Int!, $mo: Int!) {
    downloadCompletedWorksAct(companyId: $c, accountId: $a, msisdn: $m, year: $y, month: $mo) { url filename }
  }
`;
const REGISTER = 'mutation($c: ID!, $f: String!, $t: String!) { downloadInvoiceRegister(companyId: $c, fromMonth: $f, toMonth: $t) { url filename } }';

const plain = (text: string) => text.replace(/\s+/g, ' ');
const money = (tiyn: bigint) => plain(formatMoney(tiyn, 'en'));
const vatOf = (total: bigint) => (total * 12n + 56n) / 112n;
const tiynOf = (value: unknown) => BigInt(Math.round(Number(value) * 100));

describe.each(ENGINES)('acts and invoices on %s', (engine) => {
  let t: TestApp;
  let head: { id: number; gid: string };
  const thisMonth = todayIn().slice(0, 7);
  const lastMonth = addMonths(`${thisMonth}-01`, -1).slice(0, 7);
  const [year, month] = lastMonth.split('-').map(Number);

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    head = { id: company.id, gid: toGlobalId('Company', company.id) };
  });
  afterAll(() => t.close());

  const account = async (accountNo: string) => {
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.accounts WHERE account_no = $1`, [accountNo]);
    return { id: row.id as number, gid: toGlobalId('Account', row.id) };
  };
  const charges = async (accountId: number, yyyyMm: string) => {
    const rows = await t.db.dataSource.query(
      `SELECT n.msisdn, (-p.amount)::text AS amount FROM billing.payments p LEFT JOIN billing.numbers n ON n.id = p.number_id
       WHERE p.account_id = $1 AND p.type = 'CHARGE'
         AND to_char(p.paid_at AT TIME ZONE 'Asia/Almaty', 'YYYY-MM') = $2`,
      [accountId, yyyyMm],
    );
    return rows as { msisdn: string | null; amount: string }[];
  };
  const pdfText = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return plain((await parsePdf(res.rawPayload)).text);
  };
  const refusal = async (query: string, variables: Record<string, unknown>) => {
    const res = await t.gql(query, variables);
    return res.errors?.[0].extensions as { code: string; field?: string } | undefined;
  };

  it('prints the act of a Credit account for a month with its total and VAT, and the appendix', async () => {
    const credit = await account('25060831');
    const rows = await charges(credit.id, lastMonth);
    const total = rows.reduce((sum, row) => sum + BigInt(row.amount), 0n);
    expect(total).toBeGreaterThan(0n);

    const res = await t.gql(ACT, { c: head.gid, a: credit.gid, y: year, mo: month });
    expect(res.errors).toBeUndefined();
    expect(res.data!.downloadCompletedWorksAct.filename).toBe(`act-25060831-${lastMonth}.pdf`);
    const text = await pdfText(res.data!.downloadCompletedWorksAct.url);
    const no = `25060831-${lastMonth.replace('-', '')}`;
    expect(text).toContain(`Act of completed works (services rendered) No. ${no}`);
    expect(text).toContain(`Appendix No. 1 to the act of completed works No. ${no}`);
    expect(text).toContain('Service provider: Kcell JSC, BIN 980540000397');
    expect(text).toContain('Customer: TOO Кабинет, BIN 750750750750');
    expect(text.split(`Total${money(total)}`)).toHaveLength(3);
    expect(text).toContain(`including VAT 12%${money(vatOf(total))}`);
  });

  it('finds the account by one of its numbers and lists each number’s charges in the appendix', async () => {
    const [advance] = await t.db.dataSource.query(
      `SELECT a.id, a.account_no AS "accountNo", n.msisdn FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id
       WHERE a.company_id = $1 AND a.payment_method = 'ADVANCE' AND EXISTS (
         SELECT 1 FROM billing.payments p WHERE p.account_id = a.id AND p.type = 'CHARGE'
           AND to_char(p.paid_at AT TIME ZONE 'Asia/Almaty', 'YYYY-MM') = $2)
       ORDER BY n.msisdn LIMIT 1`,
      [head.id, lastMonth],
    );
    const res = await t.gql(ACT, { c: head.gid, m: advance.msisdn, y: year, mo: month });
    expect(res.data!.downloadCompletedWorksAct.filename).toBe(`act-${advance.accountNo}-${lastMonth}.pdf`);
    const text = await pdfText(res.data!.downloadCompletedWorksAct.url);
    const perNumber = new Map<string, bigint>();
    for (const row of await charges(advance.id, lastMonth)) perNumber.set(row.msisdn!, (perNumber.get(row.msisdn!) ?? 0n) + BigInt(row.amount));
    expect(perNumber.size).toBeGreaterThan(0);
    for (const [msisdn, amount] of perNumber) {
      expect(text).toContain(msisdn);
      expect(text).toContain(money(amount));
    }
    const total = [...perNumber.values()].reduce((a, b) => a + b, 0n);
    expect(text.split(`Total${money(total)}`)).toHaveLength(3);
  });

  it('takes the current month and refuses the next, naming month', async () => {
    const credit = await account('25060831');
    const [y, m] = thisMonth.split('-').map(Number);
    expect((await t.gql(ACT, { c: head.gid, a: credit.gid, y, mo: m })).errors).toBeUndefined();
    const [ny, nm] = addMonths(`${thisMonth}-01`, 1).split('-').map(Number);
    expect(await refusal(ACT, { c: head.gid, a: credit.gid, y: ny, mo: nm })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    expect(await refusal(ACT, { c: head.gid, a: credit.gid, y, mo: 13 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
  });

  it('wants exactly one of the account and a number', async () => {
    const credit = await account('25060831');
    expect(await refusal(ACT, { c: head.gid, y: year, mo: month })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
    expect(await refusal(ACT, { c: head.gid, a: credit.gid, m: '77010542006', y: year, mo: month })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
  });

  it('does not find another company’s account or number', async () => {
    const branchAccount = await account('25071142');
    expect(await refusal(ACT, { c: head.gid, a: branchAccount.gid, y: year, mo: month })).toMatchObject({ code: 'NOT_FOUND' });
    const [branchNumber] = await t.db.dataSource.query(
      `SELECT n.msisdn FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id WHERE a.account_no = '25071142' LIMIT 1`,
    );
    expect(await refusal(ACT, { c: head.gid, m: branchNumber.msisdn, y: year, mo: month })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists one invoice per account and month in the register, with VAT and totals that add up', async () => {
    const from = addMonths(`${thisMonth}-01`, -3).slice(0, 7);
    const res = await t.gql(REGISTER, { c: head.gid, f: from, t: thisMonth });
    expect(res.errors).toBeUndefined();
    const download = await t.app.inject({ method: 'GET', url: res.data!.downloadInvoiceRegister.url, headers: { cookie: t.adminCookie } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    let header = 0;
    sheet.eachRow((row, index) => {
      if (!header && row.getCell(1).value === 'Invoice No.') header = index;
    });
    const rows: ExcelJS.Row[] = [];
    for (let i = header + 1; sheet.getRow(i).getCell(1).value !== null; i += 1) rows.push(sheet.getRow(i));
    const expected = await t.db.dataSource.query(
      `SELECT a.account_no || '-' || to_char(p.paid_at AT TIME ZONE 'Asia/Almaty', 'YYYYMM') AS invoice, (-sum(p.amount))::text AS gross
       FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id
       WHERE a.company_id = $1 AND p.type = 'CHARGE' AND to_char(p.paid_at AT TIME ZONE 'Asia/Almaty', 'YYYY-MM') BETWEEN $2 AND $3
       GROUP BY 1 ORDER BY 1`,
      [head.id, from, thisMonth],
    );
    expect(rows.map((r) => r.getCell(1).value).sort()).toEqual(expected.map((e: { invoice: string }) => e.invoice));
    let gross = 0n;
    for (const row of rows) {
      const [net, vat, withVat] = [6, 7, 8].map((c) => tiynOf(row.getCell(c).value));
      expect(net + vat).toBe(withVat);
      expect(vat).toBe(vatOf(withVat));
      gross += withVat;
    }
    expect(gross).toBe(expected.reduce((sum: bigint, e: { gross: string }) => sum + BigInt(e.gross), 0n));
    const totals = sheet.getRow(header + rows.length + 2);
    expect(totals.getCell(1).value).toBe('Total');
    expect(tiynOf(totals.getCell(8).value)).toBe(gross);
  });

  it('takes a register of 12 months and refuses 13, a future month, a reversed range and a bad month', async () => {
    const eleventhBack = addMonths(`${thisMonth}-01`, -11).slice(0, 7);
    const twelfthBack = addMonths(`${thisMonth}-01`, -12).slice(0, 7);
    const next = addMonths(`${thisMonth}-01`, 1).slice(0, 7);
    expect((await t.gql(REGISTER, { c: head.gid, f: eleventhBack, t: thisMonth })).errors).toBeUndefined();
    expect(await refusal(REGISTER, { c: head.gid, f: twelfthBack, t: thisMonth })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromMonth' });
    expect(await refusal(REGISTER, { c: head.gid, f: thisMonth, t: next })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toMonth' });
    expect(await refusal(REGISTER, { c: head.gid, f: thisMonth, t: lastMonth })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromMonth' });
    expect(await refusal(REGISTER, { c: head.gid, f: '2025-13', t: thisMonth })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromMonth' });
  });

  it('records the act and the register in the actions history', async () => {
    const credit = await account('25060831');
    await t.gql(ACT, { c: head.gid, a: credit.gid, y: year, mo: month });
    await t.gql(REGISTER, { c: head.gid, f: lastMonth, t: thisMonth });
    const entries = await t.db.dataSource.query(
      `SELECT action, details FROM cabinet.action_log WHERE action IN ('DOWNLOAD_COMPLETED_WORKS_ACT', 'DOWNLOAD_INVOICE_REGISTER') ORDER BY id DESC LIMIT 2`,
    );
    expect(entries).toEqual([
      { action: 'DOWNLOAD_INVOICE_REGISTER', details: { from: lastMonth, to: thisMonth } },
      { action: 'DOWNLOAD_COMPLETED_WORKS_ACT', details: { accountNo: '25060831', month: lastMonth } },
    ]);
  });

  it('refuses both documents for a company not granted', async () => {
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE id <> $1 ORDER BY id LIMIT 1`, [head.id]);
    const admin = await createAdministrator(t.db, { companyIds: [branch.id] });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
    const cookie = sessionCookie(login.headers);
    const act = await t.request(ACT, { c: head.gid, m: '77010542006', y: year, mo: month }, { cookie });
    expect(act.errors![0].extensions?.code).toBe('NOT_FOUND');
    const register = await t.request(REGISTER, { c: head.gid, f: lastMonth, t: thisMonth }, { cookie });
    expect(register.errors![0].extensions?.code).toBe('NOT_FOUND');
  });
});
