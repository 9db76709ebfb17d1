import { toGlobalId } from '../core/ids';
import { tokenHash } from '../core/token';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import type { TestDatabase } from '../test/database';
import { startReplicatedPair, type ReplicatedPair } from '../test/standby';
import { createDataSource } from './data-source';
import { seedBulk } from './seed/seed';

/**
 * DATABASE_READ_URL against a real streaming standby: queries read from it, a caller's own changes are read from the
 * primary until the standby has replayed them, a lagging or stopped standby sends reads to the primary.
 */
const PROFILE = `query Profile($id: ID!) { number(id: $id) { balance company { name shortName } } }`;
const SET_SHORT_NAME = `mutation Short($c: ID!, $s: String) { setCompanyShortName(companyId: $c, shortName: $s) { shortName } }`;
const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';
const ENDPOINTS = `query Endpoints($c: ID!) { webhookEndpoints(companyId: $c) { name } }`;
const CREATE_ENDPOINT = `mutation Hook($c: ID!, $n: String!) {
  createWebhookEndpoint(companyId: $c, input: { name: $n, url: "http://127.0.0.1:9/hook", eventTypes: [NUMBER_CHANGED] }) { endpoint { name } }
}`;

let pair: ReplicatedPair;
let db: TestDatabase;
let companyId: number;
let numberId: string;
let numberDbId: number;

