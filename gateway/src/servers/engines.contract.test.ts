import { createTestDatabase, type TestDatabase } from '../test/database';
import { seedDemo } from '../db/seed/seed';
import { startTestApp, type TestApp } from '../test/app';

/** Requests whose answers must be the same, byte for byte, from both engines. */
const CASES: { name: string; query: string; variables?: Record<string, unknown>; method?: 'GET' | 'POST' }[] = [
  { name: 'companies', query: '{ companies { id bin name parent { name } branches { name } } }' },
  {
    name: 'numbers page',
    query:
      'query($c: ID!) { numbers(companyId: $c, first: 3) { edges { cursor node { msisdn state balance tariff { name } } } pageInfo { hasNextPage endCursor } } }',
    variables: { c: 'COMPANY' },
  },
  {
    name: 'numbers page over GET',
    method: 'GET',
    query: 'query($c: ID!) { numbers(companyId: $c, first: 2) { edges { node { msisdn } } } }',
    variables: { c: 'COMPANY' },
  },
  { name: 'syntax error', query: '{ companies { id ' },
  { name: 'unknown field', query: '{ companies { nope } }' },
  { name: 'variable of the wrong type', query: 'query($n: Int) { numbers(companyId: "x", first: $n) { edges { cursor } } }', variables: { n: 'ten' } },
  { name: 'bad argument', query: '{ numbers(companyId: "bad") { edges { cursor } } }' },
  { name: 'not found', query: '{ company(id: "Q29tcGFueTo5OTk5OTk") { name } }' },
  { name: 'partial data with an error', query: '{ companies { name } company(id: "x") { name } }' },
];

describe('both engines', () => {
  let db: TestDatabase;
  let mercurius: TestApp;
  let apollo: TestApp;
  let company: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    mercurius = await startTestApp('mercurius', { db });
    apollo = await startTestApp('apollo', { db });
    company = (await mercurius.gql('{ companies { id } }')).data!.companies[0].id;
  });
  afterAll(async () => {
    await mercurius.close();
    await apollo.close();
    await db.drop();
  });

  const send = async (t: TestApp, c: (typeof CASES)[number]) => {
    const variables = c.variables && JSON.parse(JSON.stringify(c.variables).replace('"COMPANY"', JSON.stringify(company)));
    const response =
      c.method === 'GET'
        ? await t.app.inject({
            method: 'GET',
            url: '/graphql',
            headers: { cookie: t.adminCookie, 'apollo-require-preflight': 'true' },
            query: { query: c.query, variables: JSON.stringify(variables) },
          })
        : await t.app.inject({
            method: 'POST',
            url: '/graphql',
            headers: { 'content-type': 'application/json', cookie: t.adminCookie },
            payload: { query: c.query, variables },
          });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.json() };
  };

  it.each(CASES.map((c) => [c.name, c] as const))('answer %s identically', async (_name, c) => {
    const [m, a] = [await send(mercurius, c), await send(apollo, c)];
    expect(a.status).toBe(m.status);
    expect(a.body).toEqual(m.body);
    // mercurius compiles a query the second time it sees it (graphql-jit): the compiled answer is the same.
    const compiled = await send(mercurius, c);
    expect(compiled.status).toBe(m.status);
    expect(compiled.body).toEqual(m.body);
    expect(String(m.type)).toMatch(/^application\/(graphql-response\+)?json/);
    expect(String(a.type)).toMatch(/^application\/(graphql-response\+)?json/);
  });

  it('use the GraphQL-over-HTTP status codes (application/json: a document that fails to parse or validate is 200)', async () => {
    const byName = Object.fromEntries(await Promise.all(CASES.map(async (c) => [c.name, (await send(mercurius, c)).status])));
    expect(byName).toMatchObject({
      companies: 200,
      'syntax error': 200,
      'unknown field': 200,
      'variable of the wrong type': 200,
      'bad argument': 200,
      'partial data with an error': 200,
    });
  });

  it('give request errors stable codes and never a stack trace', async () => {
    for (const t of [mercurius, apollo]) {
      const syntax = await send(
        t,
        CASES.find((c) => c.name === 'syntax error')!,
      );
      expect(syntax.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      const unknown = await send(
        t,
        CASES.find((c) => c.name === 'unknown field')!,
      );
      expect(unknown.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(unknown.body)).not.toMatch(/stacktrace|at .*\.js:\d+/);
    }
  });
});
