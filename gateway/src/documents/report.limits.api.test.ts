import { toGlobalId } from '../core/ids';
import { ENGINES, startTestApp, type TestApp } from '../test/app';
import { REPORTS_PER_COMPANY } from './report.service';

const NUMBERS_REPORT = 'mutation($c: ID!, $e: String) { requestNumbersReport(companyId: $c, email: $e) { id } }';
const codeOf = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) => String(answer.errors?.[0]?.extensions?.code ?? 'OK');

describe.each(ENGINES)('who may e-mail reports, and how many, on %s', (engine) => {
  let t: TestApp;
  let company: string;
  let adminEmail: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { runWorker: false } });
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    company = toGlobalId('Company', row.id);
    [{ email: adminEmail }] = await t.db.dataSource.query(
      `SELECT a.email FROM cabinet.administrators a JOIN cabinet.grants g ON g.administrator_id = a.id WHERE g.company_id = $1 AND a.email <> '' LIMIT 1`,
      [row.id],
    );
  });
  afterAll(() => t.close());

  const keyOf = async (scope: 'READ' | 'OPERATE') => {
    const created = await t.gql(`mutation($c: ID!) { createApiKey(companyId: $c, name: "ERP ${scope}", scope: ${scope}) { secret } }`, { c: company });
    return { authorization: `Bearer ${created.data!.createApiKey.secret}` };
  };

  it('lets a READ key send only to the company’s administrators, and an OPERATE key anywhere', async () => {
    const read = await keyOf('READ');
    const outside = await t.request(NUMBERS_REPORT, { c: company, e: 'collector@elsewhere.example' }, read);
    expect(outside.errors![0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(codeOf(await t.request(NUMBERS_REPORT, { c: company, e: adminEmail.toUpperCase() }, read))).toBe('OK');
    expect(codeOf(await t.request(NUMBERS_REPORT, { c: company, e: 'erp@client.kz' }, await keyOf('OPERATE')))).toBe('OK');
    await t.db.dataSource.query(`DELETE FROM cabinet.rate_limits WHERE key LIKE 'reports:company:%'`);
  });

  it('accepts exactly the hourly number of e-mailed reports of a company among 50 parallel requests', async () => {
    const key = await keyOf('OPERATE');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => t.request(NUMBERS_REPORT, { c: company, e: `bulk${i}@client.kz` }, key)));
    const codes = answers.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(REPORTS_PER_COMPANY.max);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(50 - REPORTS_PER_COMPANY.max);
    const [{ count }] = await t.db.dataSource.query(`SELECT count(*)::int FROM cabinet.reports WHERE email LIKE 'bulk%@client.kz'`);
    expect(count).toBe(REPORTS_PER_COMPANY.max);
  });
});