beforeAll(async () => {
  pair = await startReplicatedPair();
  const dataSource = createDataSource(pair.url('primary'), 10, 'cabinet-test');
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  const { companyIds } = await dataSource.transaction((manager) => seedBulk(manager, { companies: 1, numbers: 100 }));
  companyId = companyIds[0];
  const [number] = await dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 1`, [companyId]);
  numberDbId = Number(number.id);
  numberId = toGlobalId('Number', numberDbId);
  db = { dataSource, url: pair.url('primary'), drop: () => dataSource.destroy() };
}, 60_000);

afterAll(async () => {
  if (db?.dataSource.isInitialized) await db.dataSource.destroy();
  await pair?.stop();
});

describe.each(ENGINES)('queries with a standby for reads (%s)', (engine) => {
  let t: TestApp;
  /** A session of another administrator of the company, which changes nothing. */
  let otherCookie: string;
  /** A partner's key of the company, allowed to change things. */
  let key: Record<string, string>;
  /** The number's balance in tiyn before the test changes it, and as the API shows an amount of tiyn. */
  let balance: number;
  const money = (tiyn: number) => (tiyn / 100).toFixed(2);

  const profile = async (cookie: string) => {
    const answer = await t.request(PROFILE, { id: numberId }, { cookie });
    expect(answer.errors).toBeUndefined();
    return { ...(answer.data!.number as { balance: string; company: { name: string; shortName: string | null } }), database: await databaseOf(t) };
  };
  /** The names of the company's webhook endpoints as `headers`' caller reads them, and where they were read. */
  const endpoints = async (headers: Record<string, string>) => {
    const answer = await t.request(ENDPOINTS, { c: toGlobalId('Company', companyId) }, headers);
    expect(answer.errors).toBeUndefined();
    return { names: (answer.data!.webhookEndpoints as { name: string }[]).map((e) => e.name), database: await databaseOf(t, 'Endpoints') };
  };
  const setBalance = async (value: number) => {
    await db.dataSource.query(`UPDATE billing.numbers SET balance = $2 WHERE id = $1`, [numberDbId, value]);
  };

  beforeAll(async () => {
    await pair.startStandby().catch(() => undefined);
    await pair.resumeReplay();
    t = await startTestApp(engine, {
      db,
      config: { databaseUrl: pair.url('primary'), databaseReadUrl: pair.url('standby'), databaseReadMaxLagSeconds: 60, webhookAllowLoopback: true },
    });
    const created = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "erp", scope: OPERATE) { secret } }', {
      c: toGlobalId('Company', companyId),
    });
    key = { authorization: `Bearer ${created.data!.createApiKey.secret}` };
    const other = await createAdministrator(db, { companyIds: [companyId] });
    otherCookie = sessionCookie((await t.request(LOGIN, { p: other.phone, w: TEST_PASSWORD })).headers);
    await t.gql(SET_SHORT_NAME, { c: toGlobalId('Company', companyId), s: null });
    // The other engine's run left its endpoint.
    await db.dataSource.query(`DELETE FROM cabinet.webhook_endpoints WHERE company_id = $1`, [companyId]);
    [{ balance }] = await db.dataSource.query(`SELECT balance::int AS balance FROM billing.numbers WHERE id = $1`, [numberDbId]);
    // Both sessions signed in (a change: their position is recorded); once the standby has replayed it, they read there.
    await pair.caughtUp();
    await until(async () => (await profile(t.adminCookie)).database === 'standby' && (await profile(otherCookie)).database === 'standby');
    await until(async () => (await endpoints(key)).database === 'standby');
  });

  afterAll(() => t?.close());

  it('reads from the standby: a change made on the primary while replay is paused is not seen', async () => {
    await pair.pauseReplay();
    await setBalance(balance + 1000);
    expect(await profile(t.adminCookie)).toMatchObject({ balance: money(balance), database: 'standby' });
    expect(await profile(otherCookie)).toMatchObject({ balance: money(balance), database: 'standby' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/cabinet_graphql_queries_total\{database="standby"\} [1-9]/);
    expect(metrics.body).toMatch(/cabinet_standby_serving 1/);
    // A key's queries too, although the guard charges its budget on the primary first.
    expect(await endpoints(key)).toEqual({ names: [], database: 'standby' });
  });

  it('reads a session’s own change from the primary until the standby has it; other sessions still read from the standby', async () => {
    const [{ before }] = await db.dataSource.query(`SELECT pg_current_wal_insert_lsn()::text AS before`);
    const changed = await t.gql(SET_SHORT_NAME, { c: toGlobalId('Company', companyId), s: 'Ours' });
    expect(changed.data?.setCompanyShortName).toEqual({ shortName: 'Ours' });
    // The session's row says where the primary's WAL stood after the change, so that any process can tell.
    const [session] = await db.dataSource.query(`SELECT write_lsn > $2::pg_lsn AS recorded FROM cabinet.sessions WHERE token_hash = $1`, [
      tokenHash(t.adminCookie.split('=')[1]),
      before,
    ]);
    expect(session).toEqual({ recorded: true });
    // Replay is still paused: the primary's values, the own short name among them.
    expect(await profile(t.adminCookie)).toMatchObject({ balance: money(balance + 1000), company: { shortName: 'Ours' }, database: 'primary' });
    expect(await profile(otherCookie)).toMatchObject({ balance: money(balance), company: { shortName: null }, database: 'standby' });
  });

  it('reads an API key’s own change from the primary until the standby has it', async () => {
    const made = await t.request(CREATE_ENDPOINT, { c: toGlobalId('Company', companyId), n: `ERP ${engine}` }, key);
    expect(made.errors).toBeUndefined();
    expect(await endpoints(key)).toEqual({ names: [`ERP ${engine}`], database: 'primary' });
    expect(await endpoints({ cookie: otherCookie })).toEqual({ names: [], database: 'standby' });
  });

  it('reads from the standby again once it has replayed past the session’s change', async () => {
    await pair.resumeReplay();
    await pair.caughtUp();
    await until(async () => (await profile(t.adminCookie)).database === 'standby');
    expect(await profile(t.adminCookie)).toMatchObject({ balance: money(balance + 1000), company: { shortName: 'Ours' }, database: 'standby' });
    expect(await profile(otherCookie)).toMatchObject({ balance: money(balance + 1000), database: 'standby' });
    await until(async () => (await endpoints(key)).database === 'standby');
    expect(await endpoints(key)).toEqual({ names: [`ERP ${engine}`], database: 'standby' });
  });

  it('reads from the primary while the standby is behind by more than DATABASE_READ_MAX_LAG_SECONDS', async () => {
    const strict = await startTestApp(engine, {
      db,
      config: { databaseUrl: pair.url('primary'), databaseReadUrl: pair.url('standby'), databaseReadMaxLagSeconds: 1 },
    });
    try {
      await pair.caughtUp();
      const read = async () => {
        const answer = await strict.request(PROFILE, { id: numberId }, { cookie: otherCookie });
        expect(answer.errors).toBeUndefined();
        return { balance: answer.data!.number.balance as string, database: await databaseOf(strict) };
      };
      await until(async () => (await read()).database === 'standby');
      await pair.pauseReplay();
      await setBalance(balance + 2000);
      expect(await read()).toEqual({ balance: money(balance + 1000), database: 'standby' });
      await until(async () => (await read()).database === 'primary', 5000);
      expect(await read()).toEqual({ balance: money(balance + 2000), database: 'primary' });
    } finally {
      await pair.resumeReplay();
      await strict.close();
    }
  });

  it('reads from the primary when DATABASE_READ_URL is no standby', async () => {
    const misnamed = await startTestApp(engine, {
      db,
      config: { databaseUrl: pair.url('primary'), databaseReadUrl: `${pair.url('primary')}?application_name=not-a-standby` },
    });
    try {
      const answer = await misnamed.request(PROFILE, { id: numberId }, { cookie: otherCookie });
      expect(answer.errors).toBeUndefined();
      expect(await databaseOf(misnamed)).toBe('primary');
    } finally {
      await misnamed.close();
    }
  });

  it('answers from the primary, without an error, once the standby is stopped', async () => {
    await pair.caughtUp();
    await until(async () => (await profile(otherCookie)).database === 'standby');
    await pair.stopStandby();
    // The first read may meet the pool's dropped connections: it is read again on the primary.
    for (const cookie of [otherCookie, t.adminCookie, otherCookie]) {
      expect(await profile(cookie)).toMatchObject({ balance: money(balance + 2000), database: 'primary' });
    }
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/cabinet_standby_serving 0/);
  });
});

/** Where the last query of the app read, from its request stats (taken once the answer is sent, so waited for). */
async function databaseOf(app: TestApp, operation = 'Profile'): Promise<string | undefined> {
  for (let i = 0; i < 100 && app.stats.at(-1)?.operation !== operation; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  const stats = app.stats.splice(0);
  return stats.at(-1)?.database;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
