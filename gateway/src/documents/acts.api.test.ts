import ExcelJS from 'exceljs';
import parsePdf from 'pdf-parse/lib/pdf-parse.js';
import { toGlobalId } from '../core/ids';
import { addMonths, todayIn } from '../core/period';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { formatMoney, formatPhone } from './format';

const ACT = /* GraphQL */ `
  mutation ($c: ID!, $a: ID, $m: String, $y: Int!, $mo: Int!) {
    downloadCompletedWorksAct(companyId: $c, accountId: $a, msisdn: $m, year: $y, month: $mo) {
      url
      filename
    }
  }
`;
const REGISTER = 'mutation($c: ID!, $f: String!, $t: String!) { downloadInvoiceRegister(companyId: $c, fromMonth: $f, toMonth: $t) { url filename } }';

const plain = (text: string) => text.replace(/\s+/g, ' ');
const money = (tiyn: bigint) => plain(formatMoney(tiyn, 'en'));
const vatOf = (total: bigint) => (total * 12n + 56n) / 112n;
const tiynOf = (value: unknown) => BigInt(Math.round(Number(value) * 100));

const MONTHS = /* GraphQL */ `
  query ($c: ID!) {
    company(id: $c) {
      invoiceMonths
      accounts(first: 100) {
        edges {
          node {
            id
            accountNo
            actMonths
          }
        }
      }
    }
  }
`;

