import { toGlobalId } from '../core/ids';
import { addDays, todayIn } from '../core/period';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';

const ACTIONS = /* GraphQL */ `
  query Actions(
    $c: ID!
    $from: Date
    $to: Date
    $administratorId: ID
    $numberId: ID
    $msisdn: String
    $status: ActionStatus
    $action: ActionCode
    $first: Int
    $after: String
  ) {
    company(id: $c) {
      actions(
        from: $from
        to: $to
        administratorId: $administratorId
        numberId: $numberId
        msisdn: $msisdn
        status: $status
        action: $action
        first: $first
        after: $after
      ) {
        edges {
          node {
            action
            description
            status
            failureReason
            createdAt
            actor {
              name
              phone
              administratorId
            }
            number {
              msisdn
            }
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

interface Entry {
  action: string;
  description: string;
  status: string;
  failureReason: string | null;
  createdAt: string;
  actor: { name: string; phone: string | null; administratorId: string | null };
  number: { msisdn: string } | null;
}

describe.each(ENGINES)('actions history API on %s', (engine) => {
  let t: TestApp;
  let company: { id: number; gid: string };
  let admin: { id: number; phone: string; cookie: string };
  const today = todayIn();

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    company = { id: row.id, gid: toGlobalId('Company', row.id) };
    const created = await createAdministrator(t.db, { companyIds: [row.id], name: 'Сидоров Пётр' });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: created.phone, w: TEST_PASSWORD });
    admin = { id: created.id, phone: created.phone, cookie: sessionCookie(login.headers) };
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542001'`);
    await t.request(
      `query($id: ID!) { number(id: $id) { payments(first: 1) { edges { cursor } } } }`,
      { id: toGlobalId('Number', number.id) },
      { cookie: admin.cookie },
    );
    await t.db.dataSource.query(
      `INSERT INTO cabinet.action_log (company_id, number_id, action, details, status, actor_name, actor_phone, administrator_id, created_at)
       VALUES ($1, $2, 'BLOCK_NUMBER', '{"msisdn": "77010542001"}', 'FAILURE', 'Сидоров Пётр', $3, $4, now() - interval '40 days')`,
      [company.id, number.id, admin.phone, admin.id],
    );
  });
  afterAll(() => t.close());

  const list = async (variables: Record<string, unknown>): Promise<Entry[]> => {
    const entries: Entry[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await t.gql(ACTIONS, { c: company.gid, first: 100, after, ...variables });
      expect(res.errors).toBeUndefined();
      const page = res.data!.company.actions;
      entries.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) return entries;
      after = page.pageInfo.endCursor;
    }
  };

  it('keeps to the period, in Almaty days', async () => {
    const from = addDays(today, -7);
    const entries = await list({ from, to: today });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => todayIn(new Date(e.createdAt)) >= from)).toBe(true);
    const all = await list({});
    expect(all.length).toBeGreaterThan(entries.length);
  });

  it('filters by administrator, number and status together', async () => {
    const administratorId = toGlobalId('Administrator', admin.id);
    const entries = await list({ administratorId, msisdn: '77010542001', status: 'FAILURE' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'BLOCK_NUMBER',
      status: 'FAILURE',
      actor: { name: 'Сидоров Пётр', phone: admin.phone, administratorId },
      number: { msisdn: '77010542001' },
    });
  });

  it('filters by number ID the same as by its digits', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542001'`);
    const byId = await list({ numberId: toGlobalId('Number', number.id) });
    const byDigits = await list({ msisdn: '+7 701 054 20 01' });
    expect(byId.length).toBeGreaterThan(1);
    expect(byId).toEqual(byDigits);
    expect(byId.every((e) => e.number?.msisdn === '77010542001')).toBe(true);
  });

  it('lists the views of payment history under their action code, described in the caller’s language', async () => {
    const entries = await list({ administratorId: toGlobalId('Administrator', admin.id), action: 'VIEW_PAYMENT_HISTORY' });
    expect(entries).toHaveLength(1);
    expect(entries[0].description).toMatch(/^View payment history of number 77010542001 for \d\d\.\d\d\.\d{4}–\d\d\.\d\d\.\d{4}$/);
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'ru' WHERE id = $1`, [admin.id]);
    t.afterSessionCache();
    const ru = await t.request(
      ACTIONS,
      { c: company.gid, action: 'VIEW_PAYMENT_HISTORY', administratorId: toGlobalId('Administrator', admin.id) },
      { cookie: admin.cookie },
    );
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'en' WHERE id = $1`, [admin.id]);
    t.afterSessionCache();
    expect(ru.data!.company.actions.edges[0].node.description).toMatch(/^Просмотр истории платежей по номеру 77010542001 за /);
  });

  it('refuses a bad period, number or action code with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: today, to: addDays(today, -1) }, 'from'],
      [{ to: addDays(today, 1) }, 'to'],
      [{ msisdn: '12345' }, 'msisdn'],
      [{ numberId: 'nonsense' }, 'numberId'],
    ];
    for (const [variables, field] of cases) {
      const res = await t.gql(ACTIONS, { c: company.gid, ...variables });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('refuses an action code that is not in the enum, such as signing in (not recorded per company)', async () => {
    for (const action of ['drop table', 'LOGIN']) {
      const res = await t.gql(ACTIONS, { c: company.gid, action });
      expect(res.data?.company ?? null).toBeNull();
      expect(res.errors?.length).toBeGreaterThan(0);
    }
  });

  it('names the service and the forwarding condition in the reader’s language, and gives the reason of a failure', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542006'`);
    await t.db.dataSource.query(
      `INSERT INTO cabinet.action_log (company_id, number_id, action, details, status, actor_name, actor_phone, administrator_id) VALUES
       ($1, $2, 'CONNECT_SERVICE', '{"msisdn": "77010542006", "service": "INTERNET_1", "error": "INSUFFICIENT_FUNDS"}', 'FAILURE', 'Сидоров Пётр', $3, $4),
       ($1, $2, 'SET_CALL_FORWARDING', '{"msisdn": "77010542006", "condition": "NO_ANSWER", "target": "77010542003"}', 'SUCCESS', 'Сидоров Пётр', $3, $4)`,
      [company.id, number.id, admin.phone, admin.id],
    );
    const [service] = await t.db.dataSource.query(`SELECT name FROM billing.services WHERE code = 'INTERNET_1'`);
    const connect = await list({ msisdn: '77010542006', action: 'CONNECT_SERVICE', status: 'FAILURE' });
    expect(connect[0]).toMatchObject({
      description: `Connect service “${service.name.en}” on number 77010542006`,
      failureReason: 'Not enough money on the balance for the service’s monthly fee.',
    });
    const forwarding = await list({ msisdn: '77010542006', action: 'SET_CALL_FORWARDING' });
    expect(forwarding[0].description).toBe('Call forwarding from number 77010542006 to 77010542003, when there is no answer');
    expect(forwarding[0].failureReason).toBeNull();
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'ru' WHERE id = $1`, [admin.id]);
    t.afterSessionCache();
    const ru = await t.request(ACTIONS, { c: company.gid, msisdn: '77010542006', action: 'CONNECT_SERVICE', status: 'FAILURE' }, { cookie: admin.cookie });
    await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'en' WHERE id = $1`, [admin.id]);
    t.afterSessionCache();
    expect(ru.data!.company.actions.edges[0].node.description).toBe(`Подключение услуги «${service.name.ru}» на номере 77010542006`);
    expect(ru.data!.company.actions.edges[0].node.failureReason).toBe('На балансе недостаточно средств для абонентской платы за услугу.');
  });

  it('offers every administrator who has acted on the company, and only them', async () => {
    const other = await createAdministrator(t.db, { companyIds: [company.id], name: 'Ахметова Алия' });
    const silent = await createAdministrator(t.db, { companyIds: [company.id], name: 'Жанов Ерлан' });
    await t.db.dataSource.query(
      `INSERT INTO cabinet.action_log (company_id, action, details, status, actor_name, actor_phone, administrator_id)
       VALUES ($1, 'REQUEST_NUMBERS_REPORT', '{"email": "a@example.kz"}', 'SUCCESS', 'Ахметова Алия', $2, $3)`,
      [company.id, other.phone, other.id],
    );
    const res = await t.gql(`query($c: ID!) { company(id: $c) { actionAdministrators { administratorId name phone } } }`, { c: company.gid });
    expect(res.errors).toBeUndefined();
    const listed = res.data!.company.actionAdministrators as { administratorId: string; name: string; phone: string }[];
    expect(listed).toContainEqual({ administratorId: toGlobalId('Administrator', other.id), name: 'Ахметова Алия', phone: other.phone });
    expect(listed).toContainEqual({ administratorId: toGlobalId('Administrator', admin.id), name: 'Сидоров Пётр', phone: admin.phone });
    expect(listed.map((a) => a.administratorId)).not.toContain(toGlobalId('Administrator', silent.id));
    const theirs = await list({ administratorId: toGlobalId('Administrator', other.id) });
    expect(theirs.map((e) => e.action)).toEqual(['REQUEST_NUMBERS_REPORT']);
  });

  it('does not show another company’s history', async () => {
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE id <> $1 ORDER BY id LIMIT 1`, [company.id]);
    const res = await t.request(ACTIONS, { c: toGlobalId('Company', branch.id) }, { cookie: admin.cookie });
    expect(res.data?.company ?? null).toBeNull();
    expect(res.errors![0].extensions?.code).toBe('NOT_FOUND');
  });
});
