import { toGlobalId } from '../core/ids';
import { addDays, todayIn } from '../core/period';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';

const NUMBER_PAYMENTS = /* GraphQL */ `
  query NumberPayments($id: ID!, $from: Date, $to: Date, $first: Int) {
    number(id: $id) {
      payments(from: $from, to: $to, first: $first) {
        edges {
          node {
            paidAt
            type
            comment
            amount
            balanceBefore
            balanceAfter
            accountNo
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;

const CREDIT_PAYMENTS = /* GraphQL */ `
  query CreditPayments($c: ID!, $from: Date, $to: Date, $accountId: ID, $first: Int, $after: String) {
    company(id: $c) {
      creditPayments(from: $from, to: $to, accountId: $accountId, first: $first, after: $after) {
        edges {
          node {
            paidAt
            type
            comment
            amount
            balanceBefore
            balanceAfter
            accountNo
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const toTiyn = (money: string) => BigInt(money.replace('.', ''));

describe.each(ENGINES)('payment history API on %s', (engine) => {
  let t: TestApp;
  let head: { id: number; gid: string };
  const today = todayIn();
  const from = addDays(today, -119);

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    head = { id: company.id, gid: toGlobalId('Company', company.id) };
  });
  afterAll(() => t.close());

  const accountGid = async (accountNo: string) => {
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.accounts WHERE account_no = $1`, [accountNo]);
    return toGlobalId('Account', row.id);
  };

  const otherAdmin = async () => {
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE id <> $1 ORDER BY id LIMIT 1`, [head.id]);
    const admin = await createAdministrator(t.db, { companyIds: [branch.id] });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
    return { cookie: sessionCookie(login.headers) };
  };

  it('shows an Advance number’s movements in the period, newest first, each with its balances and account', async () => {
    const [number] = await t.db.dataSource.query(
      `SELECT n.id, a.account_no AS "accountNo" FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id WHERE n.msisdn = '77010542001'`,
    );
    const res = await t.gql(NUMBER_PAYMENTS, { id: toGlobalId('Number', number.id), from, first: 100 });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.number.payments.edges.map((e: any) => e.node);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.map((r: any) => r.paidAt)).toEqual([...rows.map((r: any) => r.paidAt)].sort().reverse());
    for (const row of rows) {
      expect(row.accountNo).toBe(number.accountNo);
      expect(toTiyn(row.balanceBefore) + toTiyn(row.amount)).toBe(toTiyn(row.balanceAfter));
    }
  });

  it('writes each movement in the reader’s language from what it is: service month and tariff, channel, reason', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542001'`);
    const [fee] = await t.db.dataSource.query(
      `SELECT p.paid_at AS "paidAt", to_char(p.service_month, 'MM') AS month, to_char(p.service_month, 'YYYY') AS year, t.name AS tariff
       FROM billing.payments p JOIN billing.tariffs t ON t.id = p.tariff_id
       WHERE p.number_id = $1 AND p.charge_kind = 'TARIFF_FEE' ORDER BY p.paid_at DESC LIMIT 1`,
      [number.id],
    );
    const companies = await t.db.dataSource.query(`SELECT id FROM billing.companies`);
    const commentsIn = async (language: 'en' | 'ru' | 'kk') => {
      const admin = await createAdministrator(t.db, { companyIds: companies.map((c: { id: number }) => c.id) });
      await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = $2 WHERE id = $1`, [admin.id, language]);
      const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
      const res = await t.request(NUMBER_PAYMENTS, { id: toGlobalId('Number', number.id), from, first: 100 }, { cookie: sessionCookie(login.headers) });
      return res.data!.number.payments.edges.map((e: any) => e.node) as { paidAt: string; type: string; comment: string }[];
    };
    const ru = await commentsIn('ru');
    const kk = await commentsIn('kk');
    const en = await commentsIn('en');
    const ruMonths = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
    const at = (rows: typeof ru) => rows.find((r) => new Date(r.paidAt).getTime() === new Date(fee.paidAt).getTime())!.comment;
    expect(at(ru)).toBe(`Абонентская плата за ${ruMonths[Number(fee.month) - 1]} ${fee.year}: тарифный план «${fee.tariff.ru}»`);
    expect(at(kk)).toContain(`«${fee.tariff.kk}» тарифтік жоспары`);
    expect(at(en)).toContain(`tariff plan “${fee.tariff.en}”`);
    expect(ru.filter((r) => r.type === 'PAYMENT').every((r) => /^(Оплата |Kaspi \d+$)/.test(r.comment))).toBe(true);
    expect(ru.some((r) => /Payment|Monthly fee|Invoice/.test(r.comment))).toBe(false);
  });

  it('lists only the payments of Credit accounts, with the account number of each', async () => {
    const payments = [];
    let after: string | undefined;
    for (;;) {
      const res = await t.gql(CREDIT_PAYMENTS, { c: head.gid, from, first: 100, after });
      expect(res.errors).toBeUndefined();
      const page = res.data!.company.creditPayments;
      payments.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const expected = await t.db.dataSource.query(
      `SELECT a.account_no AS "accountNo", count(*)::int AS n FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id
       WHERE a.company_id = $1 AND a.payment_method = 'CREDIT' AND p.paid_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'
       GROUP BY 1 ORDER BY 1`,
      [head.id, from],
    );
    const counted = new Map<string, number>();
    for (const p of payments) counted.set(p.accountNo, (counted.get(p.accountNo) ?? 0) + 1);
    expect([...counted].sort()).toEqual(expected.map((r: any) => [r.accountNo, r.n]));
    expect(expected.length).toBeGreaterThan(0);
  });

  it('narrows the credit history to one account', async () => {
    const res = await t.gql(CREDIT_PAYMENTS, { c: head.gid, from, accountId: await accountGid('25060831'), first: 100 });
    const accounts = new Set(res.data!.company.creditPayments.edges.map((e: any) => e.node.accountNo));
    expect(accounts).toEqual(new Set(['25060831']));
  });

  it('refuses an Advance account for the credit history, naming accountId', async () => {
    const res = await t.gql(CREDIT_PAYMENTS, { c: head.gid, accountId: await accountGid('25060832') });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
  });

  it('does not find another company’s account', async () => {
    const res = await t.gql(CREDIT_PAYMENTS, { c: head.gid, accountId: await accountGid('25071142') });
    expect(res.errors![0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a period that ends in the future or starts after it ends', async () => {
    const future = await t.gql(CREDIT_PAYMENTS, { c: head.gid, to: addDays(today, 1) });
    expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const reversed = await t.gql(CREDIT_PAYMENTS, { c: head.gid, from: today, to: addDays(today, -1) });
    expect(reversed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('records views of both histories in the actions log', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542001'`);
    await t.gql(NUMBER_PAYMENTS, { id: toGlobalId('Number', number.id), from, to: today, first: 1 });
    await t.gql(CREDIT_PAYMENTS, { c: head.gid, from, to: today, first: 1 });
    const entries = await t.db.dataSource.query(
      `SELECT action, number_id AS "numberId", details FROM cabinet.action_log
       WHERE action IN ('VIEW_PAYMENT_HISTORY', 'VIEW_CREDIT_PAYMENTS') ORDER BY id DESC LIMIT 2`,
    );
    expect(entries).toEqual([
      { action: 'VIEW_CREDIT_PAYMENTS', numberId: null, details: { from, to: today } },
      { action: 'VIEW_PAYMENT_HISTORY', numberId: number.id, details: { msisdn: '77010542001', from, to: today } },
    ]);
  });

  it('does not show another company’s credit history', async () => {
    const res = await t.request(CREDIT_PAYMENTS, { c: head.gid }, await otherAdmin());
    expect(res.data?.company ?? null).toBeNull();
    expect(res.errors![0].extensions?.code).toBe('NOT_FOUND');
  });
});
