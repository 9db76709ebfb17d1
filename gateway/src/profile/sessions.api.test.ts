import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';

const SESSIONS = '{ me { sessions { id createdAt lastSeenAt expiresAt clientAddress userAgent current } } }';
const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';

describe.each(ENGINES)('active sessions on %s', (engine) => {
  let t: TestApp;
  let companyIds: number[];

  beforeAll(async () => {
    t = await startTestApp(engine);
    companyIds = (await t.db.dataSource.query(`SELECT id FROM billing.companies ORDER BY id LIMIT 1`)).map((c: { id: number }) => c.id);
  });
  afterAll(() => t.close());

  /** Signs the same administrator in from several "browsers"; returns their cookies. */
  async function browsers(count: number): Promise<string[]> {
    const admin = await createAdministrator(t.db, { companyIds });
    const cookies: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD }, { 'user-agent': `Browser ${i}` });
      cookies.push(sessionCookie(res.headers));
    }
    return cookies;
  }

  it('lists the administrator’s live sessions with the current one marked', async () => {
    const [first, second] = await browsers(2);
    const res = await t.request(SESSIONS, {}, { cookie: second });
    expect(res.errors).toBeUndefined();
    const list = res.data!.me.sessions;
    expect(list).toHaveLength(2);
    expect(list.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.find((s: { current: boolean }) => s.current).userAgent).toBe('Browser 1');
    expect(list.map((s: { userAgent: string }) => s.userAgent).sort()).toEqual(['Browser 0', 'Browser 1']);
    expect(list[0].clientAddress).toBe('127.0.0.1');
    // Another administrator's sessions are not listed.
    const other = await t.request(SESSIONS, {}, { cookie: first });
    expect(other.data!.me.sessions.map((s: { id: string }) => s.id).sort()).toEqual(list.map((s: { id: string }) => s.id).sort());
    expect((await t.gql(SESSIONS)).data!.me.sessions.some((s: { id: string }) => list.some((mine: { id: string }) => mine.id === s.id))).toBe(false);
  });

  it('ends one other session, and refuses the current one and someone else’s', async () => {
    const [first, second] = await browsers(2);
    const list = (await t.request(SESSIONS, {}, { cookie: second })).data!.me.sessions;
    const firstId = list.find((s: { current: boolean }) => !s.current).id;
    const secondId = list.find((s: { current: boolean }) => s.current).id;

    const own = await t.request('mutation($s: ID!) { endSession(sessionId: $s) }', { s: secondId }, { cookie: second });
    expect(own.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'sessionId' });
    const foreign = await t.gql('mutation($s: ID!) { endSession(sessionId: $s) }', { s: firstId });
    expect(foreign.errors![0].extensions?.code).toBe('NOT_FOUND');
    expect((await t.request('{ me { id } }', {}, { cookie: first })).data!.me).not.toBeNull();

    const ended = await t.request('mutation($s: ID!) { endSession(sessionId: $s) }', { s: firstId }, { cookie: second });
    expect(ended.data).toEqual({ endSession: true });
    expect((await t.request('{ me { id } }', {}, { cookie: first })).data!.me).toBeNull();
    const again = await t.request('mutation($s: ID!) { endSession(sessionId: $s) }', { s: firstId }, { cookie: second });
    expect(again.errors![0].extensions?.code).toBe('NOT_FOUND');
    expect((await t.request(SESSIONS, {}, { cookie: second })).data!.me.sessions).toHaveLength(1);
  });

  it('signs out everywhere else and records it', async () => {
    const cookies = await browsers(3);
    const res = await t.request('mutation { endOtherSessions }', {}, { cookie: cookies[2] });
    expect(res.data).toEqual({ endOtherSessions: 2 });
    for (const cookie of cookies.slice(0, 2)) expect((await t.request('{ me { id } }', {}, { cookie })).data!.me).toBeNull();
    expect((await t.request('{ me { id } }', {}, { cookie: cookies[2] })).data!.me).not.toBeNull();
    const [entry] = await t.db.dataSource.query(`SELECT status, details FROM cabinet.action_log WHERE action = 'END_OTHER_SESSIONS' ORDER BY id DESC LIMIT 1`);
    expect(entry).toEqual({ status: 'SUCCESS', details: { count: '2' } });
    expect((await t.request('mutation { endOtherSessions }', {}, { cookie: cookies[2] })).data).toEqual({ endOtherSessions: 0 });
  });
});
