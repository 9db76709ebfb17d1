import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { buildApp } from '../app';
import { createDataSource } from '../db/data-source';
import { ErrorCode, httpStatusOf, retryAfterOf, SERVICE_UNAVAILABLE_MESSAGE } from '../core/errors';
import { ENGINES, startTestApp, testConfig, type TestApp } from '../test/app';
import { createTestDatabase, type TestDatabase } from '../test/database';

interface Answer {
  status: number;
  code: unknown;
}

/** What a driver or pool says of an outage, none of which a client may read. */
const DRIVER_TEXT = /ECONN|EPIPE|ETIMEDOUT|127\.0\.0\.1|localhost|:\d{4,5}\b|connect|Connection terminated|timeout exceeded|pg|postgres|stack|\bat /i;

/** An outage's answer: every error the one fixed message, and nothing of the driver's in the whole body. */
function expectNoDriverText(body: string): void {
  expect(body).not.toMatch(DRIVER_TEXT);
  const { errors } = JSON.parse(body) as { errors: { message: string }[] };
  expect(errors.map((e) => e.message)).toEqual(errors.map(() => SERVICE_UNAVAILABLE_MESSAGE));
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

  it('answers a resolver’s RATE_LIMITED with the status registered for it and Retry-After', async () => {
    const start = 'mutation { startPasswordRecovery(phone: "77019990001") { resendAvailableAt } }';
    expect((await post(start)).status).toBe(200);
    const response = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: start } });
    const body = response.json();
    expect({ status: response.statusCode, code: body.errors?.[0]?.extensions?.code }).toEqual(registered(ErrorCode.RATE_LIMITED));
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBe(body.errors[0].extensions.retryAfterSeconds);
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

/** A TCP hop in front of PostgreSQL that can be cut, as a pooler restarting does: open connections drop, new ones are refused. */
async function cuttableHop(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe.each(ENGINES)('an unreachable database on %s', (engine) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await createTestDatabase();
    const hop = await cuttableHop(new URL(db.url));
    dataSource = createDataSource(hop.url, 2, 'cabinet-test');
    await dataSource.initialize();
    // Events listen straight on PostgreSQL: only the requests' pool goes through the hop.
    app = await buildApp({ config: testConfig({ engine, databaseDirectUrl: db.url }), dataSource, log: pino({ level: 'silent' }) });
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await hop.cut();
  });
  afterAll(async () => {
    await app.close();
    await dataSource.destroy().catch(() => undefined);
    await db.drop();
  });

  const expectUnavailable = (response: { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }) => {
    expectNoDriverText(response.body);
    expect({ status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code, retryAfter: response.headers['retry-after'] }).toEqual({
      status: httpStatusOf(ErrorCode.SERVICE_UNAVAILABLE),
      code: ErrorCode.SERVICE_UNAVAILABLE,
      retryAfter: String(retryAfterOf(ErrorCode.SERVICE_UNAVAILABLE)),
    });
    expect(response.statusCode).toBe(503);
  };

  it('answers a signed-in request, whose session cannot be looked up, 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', cookie: 'cabinet_session=abc' },
      payload: { query: '{ companies { id } }' },
    });
    expectUnavailable(response);
  });

  it('answers a mutation whose resolver cannot reach the database 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: { query: 'mutation { login(phone: "77010000001", password: "whatever it is") { id } }' },
    });
    expectUnavailable(response);
    expect(response.json().errors[0].extensions.retryAfterSeconds).toBe(retryAfterOf(ErrorCode.SERVICE_UNAVAILABLE));
  });

  it('answers a download 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    expectUnavailable(await app.inject({ method: 'GET', url: '/downloads/abc.def', headers: { cookie: 'cabinet_session=abc' } }));
  });
});

describe.each(ENGINES)('a database pool with no free connection on %s', (engine) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let app: FastifyInstance;
  let release: () => Promise<void>;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource(db.url, 1, 'cabinet-test', 300);
    await dataSource.initialize();
    app = await buildApp({ config: testConfig({ engine }), dataSource, log: pino({ level: 'silent' }) });
    await app.ready();
    const held = dataSource.createQueryRunner();
    await held.connect();
    release = () => held.release();
  });
  afterAll(async () => {
    await release();
    await app.close();
    await dataSource.destroy();
    await db.drop();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After once no connection frees up in time', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', cookie: 'cabinet_session=abc' },
      payload: { query: '{ companies { id } }' },
    });
    expectNoDriverText(response.body);
    expect({ status: response.statusCode, code: response.json().errors?.[0]?.extensions?.code, retryAfter: response.headers['retry-after'] }).toEqual({
      status: 503,
      code: ErrorCode.SERVICE_UNAVAILABLE,
      retryAfter: String(retryAfterOf(ErrorCode.SERVICE_UNAVAILABLE)),
    });
  });
});
