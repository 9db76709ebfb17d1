import { ErrorCode, httpStatusOf } from '../graphql/errors';
import { ENGINES, startTestApp, type TestApp } from '../test/app';

interface Answer {
  status: number;
  code: unknown;
}

describe.each(ENGINES)('HTTP status of a refused request on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { seed: false });
  });
  afterAll(() => t.close());

  const post = async (query: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query } });
    return { status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code };
  };
  const registered = (code: ErrorCode): Answer => ({ status: httpStatusOf(code), code });

  it('refuses introspection without credentials with the status registered for UNAUTHENTICATED', async () => {
    expect(await post('{ __schema { queryType { name } } }')).toEqual(registered(ErrorCode.UNAUTHENTICATED));
  });

  it('refuses a document over the alias limit with the status registered for QUERY_TOO_COMPLEX', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(await post(`{ ${aliases} }`, { cookie: t.adminCookie })).toEqual(registered(ErrorCode.QUERY_TOO_COMPLEX));
  });

  it('refuses a document that does not parse with the status registered for GRAPHQL_PARSE_FAILED', async () => {
    expect(await post('{ companies { id ', { cookie: t.adminCookie, accept: 'application/graphql-response+json' })).toEqual(
      registered(ErrorCode.GRAPHQL_PARSE_FAILED),
    );
  });

  it('refuses a mutation over GET with the status registered for METHOD_NOT_ALLOWED', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/graphql',
      headers: { cookie: t.adminCookie, 'apollo-require-preflight': 'true' },
      query: { query: 'mutation { logout }' },
    });
    expect({ status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code }).toEqual(registered(ErrorCode.METHOD_NOT_ALLOWED));
  });

  it('refuses a form post with the status registered for CSRF_REJECTED', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'text/plain' }, payload: '{"query":"{ __typename }"}' });
    expect({ status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code }).toEqual(registered(ErrorCode.CSRF_REJECTED));
  });

  it('refuses a download without credentials with the status registered for UNAUTHENTICATED', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/downloads/abc.def' });
    expect({ status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code }).toEqual(registered(ErrorCode.UNAUTHENTICATED));
  });

  it('refuses a forged download link with the status registered for NOT_FOUND', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/downloads/abc.def', headers: { cookie: t.adminCookie } });
    expect({ status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code }).toEqual(registered(ErrorCode.NOT_FOUND));
  });
});
