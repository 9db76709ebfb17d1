import { toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../test/app';

type Who = 'anonymous' | 'adminA' | 'adminB' | 'keyRead' | 'keyOperate';
const WHO: Who[] = ['anonymous', 'adminA', 'adminB', 'keyRead', 'keyOperate'];
type Outcome = 'ok' | 'null' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN';

interface Case {
  name: string;
  query: string;
  variables: (ids: Ids) => Record<string, unknown>;
  expect: Record<Who, Outcome>;
}

interface Ids {
  companyA: string;
  companyB: string;
  numberA: string;
  victimKey: string;
}

const READ_A: Record<Who, Outcome> = { anonymous: 'UNAUTHENTICATED', adminA: 'ok', adminB: 'NOT_FOUND', keyRead: 'ok', keyOperate: 'ok' };
const ADMIN_OF_A: Record<Who, Outcome> = { anonymous: 'UNAUTHENTICATED', adminA: 'ok', adminB: 'NOT_FOUND', keyRead: 'FORBIDDEN', keyOperate: 'FORBIDDEN' };
const OPERATE_A: Record<Who, Outcome> = { anonymous: 'UNAUTHENTICATED', adminA: 'ok', adminB: 'NOT_FOUND', keyRead: 'FORBIDDEN', keyOperate: 'ok' };
const ANY_ADMIN: Record<Who, Outcome> = { anonymous: 'UNAUTHENTICATED', adminA: 'ok', adminB: 'ok', keyRead: 'FORBIDDEN', keyOperate: 'FORBIDDEN' };

let registrations = 0;
const CASES: Case[] = [
  { name: 'companies', query: '{ companies { id } }', variables: () => ({}), expect: { ...READ_A, adminB: 'ok' } },
  { name: 'company', query: 'query($c: ID!) { company(id: $c) { id name } }', variables: (i) => ({ c: i.companyA }), expect: READ_A },
  {
    name: 'company accounts and actions',
    query: 'query($c: ID!) { company(id: $c) { accounts(first: 2) { edges { node { accountNo } } } actions(first: 2) { edges { node { action } } } } }',
    variables: (i) => ({ c: i.companyA }),
    expect: READ_A,
  },
  {
    name: 'numbers',
    query: 'query($c: ID!) { numbers(companyId: $c, first: 2) { edges { node { msisdn } } } }',
    variables: (i) => ({ c: i.companyA }),
    expect: READ_A,
  },
  {
    name: 'number profile',
    query: 'query($n: ID!) { number(id: $n) { msisdn simCard { iccid } payments(first: 1) { edges { cursor } } usage(first: 1) { edges { cursor } } } }',
    variables: (i) => ({ n: i.numberA }),
    expect: READ_A,
  },
  {
    name: 'revealSimCodes',
    query: 'mutation($n: ID!) { revealSimCodes(numberId: $n) { puk1 } }',
    variables: (i) => ({ n: i.numberA }),
    expect: { ...READ_A, keyRead: 'FORBIDDEN' },
  },
  {
    name: 'me sessions',
    query: '{ me { sessions { id current } } }',
    variables: () => ({}),
    expect: { anonymous: 'null', adminA: 'ok', adminB: 'ok', keyRead: 'null', keyOperate: 'null' },
  },
  { name: 'endOtherSessions', query: 'mutation { endOtherSessions }', variables: () => ({}), expect: ANY_ADMIN },
  { name: 'me', query: '{ me { id } }', variables: () => ({}), expect: { anonymous: 'null', adminA: 'ok', adminB: 'ok', keyRead: 'null', keyOperate: 'null' } },
  { name: 'apiKeys', query: 'query($c: ID!) { apiKeys(companyId: $c) { id } }', variables: (i) => ({ c: i.companyA }), expect: ADMIN_OF_A },
  {
    name: 'setCompanyShortName',
    query: 'mutation($c: ID!) { setCompanyShortName(companyId: $c, shortName: "Head office") { id } }',
    variables: (i) => ({ c: i.companyA }),
    expect: ADMIN_OF_A,
  },
  {
    name: 'createApiKey',
    query: 'mutation($c: ID!) { createApiKey(companyId: $c, name: "matrix", scope: READ) { secret } }',
    variables: (i) => ({ c: i.companyA }),
    expect: ADMIN_OF_A,
  },
  { name: 'revokeApiKey', query: 'mutation($k: ID!) { revokeApiKey(id: $k) { id } }', variables: (i) => ({ k: i.victimKey }), expect: ADMIN_OF_A },
  {
    name: 'createSandboxKey',
    query: 'mutation($c: ID!) { createSandboxKey(companyId: $c, name: "matrix", scope: READ) { secret } }',
    variables: (i) => ({ c: i.companyA }),
    expect: ADMIN_OF_A,
  },
  { name: 'sandboxes', query: 'query($c: ID!) { sandboxes(companyId: $c) { name } }', variables: (i) => ({ c: i.companyA }), expect: ADMIN_OF_A },
  {
    name: 'webhookEndpoints',
    query: 'query($c: ID!) { webhookEndpoints(companyId: $c) { id deliveries(first: 1) { edges { cursor } } } }',
    variables: (i) => ({ c: i.companyA }),
    expect: READ_A,
  },
  {
    name: 'createWebhookEndpoint',
    query:
      'mutation($c: ID!) { createWebhookEndpoint(companyId: $c, input: { name: "matrix", url: "https://8.8.8.8/hook", eventTypes: [NUMBER_CHANGED] }) { secret } }',
    variables: (i) => ({ c: i.companyA }),
    expect: OPERATE_A,
  },
  {
    name: 'createBulkUpload',
    query: 'mutation($c: ID!) { createBulkUpload(companyId: $c) { url } }',
    variables: (i) => ({ c: i.companyA }),
    expect: OPERATE_A,
  },
  { name: 'setLanguage', query: 'mutation { setLanguage(language: EN) { language } }', variables: () => ({}), expect: ANY_ADMIN },
  {
    name: 'requestRegistration',
    query: 'mutation($p: String!) { requestRegistration(input: { bin: "750750750759", name: "Matrix", phone: $p, email: "m@example.kz" }) { status } }',
    // A different phone each time: an identical request while one is waiting is refused.
    variables: () => ({ p: `7705${String(++registrations).padStart(7, '0')}` }),
    expect: { anonymous: 'ok', adminA: 'ok', adminB: 'ok', keyRead: 'ok', keyOperate: 'ok' },
  },
  {
    name: 'changeEmail',
    query: `mutation { changeEmail(currentPassword: "${TEST_PASSWORD}", email: "new@example.kz") { email } }`,
    variables: () => ({}),
    expect: ANY_ADMIN,
  },
  // Last: it ends the sessions the cases above use.
  { name: 'logout', query: 'mutation { logout }', variables: () => ({}), expect: ANY_ADMIN },
];

function outcome(res: GraphQLResponse): Outcome {
  if (res.errors?.length) return res.errors[0].extensions?.code as Outcome;
  const value = Object.values(res.data ?? {})[0];
  return value === null ? 'null' : 'ok';
}

describe.each(ENGINES)('authorization matrix on %s', (engine) => {
  let t: TestApp;
  let ids: Ids;
  const headers = {} as Record<Who, Record<string, string>>;

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [a] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    const [b] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE parent_id IS NULL AND id <> $1 ORDER BY id LIMIT 1`, [a.id]);
    const [n] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542006'`);
    const login = async (companyId: number) => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const res = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
      return { cookie: sessionCookie(res.headers) };
    };
    headers.anonymous = {};
    headers.adminA = await login(a.id);
    headers.adminB = await login(b.id);
    const key = async (scope: string) => {
      const res = await t.request(
        'mutation($c: ID!, $s: ApiKeyScope!) { createApiKey(companyId: $c, name: "partner", scope: $s) { apiKey { id } secret } }',
        { c: toGlobalId('Company', a.id), s: scope },
        headers.adminA,
      );
      return res.data!.createApiKey;
    };
    headers.keyRead = { authorization: `Bearer ${(await key('READ')).secret}` };
    headers.keyOperate = { authorization: `Bearer ${(await key('OPERATE')).secret}` };
    ids = { companyA: toGlobalId('Company', a.id), companyB: toGlobalId('Company', b.id), numberA: toGlobalId('Number', n.id), victimKey: '' };
  });
  afterAll(() => t.close());

  it('lets no principal see another company through the companies list', async () => {
    for (const who of ['adminB', 'keyRead'] as const) {
      const res = await t.request('{ companies { id branches { id } parent { id } } }', {}, headers[who]);
      const seen = JSON.stringify(res.data);
      expect(seen.includes(ids.companyA)).toBe(who === 'keyRead');
      expect(seen.includes(ids.companyB)).toBe(who === 'adminB');
    }
  });

  it('hides the branch from an administrator of the head company only', async () => {
    const res = await t.request('query($c: ID!) { company(id: $c) { branches { id } } }', { c: ids.companyA }, headers.adminA);
    expect(res.data!.company.branches).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s answers each principal as expected', async (_name, c) => {
    const actual = {} as Record<Who, Outcome>;
    for (const who of WHO) {
      if (c.name === 'revokeApiKey') {
        const victim = await t.request(
          'mutation($c: ID!) { createApiKey(companyId: $c, name: "victim", scope: READ) { apiKey { id } } }',
          { c: ids.companyA },
          headers.adminA,
        );
        ids.victimKey = victim.data!.createApiKey.apiKey.id;
      }
      actual[who] = outcome(await t.request(c.query, c.variables(ids), headers[who]));
    }
    expect(actual).toEqual(c.expect);
  });
});
