import { RequestDb } from '../core/db';
import { SESSION_CACHE_SECONDS } from '../core/session-cache';
import { operatorService } from '../operator/operator.service';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { seedDemo } from '../db/seed/seed';

const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';
const COMPANIES = '{ companies { id } }';
/** A change reaches every process this fast, far inside the cache's own lifetime. */
const AT_ONCE_MS = (SESSION_CACHE_SECONDS * 1000) / 4;

describe.each(ENGINES)('sessions kept in memory between lookups on %s', (engine) => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let companies: { id: number; bin: string }[];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    // Two gateway processes on one database, each with its own cache and its own events connection.
    a = await startTestApp(engine, { db });
    b = await startTestApp(engine, { db });
    companies = await db.dataSource.query(`SELECT id, bin FROM billing.companies ORDER BY id LIMIT 2`);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const signIn = async (companyIds: number[]) => {
    const admin = await createAdministrator(db, { companyIds });
    const login = await a.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
    return { ...admin, cookie: sessionCookie(login.headers) };
  };
  /** The companies the session sees on a process, or its refusal's code. */
  const seen = async (app: TestApp, cookie: string): Promise<string> => {
    const res = await app.request(COMPANIES, {}, { cookie });
    if (res.errors) return res.errors.map((e) => e.extensions?.code).join();
    return (res.data!.companies as { id: string }[]).length.toString();
  };
  /** How long until `check` holds, polled; throws past the cache's lifetime (then only the expiry would have told). */
  const within = async (check: () => Promise<boolean>): Promise<number> => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > SESSION_CACHE_SECONDS * 1000) throw new Error('only the cache’s expiry told this process');
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - started;
  };

  it('reads a session once, then answers its requests without a statement of their own', async () => {
    const { cookie } = await signIn([companies[0].id]);
    const statements: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await seen(b, cookie)).toBe('1');
      statements.push(b.stats.at(-1)!.sqlStatements);
    }
    expect(statements[1]).toBe(statements[0] - 1);
    expect(statements[2]).toBe(statements[1]);
  });

  it('refuses a session signed out on another process at once', async () => {
    const { cookie } = await signIn([companies[0].id]);
    expect(await seen(b, cookie)).toBe('1');
    expect(await seen(b, cookie)).toBe('1');
    const out = await a.request('mutation { logout }', {}, { cookie });
    expect(out.errors).toBeUndefined();
    expect(await within(async () => (await seen(b, cookie)) === 'UNAUTHENTICATED')).toBeLessThan(AT_ONCE_MS);
  });

  it('follows a company revoked and granted again by the operator on every process at once', async () => {
    const admin = await signIn(companies.map((c) => c.id));
    expect(await seen(b, admin.cookie)).toBe('2');
    const operator = new RequestDb(db.dataSource);
    await operatorService.revoke(operator, admin.phone, companies[1].bin);
    expect(await within(async () => (await seen(b, admin.cookie)) === '1')).toBeLessThan(AT_ONCE_MS);
    await operatorService.grant(operator, admin.phone, companies[1].bin);
    expect(await within(async () => (await seen(b, admin.cookie)) === '2')).toBeLessThan(AT_ONCE_MS);
  });

  it('speaks the language an administrator picked on another process at once', async () => {
    const { cookie } = await signIn([companies[0].id]);
    const company = (await b.request(COMPANIES, {}, { cookie })).data!.companies[0].id;
    const tariffNames = async () =>
      JSON.stringify(
        (await b.request('query($c: ID!) { numbers(companyId: $c, first: 5) { edges { node { tariff { name } } } } }', { c: company }, { cookie })).data,
      );
    const english = await tariffNames();
    expect(english).not.toMatch(/[а-яё]/i);
    const set = await a.request('mutation { setLanguage(language: RU) { language } }', {}, { cookie });
    expect(set.errors).toBeUndefined();
    expect(await within(async () => /[а-яё]/i.test(await tariffNames()))).toBeLessThan(AT_ONCE_MS);
  });

  it('never answers for a session past its absolute expiry', async () => {
    const admin = await signIn([companies[0].id]);
    await db.dataSource.query(`UPDATE cabinet.sessions SET expires_at = now() + interval '1500 milliseconds' WHERE administrator_id = $1`, [admin.id]);
    expect(await seen(b, admin.cookie)).toBe('1');
    const [{ left }] = await db.dataSource.query(
      `SELECT extract(epoch FROM expires_at - now())::float8 * 1000 AS left FROM cabinet.sessions WHERE administrator_id = $1`,
      [admin.id],
    );
    await new Promise((r) => setTimeout(r, left + 50));
    expect(await seen(b, admin.cookie)).toBe('UNAUTHENTICATED');
  });
});
