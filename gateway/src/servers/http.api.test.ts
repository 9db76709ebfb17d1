import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { extendSchema, Lexer, parse } from 'graphql';
import { serverAudits } from 'graphql-http';
import pino from 'pino';
import { buildApp } from '../app';
import { documentTooLarge, MAX_DOCUMENT_CHARACTERS, MAX_DOCUMENT_TOKENS } from '../graphql/document-limits';
import { buildGatewaySchema } from '../graphql/schema';
import { ENGINES, startTestApp, testConfig, type TestApp } from '../test/app';
import { createTestDatabase } from '../test/database';

/** Bodies a client may get wrong, with the status and code both engines must answer. */
const MALFORMED: [string, string, number, string][] = [
  ['no query', '{}', 400, 'BAD_REQUEST'],
  ['invalid JSON', '{"query": ', 400, 'BAD_REQUEST'],
  ['an empty body', '', 400, 'BAD_REQUEST'],
  ['query: 1', '{"query": 1}', 400, 'BAD_REQUEST'],
  ['a JSON array', '[{"query":"{ __typename }"}]', 400, 'BAD_REQUEST'],
  ['null', 'null', 400, 'BAD_REQUEST'],
  ['a JSON string', '"{ __typename }"', 400, 'BAD_REQUEST'],
  ['variables as a string', '{"query":"{ __typename }","variables":"{}"}', 400, 'BAD_REQUEST'],
  ['operationName: 1', '{"query":"{ __typename }","operationName":1}', 400, 'BAD_REQUEST'],
  ['a 10 MB body', JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(10 * 1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE'],
];

interface Logged {
  level: number;
  reqId?: string;
  msg: string;
}

/** A logger at info level and the lines it writes, parsed. */
function capturedLog(): { log: pino.Logger; lines: Logged[] } {
  const lines: Logged[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

async function appWithLog(t: TestApp, engine: (typeof ENGINES)[number]): Promise<{ app: FastifyInstance; lines: Logged[] }> {
  const { log, lines } = capturedLog();
  const app = await buildApp({ config: testConfig({ engine }), dataSource: t.db.dataSource, log });
  await app.ready();
  return { app, lines };
}

describe.each(ENGINES)('GraphQL over HTTP on %s', (engine) => {
  let t: TestApp;
  let logged: { app: FastifyInstance; lines: Logged[] };
  beforeAll(async () => {
    t = await startTestApp(engine);
    logged = await appWithLog(t, engine);
  });
  afterAll(async () => {
    await logged.app.close();
    await t.close();
  });

  it.each(MALFORMED)('answers %s as the client’s mistake, without an error in the log', async (_name, payload, status, code) => {
    logged.lines.length = 0;
    const response = await logged.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
    expect(logged.lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('accepts null extensions, variables and operationName', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query":"{ __typename }","variables":null,"operationName":null,"extensions":null}',
    });
    expect([response.statusCode, response.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('refuses a mutation over GET with 405 METHOD_NOT_ALLOWED', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('mutation { logout }')}`,
      headers: { 'apollo-require-preflight': 'true', cookie: t.adminCookie },
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.json()).toEqual({ errors: [{ message: 'Only queries may be sent with GET', extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
  });

  it('answers UNAUTHENTICATED from a resolver with 200, the error in the body', async () => {
    const response = await t.request('{ companies { id } }');
    expect(response.status).toBe(200);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a document of one token over the limit though under 64 KiB, and remembers the refusal', async () => {
    // `query Name {` and `}` are four tokens.
    const document = (fields: number) => `query Tokens_${engine} { ${'__typename '.repeat(fields)}}`;
    const over = document(MAX_DOCUMENT_TOKENS - 3);
    expect(over.length).toBeLessThan(MAX_DOCUMENT_CHARACTERS);
    expect(documentTooLarge(document(MAX_DOCUMENT_TOKENS - 4))).toBeNull();
    const lexed = jest.spyOn(Lexer.prototype, 'advance');
    try {
      const first = await t.request(over);
      expect([first.status, first.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
      expect(first.errors![0].message).toBe(`The document is over ${MAX_DOCUMENT_TOKENS} tokens`);
      expect(lexed.mock.calls.length).toBeGreaterThan(MAX_DOCUMENT_TOKENS);
      lexed.mockClear();
      const again = await t.request(over);
      expect([again.status, again.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
      expect(lexed).not.toHaveBeenCalled();
    } finally {
      lexed.mockRestore();
    }
  });

  it('passes every MUST and at least 90 % of the SHOULDs of the GraphQL-over-HTTP audit', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const fetchFn = (input: string | URL | Request, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', t.adminCookie);
      return fetch(input, { ...init, headers });
    };
    const results = await Promise.all(serverAudits({ url: `${url}/graphql`, fetchFn }).map((audit) => audit.fn()));
    const failed = (level: string) => results.filter((r) => r.name.startsWith(level) && r.status !== 'ok').map((r) => r.name);
    expect(failed('MUST')).toEqual([]);
    const shoulds = results.filter((r) => r.name.startsWith('SHOULD'));
    expect(shoulds.length).toBeGreaterThan(10);
    expect(failed('SHOULD').length).toBeLessThanOrEqual(Math.floor(shoulds.length * 0.1));
  });
});

describe('GraphQL over HTTP on both engines', () => {
  let apps: TestApp[];
  beforeAll(async () => {
    const first = await startTestApp('mercurius');
    apps = [first, await startTestApp('apollo', { db: first.db })];
  });
  afterAll(async () => {
    await apps[1].close();
    await apps[0].close();
  });

  it.each(MALFORMED)('answer %s with the same status and body', async (_name, payload) => {
    const [m, a] = await Promise.all(
      apps.map((t) => t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload })),
    );
    expect([a.statusCode, a.json()]).toEqual([m.statusCode, m.json()]);
  });
});

describe('the gateway’s other endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mercurius', { seed: false });
  });
  afterAll(() => t.close());

  const gated = async (metricsToken?: string) => {
    const app = await buildApp({
      config: testConfig({ engine: 'mercurius', metricsToken, requestTimeoutSeconds: 7 }),
      dataSource: t.db.dataSource,
      log: pino({ level: 'silent' }),
    });
    await app.ready();
    return app;
  };

  it('serves /metrics only to this machine without METRICS_TOKEN', async () => {
    const app = await gated();
    try {
      expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode).toBe(404);
      // A reverse proxy on this machine passes on requests from anywhere: what it forwarded is not local.
      const proxied = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-forwarded-for': '127.0.0.1' }];
      for (const headers of proxied) expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers })).statusCode).toBe(404);
      expect(app.server.requestTimeout).toBe(7000);
    } finally {
      await app.close();
    }
  });

  it('cuts off a client that sends its headers and then trickles its body, once the request timeout is over', async () => {
    const app = await buildApp({
      config: testConfig({ engine: 'mercurius', requestTimeoutSeconds: 1 }),
      dataSource: t.db.dataSource,
      log: pino({ level: 'silent' }),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
    // The server closes after its 408: a byte still on its way then comes back as a reset, which is how it ends too.
    socket.on('error', () => {});
    let answer = '';
    const trickle = setInterval(() => socket.writable && answer === '' && socket.write(' '), 100);
    try {
      const started = Date.now();
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
      await new Promise((resolve) => socket.once('close', resolve));
      // What arrived before the reset, if anything did, is the 408; either way the server ended it.
      if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      // The timeout plus at most one check, far below the 30 s of Node's default checks.
      expect(Date.now() - started).toBeLessThan(1000 + 3000);
    } finally {
      clearInterval(trickle);
      socket.destroy();
      await app.close();
    }
  });

  it('serves /metrics to the bearer of METRICS_TOKEN only, wherever they are', async () => {
    const token = 'm'.repeat(32);
    const app = await gated(token);
    try {
      expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${'x'.repeat(32)}` } })).statusCode).toBe(404);
      expect((await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('serves /graphiql with a content security policy that allows only its own scripts', async () => {
    const page = await t.app.inject('/graphiql');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('refuses a document over the size or token limit before parsing it', async () => {
    const query = `{ ${Array.from({ length: 6000 }, () => '__typename').join(' ')} }`;
    const response = await t.request(query);
    expect(response.status).toBe(400);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    const huge = await t.request(`{ __typename ${' '.repeat(70 * 1024)}}`);
    expect(huge.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });
});

describe.each(ENGINES)('field suggestions on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  it('are given to a signed-in administrator and withheld from a caller without credentials', async () => {
    const signedIn = await t.gql('{ companies { nam } }');
    expect(signedIn.errors?.[0].message).toMatch(/Did you mean "name"\?/);
    const anonymous = await t.request('{ companies { nam } }');
    expect(anonymous.errors?.[0].message).toBe('Cannot query field "nam" on type "Company".');
    expect(anonymous.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe.each(ENGINES)('unexpected errors on %s', (engine) => {
  it('mask a plain Error thrown in a resolver as INTERNAL_SERVER_ERROR without detail', async () => {
    const db = await createTestDatabase();
    const base = buildGatewaySchema();
    const schema = extendSchema(base, parse('extend type Query { boom: String }'));
    schema.getQueryType()!.getFields().boom.resolve = () => {
      throw new Error('secret detail from the database');
    };
    const app = await buildApp({ config: testConfig({ engine }), dataSource: db.dataSource, log: pino({ level: 'silent' }), schema });
    try {
      const response = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ boom }' } });
      expect(response.json()).toEqual({
        data: { boom: null },
        errors: [{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('log a resolver’s error with the request’s reqId', async () => {
    const db = await createTestDatabase();
    const schema = extendSchema(buildGatewaySchema(), parse('extend type Query { boom: String }'));
    schema.getQueryType()!.getFields().boom.resolve = () => {
      throw new Error('secret detail from the database');
    };
    const { log, lines } = capturedLog();
    const app = await buildApp({ config: testConfig({ engine }), dataSource: db.dataSource, log, schema });
    try {
      await app.ready();
      lines.length = 0;
      await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', 'x-request-id': 'boom-1' },
        payload: { query: '{ boom }' },
      });
      expect(lines.filter((line) => line.level >= 50).map((line) => [line.msg, line.reqId])).toEqual([['unexpected error while resolving', 'boom-1']]);
      expect(lines.filter((line) => line.reqId !== 'boom-1')).toEqual([]);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('mask a failing context factory (the database gone) as INTERNAL_SERVER_ERROR without detail', async () => {
    const db = await createTestDatabase();
    const { log, lines } = capturedLog();
    const app = await buildApp({ config: testConfig({ engine }), dataSource: db.dataSource, log });
    await app.ready();
    await db.dataSource.destroy();
    try {
      lines.length = 0;
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', cookie: `cabinet_session=${'a'.repeat(43)}`, 'x-request-id': 'gone-1' },
        payload: { query: '{ __typename }' },
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      expect(lines.filter((line) => line.level >= 50).length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.reqId !== 'gone-1')).toEqual([]);
    } finally {
      await app.close();
      await db.drop().catch(() => {});
    }
  });
});
