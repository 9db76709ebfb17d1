import { toGlobalId } from '../core/ids';
import { ENGINES, startTestApp, type TestApp } from '../test/app';
import { API_KEY_BUDGET } from './api-key.service';

const NUMBERS = 'query($c: ID!, $n: Int) { numbers(companyId: $c, first: $n) { edges { node { msisdn tariff { name } } } } }';

describe.each(ENGINES)('partner keys, limits and CSRF on %s', (engine) => {
  let t: TestApp;
  let company: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    company = toGlobalId('Company', row.id);
  });
  afterAll(() => t.close());

  const newKey = async (scope = 'READ') => {
    const res = await t.gql(
      'mutation($c: ID!, $s: ApiKeyScope!) { createApiKey(companyId: $c, name: "ERP sync", scope: $s) { apiKey { id name scope prefix revokedAt } secret } }',
      { c: company, s: scope },
    );
    return res.data!.createApiKey as { apiKey: { id: string; prefix: string; revokedAt: string | null }; secret: string };
  };
  const asKey = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it('shows the secret once, stores only its hash, and lists the key without it', async () => {
    const { apiKey, secret } = await newKey();
    expect(secret).toMatch(new RegExp(`^cab_${apiKey.prefix}_[A-Za-z0-9_-]{43}$`));
    const list = await t.gql('query($c: ID!) { apiKeys(companyId: $c) { id prefix } }', { c: company });
    expect(list.data!.apiKeys).toContainEqual({ id: apiKey.id, prefix: apiKey.prefix });
    expect(JSON.stringify(list)).not.toContain(secret);
    const stored = await t.db.dataSource.query(`SELECT encode(secret_hash, 'hex') AS hash FROM cabinet.api_keys`);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('answers a partner with its cost and remaining budget', async () => {
    const { secret } = await newKey();
    const res = await t.request(NUMBERS, { c: company, n: 10 }, asKey(secret));
    expect(res.errors).toBeUndefined();
    expect(res.extensions!.cost).toEqual({ requested: 22, remaining: API_KEY_BUDGET.points - 22, limit: API_KEY_BUDGET.points });
    const admin = await t.gql(NUMBERS, { c: company, n: 10 });
    expect(admin.extensions?.cost).toBeUndefined();
  });

  it('refuses a revoked key on its next request', async () => {
    const { apiKey, secret } = await newKey();
    expect((await t.request('{ companies { id } }', {}, asKey(secret))).errors).toBeUndefined();
    await t.gql('mutation($k: ID!) { revokeApiKey(id: $k) { revokedAt } }', { k: apiKey.id });
    const refused = await t.request('{ companies { id } }', {}, asKey(secret));
    expect(refused.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('charges the budget down to exactly zero and refuses one point more, before executing', async () => {
    const { apiKey, secret } = await newKey();
    const id = Number(Buffer.from(apiKey.id, 'base64url').toString().split(':')[1]);
    await t.db.dataSource.query(`UPDATE cabinet.api_keys SET budget = 22, budget_updated_at = now() WHERE id = $1`, [id]);
    const exact = await t.request(NUMBERS, { c: company, n: 10 }, asKey(secret));
    expect(exact.extensions!.cost.remaining).toBe(0);
    const over = await t.request(NUMBERS, { c: company, n: 10 }, asKey(secret));
    expect(over.status).toBe(429);
    expect(over.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(over.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(over.data).toBeUndefined();
  });

  it('answers a partner query costing exactly the cap and refuses one costing a point more', async () => {
    const { secret } = await newKey();
    // 1 + 1 (numbers) + 49 × (node + usage + 100 usage nodes) = 5000
    const atCap = 'query($c: ID!) { numbers(companyId: $c, first: 49) { edges { node { usage(first: 100) { edges { node { cost } } } } } } }';
    const at = await t.request(atCap, { c: company }, asKey(secret));
    expect(at.errors).toBeUndefined();
    expect(at.extensions!.cost.requested).toBe(5000);
    const over = await t.request(atCap.replace('query($c: ID!) {', 'query($c: ID!) { me { id }'), { c: company }, asKey(secret));
    expect(over.status).toBe(400);
    expect(over.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 5001 });
  });

  describe('pricing a query without running it', () => {
    const PRICE =
      'query($q: String, $v: JSONObject, $o: String) { rateLimit(query: $q, variables: $v, operationName: $o) { cost depth refusal maxQueryCost limit remaining resetAt } }';

    it('tells a key what a query would cost and what is left, charging only its own 2 points', async () => {
      const { secret } = await newKey();
      const priced = await t.request(PRICE, { q: NUMBERS, v: { c: company, n: 10 } }, asKey(secret));
      expect(priced.errors).toBeUndefined();
      // The same figure the query itself is charged (answered with its cost above: 22 for 10 numbers).
      expect(priced.data!.rateLimit).toMatchObject({ cost: 22, depth: 5, refusal: null, maxQueryCost: 5000, limit: API_KEY_BUDGET.points });
      expect(priced.extensions!.cost.requested).toBe(2);
      expect(priced.data!.rateLimit.remaining).toBe(API_KEY_BUDGET.points - 2);
      const run = await t.request(NUMBERS, { c: company, n: 10 }, asKey(secret));
      expect(run.extensions!.cost.requested).toBe(priced.data!.rateLimit.cost);
      expect(run.extensions!.cost.remaining).toBe(API_KEY_BUDGET.points - 2 - 22);
    });

    it('says when the budget is full again, and that a query over what is left would be refused', async () => {
      const { apiKey, secret } = await newKey();
      const id = Number(Buffer.from(apiKey.id, 'base64url').toString().split(':')[1]);
      await t.db.dataSource.query(`UPDATE cabinet.api_keys SET budget = 12, budget_updated_at = now() WHERE id = $1`, [id]);
      const before = Date.now();
      const priced = await t.request(PRICE, { q: NUMBERS, v: { c: company, n: 10 } }, asKey(secret));
      const rate = priced.data!.rateLimit;
      expect(rate).toMatchObject({ cost: 22, refusal: 'RATE_LIMITED', remaining: 10 });
      // 4,990 points at 5,000 an hour.
      const fullIn = new Date(rate.resetAt).getTime() - before;
      expect(fullIn).toBeGreaterThan(((API_KEY_BUDGET.points - 12) / API_KEY_BUDGET.points) * API_KEY_BUDGET.refillSeconds * 1000 - 5000);
      expect(fullIn).toBeLessThanOrEqual(((API_KEY_BUDGET.points - 10) / API_KEY_BUDGET.points) * API_KEY_BUDGET.refillSeconds * 1000 + 2000);
      const run = await t.request(NUMBERS, { c: company, n: 10 }, asKey(secret));
      expect(run.errors![0].extensions?.code).toBe('RATE_LIMITED');
    });

    it('prices a query over a per-query limit as refused, for a session too, which has no budget', async () => {
      const overCap = 'query($c: ID!) { me { id } numbers(companyId: $c, first: 49) { edges { node { usage(first: 100) { edges { node { cost } } } } } } }';
      const priced = await t.gql(PRICE, { q: overCap, v: { c: company } });
      expect(priced.errors).toBeUndefined();
      expect(priced.data!.rateLimit).toEqual({
        cost: 5001,
        depth: 7,
        refusal: 'QUERY_TOO_COMPLEX',
        maxQueryCost: 5000,
        limit: null,
        remaining: null,
        resetAt: null,
      });
      expect((await t.gql(PRICE, {})).data!.rateLimit).toMatchObject({ cost: null, refusal: null, limit: null });
    });

    it('refuses a document that does not parse or validate, or names no operation of it, as BAD_USER_INPUT; and anonymous callers', async () => {
      for (const [variables, field] of [
        [{ q: '{ numbers(' }, 'query'],
        [{ q: '{ noSuchField }' }, 'query'],
        [{ q: 'query A { me { id } } query B { me { id } }' }, 'operationName'],
        [{ q: 'query A { me { id } }', o: 'C' }, 'operationName'],
      ] as const) {
        const refused = await t.gql(PRICE, variables);
        expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      const named = await t.gql(PRICE, { q: 'query A { me { id } } query B { companies { id } }', o: 'B' });
      expect(named.data!.rateLimit.cost).toBe(2);
      expect((await t.request(PRICE, { q: '{ me { id } }' })).errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  it('limits aliases and depth for everyone', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect((await t.gql(aliases(30))).errors).toBeUndefined();
    const over = await t.gql(aliases(31));
    expect(over.errors![0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const nest = (depth: number) => {
      let q = 'id';
      for (let i = 0; i < depth - 2; i++) q = `parent { ${q} }`;
      return `{ companies { ${q} } }`;
    };
    expect((await t.gql(nest(12))).errors).toBeUndefined();
    expect((await t.gql(nest(13))).errors![0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('lets only authenticated callers introspect', async () => {
    const query = '{ __schema { queryType { name } } }';
    const anonymous = await t.request(query);
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(query)).data!.__schema.queryType.name).toBe('Query');
    expect((await t.request('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  describe('CSRF', () => {
    it('refuses a POST that is not JSON', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'text/plain', cookie: t.adminCookie },
        payload: '{"query":"{ me { id } }"}',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].extensions.code).toBe('CSRF_REJECTED');
      const form = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: t.adminCookie },
        payload: 'query=%7B%20me%20%7B%20id%20%7D%20%7D',
      });
      expect(form.statusCode).toBe(400);
    });

    it('refuses a GET without a preflight header and answers one with it', async () => {
      const url = `/graphql?query=${encodeURIComponent('{ me { phone } }')}`;
      const bare = await t.app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie } });
      expect(bare.statusCode).toBe(400);
      expect(bare.json().errors[0].extensions.code).toBe('CSRF_REJECTED');
      const ok = await t.app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie, 'apollo-require-preflight': 'true' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().data.me.phone).toMatch(/^7\d{10}$/);
    });

    it('refuses a mutation over GET', async () => {
      const url = `/graphql?query=${encodeURIComponent('mutation { setLanguage(language: RU) { language } }')}`;
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: t.adminCookie, 'apollo-require-preflight': 'true' } });
      expect(res.statusCode).toBe(405);
      const me = await t.gql('{ me { language } }');
      expect(me.data!.me.language).not.toBe('RU');
    });
  });
});
