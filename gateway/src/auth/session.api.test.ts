import { RequestDb } from '../core/db';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { stillAuthenticated } from './authenticate';
import type { Principal } from '../core/principal';

/** What is done to a fresh session's row, and whether it is still live after. */
const SESSION_STATES: [string, string | null, boolean][] = [
  ['fresh', null, true],
  ['ended', `UPDATE cabinet.sessions SET revoked_at = now() WHERE id = $1`, false],
  ['past its absolute expiry', `UPDATE cabinet.sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, false],
  ['idle longer than the timeout', `UPDATE cabinet.sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = $1`, false],
];

describe.each(ENGINES)('the one rule of a live credential on %s', (engine) => {
  let t: TestApp;
  let companyId: number;
  beforeAll(async () => {
    t = await startTestApp(engine);
    [{ id: companyId }] = await t.db.dataSource.query(`SELECT id FROM billing.companies ORDER BY id LIMIT 1`);
  });
  afterAll(() => t.close());

  const signedInOverHttp = async (headers: Record<string, string>): Promise<boolean> => {
    const res = await t.request('{ companies { id } }', {}, headers);
    return !(res.errors ?? []).some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  };

  it('is the same for HTTP requests and for the open sockets’ recheck, in one statement for all of them', async () => {
    const cases: { name: string; principal: Principal; headers: Record<string, string>; live: boolean }[] = [];
    for (const [name, change, live] of SESSION_STATES) {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
      const [{ id: sessionId }] = await t.db.dataSource.query(`SELECT id::text FROM cabinet.sessions WHERE administrator_id = $1`, [admin.id]);
      if (change) await t.db.dataSource.query(change, [sessionId]);
      const principal: Principal = {
        kind: 'administrator',
        administratorId: admin.id,
        sessionId,
        name: 'x',
        phone: admin.phone,
        language: 'en',
        companyIds: new Set(),
      };
      cases.push({ name: `session ${name}`, principal, headers: { cookie: sessionCookie(login.headers) }, live });
    }
    const [company] = (await t.gql('{ companies { id } }')).data!.companies;
    for (const [name, revoked] of [
      ['key in use', false],
      ['key revoked', true],
    ] as const) {
      const created = await t.gql('mutation($c: ID!, $n: String!) { createApiKey(companyId: $c, name: $n, scope: READ) { secret } }', {
        c: company.id,
        n: name,
      });
      const [{ id: apiKeyId }] = await t.db.dataSource.query(`SELECT id FROM cabinet.api_keys WHERE name = $1`, [name]);
      if (revoked) await t.db.dataSource.query(`UPDATE cabinet.api_keys SET revoked_at = now() WHERE id = $1`, [apiKeyId]);
      const principal: Principal = { kind: 'apiKey', apiKeyId, name, scope: 'READ', companyIds: new Set() };
      cases.push({ name, principal, headers: { authorization: `Bearer ${created.data!.createApiKey.secret}` }, live: !revoked });
    }

    const db = new RequestDb(t.db.dataSource);
    const isLive = await stillAuthenticated(db, [...cases.map((c) => c.principal), { kind: 'anonymous' }]);
    expect(db.statements).toBe(1);
    const seen = [];
    for (const c of cases) seen.push({ name: c.name, http: await signedInOverHttp(c.headers), recheck: isLive(c.principal) });
    expect(seen).toEqual(cases.map((c) => ({ name: c.name, http: c.live, recheck: c.live })));
    expect(isLive({ kind: 'anonymous' })).toBe(false);
  });
});
