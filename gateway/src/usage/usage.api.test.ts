import { toGlobalId } from '../core/ids';
import { addDays, todayIn } from '../core/period';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';

const USAGE = /* GraphQL */ `
  query Usage($id: ID!, $from: Date, $to: Date, $type: UsageKind, $first: Int, $after: String) {
    number(id: $id) {
      usage(from: $from, to: $to, type: $type, first: $first, after: $after) {
        edges {
          node {
            startedAt
            type
            cost
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

const TOTALS = /* GraphQL */ `
  query Totals($id: ID!, $from: Date, $to: Date) {
    number(id: $id) {
      usageTotals(from: $from, to: $to) {
        calls
        sms
        cost
      }
    }
  }
`;

const toTiyn = (money: string) => BigInt(money.replace('.', ''));

describe.each(ENGINES)('usage details API on %s', (engine) => {
  let t: TestApp;
  let numberId: string;
  let numberDbId: number;
  const today = todayIn();

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542006'`);
    numberDbId = row.id;
    numberId = toGlobalId('Number', row.id);
  });
  afterAll(() => t.close());

  const refusal = async (variables: Record<string, unknown>, query = USAGE) => {
    const res = await t.gql(query, { id: numberId, ...variables });
    expect(res.data?.number ?? null).toBeNull();
    return { code: res.errors?.[0].extensions?.code, field: res.errors?.[0].extensions?.field };
  };

  it('accepts a period starting 89 days before today, the first day of the 90-day window', async () => {
    const res = await t.gql(USAGE, { id: numberId, from: addDays(today, -89), to: today, first: 1 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.number.usage.edges).toHaveLength(1);
  });

  it('refuses a start 90 days before today, naming from', async () => {
    expect(await refusal({ from: addDays(today, -90), to: today })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('refuses an end after today, naming to', async () => {
    expect(await refusal({ from: today, to: addDays(today, 1) })).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('refuses an end before the window, naming to', async () => {
    expect(await refusal({ to: addDays(today, -90) })).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('refuses a start after the end, naming from', async () => {
    expect(await refusal({ from: addDays(today, -3), to: addDays(today, -4) })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('applies the same window to the totals', async () => {
    expect(await refusal({ from: addDays(today, -90) }, TOTALS)).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('defaults to the last month, clipped to the window when the end lies far back', async () => {
    const to = addDays(today, -80);
    const res = await t.gql(USAGE, { id: numberId, to, first: 100 });
    expect(res.errors).toBeUndefined();
    const days = res.data!.number.usage.edges.map((e: any) => todayIn(new Date(e.node.startedAt)));
    expect(days.length).toBeGreaterThan(0);
    expect(days.every((d: string) => d >= addDays(today, -89) && d <= to)).toBe(true);
  });

  it('keeps to the last month by default', async () => {
    const res = await t.gql(USAGE, { id: numberId, first: 100 });
    const days = res.data!.number.usage.edges.map((e: any) => todayIn(new Date(e.node.startedAt)));
    const [{ from }] = await t.db.dataSource.query(`SELECT to_char((now() AT TIME ZONE 'Asia/Almaty')::date - interval '1 month', 'YYYY-MM-DD') AS from`);
    expect(days.length).toBeGreaterThan(0);
    expect(days.every((d: string) => d >= from && d <= today)).toBe(true);
  });

  it('filters by kind', async () => {
    const res = await t.gql(USAGE, { id: numberId, from: addDays(today, -89), type: 'SMS', first: 100 });
    const types = res.data!.number.usage.edges.map((e: any) => e.node.type);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['SMS']));
  });

  it('totals the same records the pages list', async () => {
    const from = addDays(today, -89);
    let sum = 0n;
    let count = 0;
    let after: string | undefined;
    for (;;) {
      const page = (await t.gql(USAGE, { id: numberId, from, first: 100, after })).data!.number.usage;
      for (const edge of page.edges) {
        sum += toTiyn(edge.node.cost);
        count += 1;
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const totals = (await t.gql(TOTALS, { id: numberId, from })).data!.number.usageTotals;
    const [sql] = await t.db.dataSource.query(
      `SELECT count(*)::int AS count FROM billing.usage_records
       WHERE number_id = $1 AND started_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'`,
      [numberDbId, from],
    );
    expect(count).toBe(sql.count);
    expect(toTiyn(totals.cost)).toBe(sum);
  });

  it('records one VIEW_USAGE entry per request with the period, however many fields show it', async () => {
    const from = addDays(today, -10);
    const before = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.action_log WHERE action = 'VIEW_USAGE'`);
    const res = await t.gql(
      `query($id: ID!, $from: Date) { number(id: $id) { usage(from: $from, first: 1) { edges { cursor } } usageTotals(from: $from) { calls } } }`,
      { id: numberId, from },
    );
    expect(res.errors).toBeUndefined();
    const entries = await t.db.dataSource.query(
      `SELECT number_id AS "numberId", details, status FROM cabinet.action_log WHERE action = 'VIEW_USAGE' ORDER BY id DESC`,
    );
    expect(entries.length - before[0].n).toBe(1);
    expect(entries[0]).toEqual({ numberId: numberDbId, details: { msisdn: '77010542006', from, to: today }, status: 'SUCCESS' });
  });

  it('records one VIEW_USAGE entry for a page that asks for records and totals in separate requests at once', async () => {
    const from = addDays(today, -20);
    const count = async () =>
      (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.action_log WHERE action = 'VIEW_USAGE' AND details->>'from' = $1`, [from]))[0].n;
    const responses = await Promise.all([
      t.gql(USAGE, { id: numberId, from, first: 5 }),
      t.gql(TOTALS, { id: numberId, from }),
      t.gql(USAGE, { id: numberId, from, first: 5 }),
    ]);
    expect(responses.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(await count()).toBe(1);
    // The next page, shortly after, is the same view.
    const next = responses[0].data!.number.usage.pageInfo.endCursor;
    await t.gql(USAGE, { id: numberId, from, first: 5, after: next });
    expect(await count()).toBe(1);
    // Looked at again later, it is a view of its own.
    await t.db.dataSource.query(`UPDATE cabinet.view_marks SET started_at = started_at - interval '2 minutes'`);
    await t.gql(TOTALS, { id: numberId, from });
    expect(await count()).toBe(2);
  });

  it('does not show the usage of another company’s number', async () => {
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name <> 'TOO Кабинет' ORDER BY id LIMIT 1`);
    const other = await createAdministrator(t.db, { companyIds: [branch.id] });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: other.phone, w: TEST_PASSWORD });
    const res = await t.request(USAGE, { id: numberId, first: 1 }, { cookie: sessionCookie(login.headers) });
    expect(res.data?.number ?? null).toBeNull();
    expect(res.errors![0].extensions?.code).toBe('NOT_FOUND');
  });
});