const lastDay = (yyyyMm: string) => {
  const [y, m] = yyyyMm.split('-').map(Number);
  return `${new Date(Date.UTC(y, m, 0)).getUTCDate()}.${String(m).padStart(2, '0')}.${y}`;
};

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
  /** The charges for a service month, straight from the billing tables. */
  const charges = async (accountId: number, yyyyMm: string) => {
    const rows = await t.db.dataSource.query(
      `SELECT n.msisdn, p.charge_kind AS kind, t.name->>'en' AS tariff, s.name->>'en' AS service, (-p.amount)::text AS amount
       FROM billing.payments p LEFT JOIN billing.numbers n ON n.id = p.number_id
         LEFT JOIN billing.tariffs t ON t.id = p.tariff_id LEFT JOIN billing.services s ON s.id = p.service_id
       WHERE p.account_id = $1 AND p.type = 'CHARGE' AND p.service_month = ($2 || '-01')::date`,
      [accountId, yyyyMm],
    );
    return rows as { msisdn: string | null; kind: string; tariff: string | null; service: string | null; amount: string }[];
  };
  const sumOf = (rows: { amount: string }[]) => rows.reduce((sum, row) => sum + BigInt(row.amount), 0n);
  const pdfText = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return plain((await parsePdf(res.rawPayload)).text);
  };
  const refusal = async (query: string, variables: Record<string, unknown>, headers?: Record<string, string>) => {
    const res = headers ? await t.request(query, variables, headers) : await t.gql(query, variables);
    return res.errors?.[0] as { message: string; extensions: { code: string; field?: string; reason?: string } } | undefined;
  };
  /** The session of an administrator of every company who reads the portal in `language`. */
  const cookieIn = async (language: 'ru' | 'kk') => {
    const companies = await t.db.dataSource.query(`SELECT id FROM billing.companies`);
    const admin = await createAdministrator(t.db, { companyIds: companies.map((c: { id: number }) => c.id) });
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = $2 WHERE id = $1`, [admin.id, language]);
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
    return { cookie: sessionCookie(login.headers) };
  };
  /** Appendix No. 1 alone: the text after its title. */
  const appendixOf = (text: string) => text.slice(text.indexOf('Appendix No. 1 to the act'));
  const lineLabel = (row: { kind: string; tariff: string | null; service: string | null }) =>
    ({
      TARIFF_FEE: `Monthly fee, tariff plan “${row.tariff}”`,
      SERVICE_FEE: `Additional service “${row.service}”, monthly fee`,
      CALLS: 'Calls',
      SMS: 'SMS messages',
      DATA: 'Mobile internet',
      ROAMING: 'Roaming',
    })[row.kind]!;

  it('prints the act of a Credit account with exactly the charges for its service month, by kind, dated the month’s last day', async () => {
    const credit = await account('25060831');
    const rows = await charges(credit.id, lastMonth);
    const total = sumOf(rows);
    expect(total).toBeGreaterThan(0n);
    // The charges posted during the month are for the month before: the act must not be made of those.
    const [posted] = await t.db.dataSource.query(
      `SELECT (-coalesce(sum(amount), 0))::text AS amount FROM billing.payments
       WHERE account_id = $1 AND type = 'CHARGE' AND to_char(paid_at AT TIME ZONE 'Asia/Almaty', 'YYYY-MM') = $2`,
      [credit.id, lastMonth],
    );
    expect(BigInt(posted.amount)).not.toBe(total);

    const res = await t.gql(ACT, { c: head.gid, a: credit.gid, y: year, mo: month });
    expect(res.errors).toBeUndefined();
    expect(res.data!.downloadCompletedWorksAct.filename).toBe(`act-25060831-${lastMonth}.pdf`);
    const text = await pdfText(res.data!.downloadCompletedWorksAct.url);
    const no = `25060831-${lastMonth.replace('-', '')}`;
    expect(text).toContain(`Act of completed works (services rendered) No. ${no}`);
    expect(text).toContain(`Appendix No. 1 to the act of completed works No. ${no}`);
    expect(text).toContain(`Date of the act: ${lastDay(lastMonth)}`);
    expect(text).toContain('Service provider: Kcell JSC, BIN 980540000397');
    expect(text).toContain('Customer: TOO Кабинет, BIN 750750750750');
    expect(text.split(`Total${money(total)}`)).toHaveLength(3);
    expect(text).toContain(`including VAT 12%${money(vatOf(total))}`);

    const byLine = new Map<string, bigint>();
    for (const row of rows) byLine.set(lineLabel(row), (byLine.get(lineLabel(row)) ?? 0n) + BigInt(row.amount));
    expect([...byLine.keys()]).toEqual(expect.arrayContaining(['Calls']));
    const act = text.slice(0, text.indexOf('Appendix No. 1 to the act'));
    for (const [label, amount] of byLine) {
      expect(act).toContain(label);
      expect(act).toContain(money(amount));
    }
    expect(act).not.toContain('Invoice for');

    const perNumber = new Map<string, bigint>();
    for (const row of rows) perNumber.set(row.msisdn!, (perNumber.get(row.msisdn!) ?? 0n) + BigInt(row.amount));
    expect(perNumber.size).toBeGreaterThan(0);
    const appendix = appendixOf(text);
    for (const [msisdn, amount] of perNumber) {
      expect(amount).toBeGreaterThan(0n);
      expect(appendix).toMatch(new RegExp(`${formatPhone(msisdn).replace(/[+]/g, '\\+')}.*${money(amount).replace(/[.]/g, '\\.')}`));
    }
    expect(appendix).not.toContain('Charges of the personal account');
  });

  it('finds the account by one of its numbers and lists each number’s charges in the appendix', async () => {
    const [advance] = await t.db.dataSource.query(
      `SELECT a.id, a.account_no AS "accountNo", n.msisdn FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id
       WHERE a.company_id = $1 AND a.payment_method = 'ADVANCE' AND EXISTS (
         SELECT 1 FROM billing.payments p WHERE p.account_id = a.id AND p.type = 'CHARGE' AND p.service_month = ($2 || '-01')::date)
       ORDER BY n.msisdn LIMIT 1`,
      [head.id, lastMonth],
    );
    const res = await t.gql(ACT, { c: head.gid, m: advance.msisdn, y: year, mo: month });
    expect(res.data!.downloadCompletedWorksAct.filename).toBe(`act-${advance.accountNo}-${lastMonth}.pdf`);
    const text = await pdfText(res.data!.downloadCompletedWorksAct.url);
    const rows = await charges(advance.id, lastMonth);
    const perNumber = new Map<string, bigint>();
    for (const row of rows) perNumber.set(row.msisdn!, (perNumber.get(row.msisdn!) ?? 0n) + BigInt(row.amount));
    expect(perNumber.size).toBeGreaterThan(0);
    const appendix = appendixOf(text);
    for (const [msisdn, amount] of perNumber) {
      expect(appendix).toContain(formatPhone(msisdn));
      expect(appendix).toContain(money(amount));
    }
    expect(text.split(`Total${money(sumOf(rows))}`)).toHaveLength(3);
  });

  it('offers, per account, exactly the ended months with charges, and issues each of them', async () => {
    const res = await t.gql(MONTHS, { c: head.gid });
    expect(res.errors).toBeUndefined();
    const expected: { accountNo: string; months: string[] }[] = await t.db.dataSource.query(
      `SELECT a.account_no AS "accountNo",
         coalesce(array_agg(DISTINCT to_char(p.service_month, 'YYYY-MM')) FILTER (WHERE p.service_month < ($2 || '-01')::date), '{}') AS months
       FROM billing.accounts a LEFT JOIN billing.payments p ON p.account_id = a.id AND p.type = 'CHARGE'
       WHERE a.company_id = $1 GROUP BY a.account_no ORDER BY a.account_no`,
      [head.id, thisMonth],
    );
    const offered = res.data!.company.accounts.edges.map((e: { node: { accountNo: string; actMonths: string[] } }) => e.node);
    expect(offered.map((a: { accountNo: string; actMonths: string[] }) => ({ accountNo: a.accountNo, months: [...a.actMonths].sort() }))).toEqual(
      expected.map((e) => ({ accountNo: e.accountNo, months: [...e.months].sort() })),
    );
    for (const a of offered) expect(a.actMonths).not.toContain(thisMonth);
    const allMonths = [...new Set(expected.flatMap((e) => e.months))].sort().reverse();
    expect(res.data!.company.invoiceMonths).toEqual(allMonths);
    expect(allMonths).toContain(lastMonth);

    const first = offered.find((a: { actMonths: string[] }) => a.actMonths.length > 0)!;
    const oldest = first.actMonths[first.actMonths.length - 1];
    const [y, m] = oldest.split('-').map(Number);
    expect((await t.gql(ACT, { c: head.gid, a: first.id, y, mo: m })).errors).toBeUndefined();
  });

  it('refuses the current month as not ended and a month without charges, naming month, in the caller’s language', async () => {
    const credit = await account('25060831');
    const [y, m] = thisMonth.split('-').map(Number);
    const current = await refusal(ACT, { c: head.gid, a: credit.gid, y, mo: m });
    expect(current?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month', reason: 'MONTH_NOT_ENDED' });
    expect(current?.message).toContain('has not ended yet');
    const russian = await refusal(ACT, { c: head.gid, a: credit.gid, y, mo: m }, await cookieIn('ru'));
    expect(russian?.message).toContain('еще не закончился');
    const kazakh = await refusal(ACT, { c: head.gid, a: credit.gid, y, mo: m }, await cookieIn('kk'));
    expect(kazakh?.message).toContain('әлі аяқталған жоқ');

    const empty = await refusal(ACT, { c: head.gid, a: credit.gid, y: 2020, mo: 1 });
    expect(empty?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month', reason: 'NO_CHARGES' });
    expect(empty?.message).toContain('25060831');
    const [ny, nm] = addMonths(`${thisMonth}-01`, 1).split('-').map(Number);
    expect((await refusal(ACT, { c: head.gid, a: credit.gid, y: ny, mo: nm }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    expect((await refusal(ACT, { c: head.gid, a: credit.gid, y, mo: 13 }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
  });

  it('wants exactly one of the account and a number', async () => {
    const credit = await account('25060831');
    expect((await refusal(ACT, { c: head.gid, y: year, mo: month }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
    expect((await refusal(ACT, { c: head.gid, a: credit.gid, m: '77010542006', y: year, mo: month }))?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'accountId',
    });
  });

  it('does not find another company’s account or number', async () => {
    const branchAccount = await account('25071142');
    expect((await refusal(ACT, { c: head.gid, a: branchAccount.gid, y: year, mo: month }))?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const [branchNumber] = await t.db.dataSource.query(
      `SELECT n.msisdn FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id WHERE a.account_no = '25071142' LIMIT 1`,
    );
    expect((await refusal(ACT, { c: head.gid, m: branchNumber.msisdn, y: year, mo: month }))?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists one invoice per account and service month, dated its last day, with that month’s charges', async () => {
    const from = addMonths(`${thisMonth}-01`, -3).slice(0, 7);
    const res = await t.gql(REGISTER, { c: head.gid, f: from, t: lastMonth });
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
    const expected: { invoice: string; month: string; gross: string }[] = await t.db.dataSource.query(
      `SELECT a.account_no || '-' || to_char(p.service_month, 'YYYYMM') AS invoice, to_char(p.service_month, 'YYYY-MM') AS month,
         (-sum(p.amount))::text AS gross
       FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id
       WHERE a.company_id = $1 AND p.type = 'CHARGE' AND p.service_month BETWEEN ($2 || '-01')::date AND ($3 || '-01')::date
       GROUP BY 1, 2 ORDER BY 1`,
      [head.id, from, lastMonth],
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(rows.map((r) => r.getCell(1).value).sort()).toEqual(expected.map((e) => e.invoice));
    const byInvoice = new Map(expected.map((e) => [e.invoice, e]));
    let gross = 0n;
    for (const row of rows) {
      const invoice = byInvoice.get(String(row.getCell(1).value))!;
      expect(row.getCell(2).value).toBe(lastDay(invoice.month));
      const [net, vat, withVat] = [6, 7, 8].map((c) => tiynOf(row.getCell(c).value));
      expect(withVat).toBe(BigInt(invoice.gross));
      expect(net + vat).toBe(withVat);
      expect(vat).toBe(vatOf(withVat));
      gross += withVat;
    }
    expect(gross).toBe(expected.reduce((sum, e) => sum + BigInt(e.gross), 0n));
    const totals = sheet.getRow(header + rows.length + 2);
    expect(totals.getCell(1).value).toBe('Total');
    expect(tiynOf(totals.getCell(8).value)).toBe(gross);
  });

  it('takes a register of 12 ended months and refuses 13, the current month, a reversed range and a bad month', async () => {
    const twelfthBack = addMonths(`${thisMonth}-01`, -12).slice(0, 7);
    const thirteenthBack = addMonths(`${thisMonth}-01`, -13).slice(0, 7);
    expect((await t.gql(REGISTER, { c: head.gid, f: twelfthBack, t: lastMonth })).errors).toBeUndefined();
    expect((await refusal(REGISTER, { c: head.gid, f: thirteenthBack, t: lastMonth }))?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'fromMonth',
    });
    const current = await refusal(REGISTER, { c: head.gid, f: lastMonth, t: thisMonth }, await cookieIn('ru'));
    expect(current?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toMonth', reason: 'MONTH_NOT_ENDED' });
    expect(current?.message).toContain('еще не закончился');
    expect((await refusal(REGISTER, { c: head.gid, f: lastMonth, t: twelfthBack }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromMonth' });
    expect((await refusal(REGISTER, { c: head.gid, f: '2025-13', t: lastMonth }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromMonth' });
  });

  it('records the act and the register in the actions history', async () => {
    const credit = await account('25060831');
    await t.gql(ACT, { c: head.gid, a: credit.gid, y: year, mo: month });
    await t.gql(REGISTER, { c: head.gid, f: lastMonth, t: lastMonth });
    const entries = await t.db.dataSource.query(
      `SELECT action, details FROM cabinet.action_log WHERE action IN ('DOWNLOAD_COMPLETED_WORKS_ACT', 'DOWNLOAD_INVOICE_REGISTER') ORDER BY id DESC LIMIT 2`,
    );
    expect(entries).toEqual([
      { action: 'DOWNLOAD_INVOICE_REGISTER', details: { from: lastMonth, to: lastMonth } },
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
    const register = await t.request(REGISTER, { c: head.gid, f: lastMonth, t: lastMonth }, { cookie });
    expect(register.errors![0].extensions?.code).toBe('NOT_FOUND');
  });
});
