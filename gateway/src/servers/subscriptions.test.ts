import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { extendSchema, Lexer, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp } from '../app';
import { AUTHENTICATION_GRACE_MS, MAX_SOCKETS_PER_ADDRESS, MAX_SOCKETS_PER_PRINCIPAL, MAX_SUBSCRIPTIONS_PER_SOCKET } from './subscriptions';
import { eventCursor, eventLog, eventService } from '../events';
import type { GatewayEngine } from '../config';
import type { Context } from '../core/context';
import { ConflictError } from '../core/errors';
import { toGlobalId } from '../core/ids';
import { RequestDb } from '../core/db';
import type { CabinetEvent } from '../core/events';
import { documentTooLarge, MAX_DOCUMENT_CHARACTERS, MAX_DOCUMENT_TOKENS } from '../graphql/document-limits';
import { buildGatewaySchema } from '../graphql/schema';
import { operatorService } from '../operator/operator.service';
import { createAdministrator, ENGINES, sessionCookie, TEST_PASSWORD, testConfig } from '../test/app';
import { createTestDatabase, type TestDatabase } from '../test/database';

/** Tells the tests when a subscription is listening, so that they publish only then. */
const listening = new EventEmitter();
let executions = 0;
const executionToken = () => ({ id: ++executions });

/** The gateway's schema plus a test-only `ping` subscription and a mutation that publishes pings. */
function testSchema(): GraphQLSchema {
  const base = buildGatewaySchema();
  const subscription = base.getSubscriptionType()
    ? 'extend type Subscription { ping(companyId: ID!, after: String): TestPing! broken: TestPing! }'
    : 'type Subscription { ping(companyId: ID!, after: String): TestPing! broken: TestPing! } extend schema { subscription: Subscription }';
  const schema = extendSchema(
    base,
    parse(`
      type TestPing { sequence: Int! cursor: String! n: Int! administratorId: Int execution: Int! clientAddress: String! }
      ${subscription}
      extend type Mutation { publishPing(companyId: ID!, n: Int!, rollBack: Boolean = false): Int! }
    `),
  );
  const ping = schema.getSubscriptionType()!.getFields().ping;
  ping.subscribe = async (_root, { companyId, after }: { companyId: string; after?: string | null }, ctx: Context) => {
    const id = Number(companyId);
    const stream = await eventService.follow(ctx, id, ['PING'], after);
    listening.emit('ping', id);
    return stream;
  };
  ping.resolve = (event: CabinetEvent) => ({ sequence: event.sequence, cursor: eventCursor(event.companyId!, event.position), n: event.payload.n });
  schema.getSubscriptionType()!.getFields().broken.subscribe = () => {
    throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
  };
  const fields = (schema.getType('TestPing') as GraphQLObjectType).getFields();
  fields.administratorId.resolve = (_ping, _args, ctx: Context) => (ctx.principal.kind === 'administrator' ? ctx.principal.administratorId : null);
  fields.execution.resolve = (_ping, _args, ctx: Context) => ctx.loader(executionToken).id;
  // The address the actions log and the sessions take for whatever the socket does.
  fields.clientAddress.resolve = (_ping, _args, ctx: Context) => ctx.http.clientAddress;
  schema.getMutationType()!.getFields().publishPing.resolve = (_root, args: { companyId: string; n: number; rollBack: boolean }, ctx: Context) =>
    ctx.transaction(async () => {
      const event = { topic: 'PING', companyId: Number(args.companyId), payload: { n: args.n } };
      const { sequence } = (await ctx.ports.events!.publish(ctx.db, event)) as { sequence: number };
      if (args.rollBack) throw new ConflictError('rolled back on purpose');
      return sequence;
    });
  return schema;
}

async function createCompanies(db: TestDatabase, count: number): Promise<number[]> {
  const rows: { id: number }[] = await db.dataSource.query(
    `INSERT INTO billing.companies (bin, name) SELECT lpad(g::text, 12, '0'), 'Company ' || g FROM generate_series(1, $1) g RETURNING id`,
    [count],
  );
  return rows.map((row) => row.id);
}

const PING = 'subscription($c: ID!) { ping(companyId: $c) { sequence n } }';
const RESUMABLE = 'subscription($c: ID!, $after: String) { ping(companyId: $c, after: $after) { sequence n cursor } }';

interface Gateway {
  app: FastifyInstance;
  url: string;
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data?: any; errors?: any[]; headers: any }>;
}

async function startGateway(
  engine: GatewayEngine,
  db: TestDatabase,
  schema: GraphQLSchema,
  credentialRecheckMs?: number,
  trustedProxies?: string[],
  log = pino({ level: 'silent' }),
  allowedOrigins?: string[],
): Promise<Gateway> {
  const app = await buildApp({
    config: testConfig({ engine, trustedProxies, allowedOrigins }),
    dataSource: db.dataSource,
    log,
    schema,
    credentialRecheckMs,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    url: `ws://127.0.0.1:${port}/graphql`,
    async gql(query, variables, headers = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ query, variables }),
      });
      return { ...(response.json() as Record<string, unknown>), headers: response.headers };
    },
  };
}

async function signIn(gateway: Gateway, phone: string): Promise<string> {
  const login = await gateway.gql('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: phone, w: TEST_PASSWORD });
  return sessionCookie(login.headers);
}

interface Subscriber {
  next(ms?: number): Promise<FormattedExecutionResult<any, unknown>>;
  client: Client;
}

const clients: Client[] = [];

/** A graphql-ws client over `ws` that never retries, so a refusal or a close reaches the test. */
function connect(
  url: string,
  { cookie, connectionParams, headers = {} }: { cookie?: string; connectionParams?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Client {
  const upgradeHeaders = { ...headers, ...(cookie ? { cookie } : {}) };
  class Socket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: upgradeHeaders });
    }
  }
  const client = createClient({ url, webSocketImpl: Socket, connectionParams, retryAttempts: 0 });
  clients.push(client);
  return client;
}

/** Results, the error (an `error` message's errors, or the close event) or completion, queued as they come. */
function subscribe(client: Client, query: string, variables: Record<string, unknown>): Subscriber {
  const queue: ({ value: FormattedExecutionResult<any, unknown> } | { error: unknown } | { done: true })[] = [];
  const arrived = new EventEmitter();
  const push = (item: (typeof queue)[number]) => {
    queue.push(item);
    arrived.emit('item');
  };
  client.subscribe({ query, variables }, { next: (value) => push({ value }), error: (error) => push({ error }), complete: () => push({ done: true }) });
  return {
    client,
    async next(ms = 5000) {
      if (queue.length === 0) {
        await once(arrived, 'item', { signal: AbortSignal.timeout(ms) }).catch(() => {
          throw new Error(`nothing came within ${ms} ms`);
        });
      }
      const item = queue.shift()!;
      if ('error' in item) throw item.error;
      if ('done' in item) throw new Error('the subscription completed');
      return item.value;
    },
  };
}

/** A raw socket through its connection_init: 'ack', the close code the server gave instead, or the upgrade's HTTP status. */
function rawSocket(url: string, headers: Record<string, string>, sockets: WebSocket[]): Promise<'ack' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    sockets.push(socket);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => {});
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve('ack');
    });
    socket.on('close', (code) => resolve(code));
  });
}

/** Subscribes to pings of a company and waits until the server listens for them. */
async function subscribed(client: Client, companyId: number, query = PING, variables: Record<string, unknown> = {}): Promise<Subscriber> {
  const ready = once(listening, 'ping', { signal: AbortSignal.timeout(5000) });
  const subscriber = subscribe(client, query, { c: String(companyId), ...variables });
  await ready;
  return subscriber;
}

/** What a refused subscription rejects with: the errors of graphql-ws's `error` message. */
async function refusal(subscriber: Subscriber): Promise<{ message: string; extensions?: { code?: string } }[]> {
  try {
    await subscriber.next();
  } catch (errors) {
    if (Array.isArray(errors)) return errors;
    throw errors;
  }
  throw new Error('the subscription was not refused');
}

async function closeOf(subscriber: Subscriber): Promise<{ code: number; reason: string }> {
  try {
    await subscriber.next();
  } catch (event) {
    const closed = event as { code?: number; reason?: unknown };
    if (typeof closed?.code === 'number') return { code: closed.code, reason: String(closed.reason) };
    throw event;
  }
  throw new Error('the socket stayed open');
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map(async (client) => client.dispose()));
});

describe.each(ENGINES)('subscriptions on %s', (engine) => {
  let db: TestDatabase;
  let schema: GraphQLSchema;
  let a: Gateway;
  let b: Gateway;
  let companyIds: number[];
  let admin: { id: number; phone: string };
  let cookie: string;
  let next = 0;
  /** A company no earlier test published for, granted to `admin`. */
  const freshCompany = () => companyIds[next++];

  beforeAll(async () => {
    db = await createTestDatabase();
    companyIds = await createCompanies(db, 26);
    schema = testSchema();
    a = await startGateway(engine, db, schema);
    b = await startGateway(engine, db, schema);
    admin = await createAdministrator(db, { companyIds: companyIds.slice(0, -1) });
    cookie = await signIn(a, admin.phone);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.drop();
  });

  const publish = async (gateway: Gateway, companyId: number, n: number, rollBack = false) => {
    const res = await gateway.gql('mutation($c: ID!, $n: Int!, $r: Boolean) { publishPing(companyId: $c, n: $n, rollBack: $r) }', {
      c: String(companyId),
      n,
      r: rollBack,
    });
    return res;
  };

  it('delivers published events to an authorized subscriber in order, with increasing sequence numbers', async () => {
    const company = freshCompany();
    const subscriber = await subscribed(connect(a.url, { cookie }), company);
    for (const n of [10, 20, 30]) expect((await publish(a, company, n)).errors).toBeUndefined();
    const received = [await subscriber.next(), await subscriber.next(), await subscriber.next()];
    expect(received).toEqual([1, 2, 3].map((sequence, i) => ({ data: { ping: { sequence, n: [10, 20, 30][i] } } })));
  });

  it('does not deliver an event of another company', async () => {
    const [mine, other] = [freshCompany(), freshCompany()];
    const subscriber = await subscribed(connect(a.url, { cookie }), mine);
    await publish(a, other, 1);
    await publish(a, mine, 2);
    expect(await subscriber.next()).toEqual({ data: { ping: { sequence: 1, n: 2 } } });
  });

  it('delivers an event published through another gateway process', async () => {
    const company = freshCompany();
    const subscriber = await subscribed(connect(a.url, { cookie }), company);
    await publish(b, company, 42);
    expect(await subscriber.next()).toEqual({ data: { ping: { sequence: 1, n: 42 } } });
  });

  it('does not deliver an event whose transaction rolled back', async () => {
    const company = freshCompany();
    const subscriber = await subscribed(connect(a.url, { cookie }), company);
    expect((await publish(b, company, 1, true)).errors?.[0].extensions.code).toBe('CONFLICT');
    await publish(b, company, 2);
    expect(await subscriber.next()).toEqual({ data: { ping: { sequence: 1, n: 2 } } });
  });

  it('replays the events made while a client was away after its cursor, then live ones, each once', async () => {
    const company = freshCompany();
    const away = connect(a.url, { cookie });
    const before = await subscribed(away, company, RESUMABLE);
    await publish(a, company, 1);
    await publish(a, company, 2);
    const seen = [await before.next(), await before.next()];
    await away.dispose();
    await publish(b, company, 3);
    await publish(b, company, 4);
    const back = await subscribed(connect(a.url, { cookie }), company, RESUMABLE, { after: seen[1].data.ping.cursor });
    const replayed = [await back.next(), await back.next()];
    await publish(b, company, 5);
    const live = await back.next();
    const all = [...seen, ...replayed, live].map((result) => result.data.ping);
    expect(all.map((ping) => [ping.sequence, ping.n])).toEqual([1, 2, 3, 4, 5].map((n) => [n, n]));
    expect(new Set(all.map((ping) => ping.cursor)).size).toBe(5);
    await expect(back.next(300)).rejects.toThrow('nothing came');
  });

  it('does not replay an event whose transaction rolled back', async () => {
    const company = freshCompany();
    const first = await subscribed(connect(a.url, { cookie }), company, RESUMABLE);
    await publish(a, company, 1);
    const { cursor } = (await first.next()).data.ping;
    await publish(b, company, 2, true);
    await publish(b, company, 3);
    const back = await subscribed(connect(a.url, { cookie }), company, RESUMABLE, { after: cursor });
    expect((await back.next()).data.ping).toMatchObject({ sequence: 2, n: 3 });
    await expect(back.next(300)).rejects.toThrow('nothing came');
  });

  it('refuses a cursor older than the event log keeps with CURSOR_EXPIRED, and another company’s with BAD_USER_INPUT', async () => {
    const [company, other] = [freshCompany(), freshCompany()];
    for (const n of [1, 2]) await publish(a, company, n);
    await db.dataSource.query(`UPDATE cabinet.events SET created_at = now() - interval '40 days' WHERE company_id = $1`, [company]);
    await eventLog.prune(db.dataSource, 30);
    const expired = await refusal(subscribe(connect(a.url, { cookie }), RESUMABLE, { c: String(company), after: eventCursor(company, 1) }));
    expect(expired.map((e) => e.extensions?.code)).toEqual(['CURSOR_EXPIRED']);
    const foreign = await refusal(subscribe(connect(a.url, { cookie }), RESUMABLE, { c: String(company), after: eventCursor(other, 0) }));
    expect(foreign.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses an anonymous subscriber with UNAUTHENTICATED', async () => {
    const errors = await refusal(subscribe(connect(a.url), PING, { c: String(companyIds[0]) }));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an administrator of another company with NOT_FOUND', async () => {
    const outsider = await createAdministrator(db, { companyIds: companyIds.slice(-1) });
    const errors = await refusal(subscribe(connect(a.url, { cookie: await signIn(a, outsider.phone) }), PING, { c: String(companyIds[0]) }));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it.each([
    ['connectionParams.authorization', (secret: string) => ({ connectionParams: { authorization: `Bearer ${secret}` } })],
    ['the Authorization header of the upgrade', (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } })],
  ])('authorizes a partner key sent in %s', async (_where, credentials) => {
    const company = freshCompany();
    const created = await a.gql(
      'mutation($c: ID!) { createApiKey(companyId: $c, name: "Partner", scope: READ) { secret } }',
      { c: toGlobalId('Company', company) },
      { cookie },
    );
    const subscriber = await subscribed(connect(a.url, credentials(created.data.createApiKey.secret)), company);
    await publish(b, company, 5);
    expect(await subscriber.next()).toEqual({ data: { ping: { sequence: 1, n: 5 } } });
  });

  it('runs the pre-execution guard on subscriptions', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: sequence`).join(' ');
    const errors = await refusal(
      subscribe(connect(a.url, { cookie }), `subscription($c: ID!) { ping(companyId: $c) { ${aliases} } }`, { c: String(companyIds[0]) }),
    );
    expect(errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('masks a plain error thrown by a subscription source as INTERNAL_SERVER_ERROR with no detail', async () => {
    const errors = await refusal(subscribe(connect(a.url, { cookie }), 'subscription { broken { sequence } }', {}));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(errors)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|stack|at /);
  });

  it('logs a subscription’s unexpected error with its socket’s id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logged = await startGateway(engine, db, schema, undefined, undefined, pino({ level: 'error' }, sink));
    try {
      const errors = await refusal(subscribe(connect(logged.url, { cookie }), 'subscription { broken { sequence } }', {}));
      expect(errors.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      const line = lines.find((entry) => JSON.stringify(entry).includes('ECONNREFUSED'));
      expect(line).toMatchObject({ level: 50, socketId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    } finally {
      await logged.app.close();
    }
  });

  it('takes a socket’s client address from X-Forwarded-For only through a trusted proxy', async () => {
    const trusting = await startGateway(engine, db, schema, undefined, ['loopback']);
    const distrusting = await startGateway(engine, db, schema, undefined, ['10.99.0.0/16']);
    try {
      const companyId = freshCompany();
      const query = 'subscription($c: ID!) { ping(companyId: $c) { clientAddress } }';
      const headers = { 'x-forwarded-for': '203.0.113.7' };
      const proxied = await subscribed(connect(trusting.url, { cookie, headers }), companyId, query);
      const direct = await subscribed(connect(distrusting.url, { cookie, headers }), companyId, query);
      await publish(a, companyId, 1);
      expect((await proxied.next()).data).toEqual({ ping: { clientAddress: '203.0.113.7' } });
      expect((await direct.next()).data).toEqual({ ping: { clientAddress: '127.0.0.1' } });
    } finally {
      await trusting.app.close();
      await distrusting.app.close();
    }
  });

  it('gives field suggestions only to a socket with a session or key, as over HTTP', async () => {
    const typo = 'subscription($c: ID!) { pnig(companyId: $c) { n } }';
    const anonymous = await refusal(subscribe(connect(a.url), typo, { c: String(companyIds[0]) }));
    expect(anonymous.map((e) => [e.message, e.extensions?.code])).toEqual([['Cannot query field "pnig" on type "Subscription".', 'GRAPHQL_VALIDATION_FAILED']]);
    const overHttp = await a.gql(typo, { c: String(companyIds[0]) });
    expect(anonymous[0].message).toBe(overHttp.errors![0].message);
    const signedIn = await refusal(subscribe(connect(a.url, { cookie }), typo, { c: String(companyIds[0]) }));
    expect(signedIn[0].message).toBe('Cannot query field "pnig" on type "Subscription". Did you mean "ping"?');
  });

  it('serves only subscriptions over the socket', async () => {
    const errors = await refusal(subscribe(connect(a.url, { cookie }), '{ companies { id } }', {}));
    expect(errors.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('keeps the socket’s principal but gives every event fresh loaders', async () => {
    const company = freshCompany();
    const subscriber = await subscribed(connect(a.url, { cookie }), company, 'subscription($c: ID!) { ping(companyId: $c) { administratorId execution } }');
    await publish(b, company, 1);
    await publish(b, company, 2);
    const [first, second] = [await subscriber.next(), await subscriber.next()];
    expect([first.data.ping.administratorId, second.data.ping.administratorId]).toEqual([admin.id, admin.id]);
    expect(second.data.ping.execution).not.toBe(first.data.ping.execution);
  });

  it('resolves one event for all its subscribers with shared loaders, each with its own principal', async () => {
    const company = freshCompany();
    const other = await createAdministrator(db, { companyIds: [company] });
    const query = 'subscription($c: ID!) { ping(companyId: $c) { administratorId execution } }';
    const mine = await subscribed(connect(a.url, { cookie }), company, query);
    const theirs = await subscribed(connect(a.url, { cookie: await signIn(a, other.phone) }), company, query);
    await publish(b, company, 1);
    const [first, second] = [await mine.next(), await theirs.next()];
    expect([first.data.ping.administratorId, second.data.ping.administratorId]).toEqual([admin.id, other.id]);
    expect(second.data.ping.execution).toBe(first.data.ping.execution);
  });

  it('closes the sockets of a session with 4401 when it ends on another process', async () => {
    const session = await signIn(a, admin.phone);
    const ending = await subscribed(connect(a.url, { cookie: session }), companyIds[0]);
    const staying = await subscribed(connect(a.url, { cookie }), companyIds[0]);
    expect((await b.gql('mutation { logout }', {}, { cookie: session })).data).toEqual({ logout: true });
    expect(await closeOf(ending)).toEqual({ code: 4401, reason: 'Session ended' });
    await publish(b, companyIds[0], 3);
    expect((await staying.next()).data.ping.n).toBe(3);
  });

  it('ends an administrator’s subscriptions to a company on every process as soon as the grant is revoked', async () => {
    const [revoked, kept] = [freshCompany(), freshCompany()];
    const other = await createAdministrator(db, { companyIds: [revoked, kept] });
    const client = connect(a.url, { cookie: await signIn(a, other.phone) });
    const losing = await subscribed(client, revoked);
    const staying = await subscribed(client, kept);
    const [{ bin }] = await db.dataSource.query(`SELECT bin FROM billing.companies WHERE id = $1`, [revoked]);
    await operatorService.revoke(new RequestDb(db.dataSource), other.phone, bin);
    // Completed by the revocation's notification alone: no event of the company comes to carry it.
    await expect(losing.next(1000)).rejects.toThrow('the subscription completed');
    await publish(b, revoked, 1);
    await publish(b, kept, 2);
    expect((await staying.next()).data.ping.n).toBe(2);
    const again = await refusal(subscribe(client, PING, { c: String(revoked) }));
    expect(again.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('closes a removed administrator’s sockets on every process at once, and their cookie opens none again', async () => {
    const leaving = await createAdministrator(db, { companyIds: companyIds.slice(0, 2) });
    const session = await signIn(a, leaving.phone);
    const onA = await subscribed(connect(a.url, { cookie: session }), companyIds[0]);
    const onB = await subscribed(connect(b.url, { cookie: await signIn(b, leaving.phone) }), companyIds[1]);
    const staying = await subscribed(connect(a.url, { cookie }), companyIds[0]);
    await operatorService.remove(new RequestDb(db.dataSource), leaving.phone);
    // Closed by the removal's notification: the sessions' periodic check is minutes away.
    expect(await closeOf(onA)).toEqual({ code: 4401, reason: 'Session ended' });
    expect(await closeOf(onB)).toEqual({ code: 4401, reason: 'Session ended' });
    await publish(b, companyIds[0], 5);
    expect((await staying.next()).data.ping.n).toBe(5);
    const refused = await refusal(subscribe(connect(b.url, { cookie: session }), PING, { c: String(companyIds[0]) }));
    expect(refused.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a cookie-authenticated socket opened from another site’s page', async () => {
    const client = connect(a.url, { cookie, headers: { origin: 'https://evil.example' } });
    expect(await closeOf(subscribe(client, PING, { c: String(companyIds[0]) }))).toEqual({ code: 4403, reason: 'Origin not allowed' });
    const own = await subscribed(connect(a.url, { cookie, headers: { origin: a.url.replace('ws://', 'http://').replace('/graphql', '') } }), companyIds[0]);
    await publish(b, companyIds[0], 7);
    expect((await own.next()).data.ping.n).toBe(7);
  });

  it('admits a cookie-authenticated socket from an origin listed in ALLOWED_ORIGINS, and no other', async () => {
    const portal = 'https://portal.example.kz';
    const listed = await startGateway(engine, db, schema, undefined, undefined, undefined, [portal]);
    try {
      const admitted = await subscribed(connect(listed.url, { cookie, headers: { origin: portal } }), companyIds[0]);
      await publish(b, companyIds[0], 11);
      expect((await admitted.next()).data.ping.n).toBe(11);
      const other = connect(listed.url, { cookie, headers: { origin: 'https://portal.example.kz.evil.example' } });
      expect(await closeOf(subscribe(other, PING, { c: String(companyIds[0]) }))).toEqual({ code: 4403, reason: 'Origin not allowed' });
    } finally {
      await listed.app.close();
    }
  });

  it('refuses a subscription of one token over the document limit with QUERY_TOO_COMPLEX, and remembers the refusal', async () => {
    // The tokens around the selection's fields: subscription S_<engine> ( $ c : ID ! ) { ping ( companyId : $ c ) { … } }.
    const document = (fields: number) => `subscription S_${engine}($c: ID!) { ping(companyId: $c) { ${'n '.repeat(fields)}} }`;
    const fixed = 20;
    const over = document(MAX_DOCUMENT_TOKENS - fixed + 1);
    expect(documentTooLarge(document(MAX_DOCUMENT_TOKENS - fixed))).toBeNull();
    expect(over.length).toBeLessThan(MAX_DOCUMENT_CHARACTERS);
    const lexed = jest.spyOn(Lexer.prototype, 'advance');
    try {
      const client = connect(a.url, { cookie });
      const first = await refusal(subscribe(client, over, { c: String(companyIds[0]) }));
      expect(first.map((e) => [e.extensions?.code, e.message])).toEqual([['QUERY_TOO_COMPLEX', `The document is over ${MAX_DOCUMENT_TOKENS} tokens`]]);
      expect(lexed.mock.calls.length).toBeGreaterThan(MAX_DOCUMENT_TOKENS);
      lexed.mockClear();
      const again = await refusal(subscribe(client, over, { c: String(companyIds[0]) }));
      expect(again.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(lexed).not.toHaveBeenCalled();
    } finally {
      lexed.mockRestore();
    }
  });

  it('holds the sockets per session to its limit over every process, with parallel connections; a closed one frees its place', async () => {
    const owner = await createAdministrator(db, { companyIds: [companyIds[0]] });
    const session = await signIn(a, owner.phone);
    const sockets: WebSocket[] = [];
    try {
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => rawSocket(i % 2 ? a.url : b.url, { cookie: session }, sockets)));
      expect(outcomes.filter((o) => o === 'ack')).toHaveLength(MAX_SOCKETS_PER_PRINCIPAL);
      expect(outcomes.filter((o) => o === 4429)).toHaveLength(50 - MAX_SOCKETS_PER_PRINCIPAL);
      const open = sockets.find((socket) => socket.readyState === WebSocket.OPEN)!;
      await new Promise((resolve) => {
        open.once('close', resolve);
        open.close();
      });
      // Released as the server saw the close: retried a moment, the next socket gets the freed place, on either process.
      let again: 'ack' | number = 0;
      for (let attempt = 0; attempt < 20 && again !== 'ack'; attempt++) {
        again = await rawSocket(b.url, { cookie: session }, sockets);
        if (again !== 'ack') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(again).toBe('ack');
      expect(await rawSocket(a.url, { cookie: session }, sockets)).toBe(4429);
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  }, 30_000);

  it('holds the sockets per client address to its limit over every process, taking the address behind a trusted proxy', async () => {
    const [c, d] = [await startGateway(engine, db, schema, undefined, ['127.0.0.1']), await startGateway(engine, db, schema, undefined, ['127.0.0.1'])];
    const sockets: WebSocket[] = [];
    try {
      const client = { 'x-forwarded-for': '203.0.113.7' };
      const total = MAX_SOCKETS_PER_ADDRESS + 50;
      const outcomes = await Promise.all(Array.from({ length: total }, (_, i) => rawSocket(i % 2 ? c.url : d.url, client, sockets)));
      // Opened (then closed 4401 for want of credentials, or acknowledged) against refused at the upgrade.
      expect(outcomes.filter((o) => o === 429)).toHaveLength(total - MAX_SOCKETS_PER_ADDRESS);
      expect(await rawSocket(c.url, { 'x-forwarded-for': '203.0.113.8' }, sockets)).not.toBe(429);
    } finally {
      for (const socket of sockets) socket.terminate();
      await c.app.close();
      await d.app.close();
    }
  }, 30_000);

  it('closes a socket that has not authenticated within a few seconds', async () => {
    const started = Date.now();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      // Not lazy: the socket stays open with no subscription, as an idle attacker's would.
      const client = createClient({
        url: a.url,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        on: { closed: (event) => resolve(event as { code: number; reason: string }) },
      });
      clients.push(client);
    });
    const { code, reason } = await closed;
    expect({ code, reason: String(reason) }).toEqual({ code: 4401, reason: 'Authenticate at connection_init' });
    expect(Date.now() - started).toBeLessThan(AUTHENTICATION_GRACE_MS + 1000);
  }, 15_000);

  it('refuses more subscriptions on one socket than the limit', async () => {
    const client = connect(a.url, { cookie });
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_SOCKET; i++) await subscribed(client, companyIds[0]);
    const over = await refusal(subscribe(client, PING, { c: String(companyIds[0]) }));
    expect(over.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
  });

  it('holds the subscriptions per socket to its limit when a burst of subscribe frames comes in one write', async () => {
    const burst = 200;
    const socket = new WebSocket(a.url, 'graphql-transport-ws', { headers: { cookie } });
    try {
      const answers = new Map<string, string>();
      const arrived = new EventEmitter();
      socket.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'connection_ack') return arrived.emit('ack');
        if (answers.has(message.id)) return;
        answers.set(message.id, message.type === 'error' ? message.payload[0]?.extensions?.code : message.type);
        arrived.emit('answer');
      });
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await once(arrived, 'ack', { signal: AbortSignal.timeout(5000) });
      let listeners = 0;
      const countListener = () => void listeners++;
      listening.on('ping', countListener);
      /** Waits for answers until `done`, or 5 s without one; the counts below then tell what came. */
      const until = async (done: () => boolean) => {
        while (!done()) if (!(await once(arrived, 'answer', { signal: AbortSignal.timeout(5000) }).catch(() => false))) return;
      };
      // One write: every frame reaches the server before the first subscription has started.
      const tcp = (socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
      tcp.cork();
      for (let i = 0; i < burst; i++) {
        socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query: PING, variables: { c: String(companyIds[0]) } } }));
      }
      tcp.uncork();
      await until(() => answers.size === burst - MAX_SUBSCRIPTIONS_PER_SOCKET);
      while (listeners < MAX_SUBSCRIPTIONS_PER_SOCKET) await new Promise((resolve) => setTimeout(resolve, 20));
      listening.off('ping', countListener);
      await publish(b, companyIds[0], 3);
      await until(() => answers.size === burst);
      const outcomes = [...answers.values()];
      expect(outcomes.filter((outcome) => outcome === 'RATE_LIMITED')).toHaveLength(burst - MAX_SUBSCRIPTIONS_PER_SOCKET);
      expect(outcomes.filter((outcome) => outcome === 'next')).toHaveLength(MAX_SUBSCRIPTIONS_PER_SOCKET);
    } finally {
      socket.terminate();
    }
  }, 30_000);

  it('closes every socket of an administrator with 4401 when all their sessions end', async () => {
    const other = await createAdministrator(db, { companyIds: companyIds.slice(0, 1) });
    const subscriber = await subscribed(connect(a.url, { cookie: await signIn(a, other.phone) }), companyIds[0]);
    const password = `${TEST_PASSWORD} again`;
    const changed = await b.gql(
      'mutation($c: String!, $p: String!) { changePassword(currentPassword: $c, password: $p, passwordRepeat: $p) { id } }',
      { c: TEST_PASSWORD, p: password },
      { cookie: await signIn(b, other.phone) },
    );
    expect(changed.errors).toBeUndefined();
    expect(await closeOf(subscriber)).toEqual({ code: 4401, reason: 'Session ended' });
  });

  it('keeps the sockets of the session that changed the password open under its new cookie; its old cookie opens nothing on any process', async () => {
    const other = await createAdministrator(db, { companyIds: companyIds.slice(0, 1) });
    const current = await signIn(b, other.phone);
    const here = await subscribed(connect(a.url, { cookie: current }), companyIds[0]);
    const ME = '{ me { id } }';
    // Looked up, and so kept for a while, on the other process too.
    expect((await a.gql(ME, {}, { cookie: current })).data.me).toEqual({ id: expect.any(String) });
    const password = `${TEST_PASSWORD} anew`;
    const changed = await b.gql(
      'mutation($c: String!, $p: String!) { changePassword(currentPassword: $c, password: $p, passwordRepeat: $p) { id } }',
      { c: TEST_PASSWORD, p: password },
      { cookie: current },
    );
    expect(changed.errors).toBeUndefined();
    const renewed = sessionCookie(changed.headers);
    expect(renewed).not.toBe(current);
    // Published after the change: by the time it arrives, so has what the change told every process.
    await publish(b, companyIds[0], 5);
    expect((await here.next()).data.ping.n).toBe(5);
    for (const gateway of [a, b]) {
      expect((await gateway.gql(ME, {}, { cookie: current })).data.me).toBeNull();
      expect((await gateway.gql(ME, {}, { cookie: renewed })).data.me).toEqual({ id: expect.any(String) });
    }
  });

  it('signing out everywhere else closes the other sessions’ sockets and keeps the current one', async () => {
    const other = await createAdministrator(db, { companyIds: companyIds.slice(0, 1) });
    const current = await signIn(b, other.phone);
    const elsewhere = await subscribed(connect(a.url, { cookie: await signIn(a, other.phone) }), companyIds[0]);
    const here = await subscribed(connect(a.url, { cookie: current }), companyIds[0]);
    expect((await b.gql('mutation { endOtherSessions }', {}, { cookie: current })).data).toEqual({ endOtherSessions: 1 });
    expect(await closeOf(elsewhere)).toEqual({ code: 4401, reason: 'Session ended' });
    await publish(b, companyIds[0], 4);
    expect((await here.next()).data.ping.n).toBe(4);
  });

  it('closes the sockets of a session that expired by time, and of a revoked key', async () => {
    const watchful = await startGateway(engine, db, schema, 200);
    try {
      const other = await createAdministrator(db, { companyIds: companyIds.slice(0, 1) });
      const session = await signIn(watchful, other.phone);
      const idle = await subscribed(connect(watchful.url, { cookie: session }), companyIds[0]);
      const key = await watchful.gql(
        'mutation($c: ID!) { createApiKey(companyId: $c, name: "feed", scope: READ) { apiKey { id } secret } }',
        {
          c: toGlobalId('Company', companyIds[0]),
        },
        { cookie: session },
      );
      const partner = await subscribed(connect(watchful.url, { connectionParams: { authorization: `Bearer ${key.data.createApiKey.secret}` } }), companyIds[0]);
      await watchful.gql('mutation($k: ID!) { revokeApiKey(id: $k) { id } }', { k: key.data.createApiKey.apiKey.id }, { cookie: session });
      expect(await closeOf(partner)).toEqual({ code: 4401, reason: 'Session ended' });
      await db.dataSource.query(`UPDATE cabinet.sessions SET last_seen_at = now() - interval '31 minutes' WHERE administrator_id = $1`, [other.id]);
      expect(await closeOf(idle)).toEqual({ code: 4401, reason: 'Session ended' });
    } finally {
      await watchful.app.close();
    }
  });

  it('closes open sockets promptly when the app closes', async () => {
    const c = await startGateway(engine, db, schema);
    const subscriber = await subscribed(connect(c.url, { cookie }), companyIds[0]);
    const started = Date.now();
    await c.app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await closeOf(subscriber)).code).toBe(1001);
  });
});

describe('subscriptions on both engines', () => {
  let db: TestDatabase;
  let gateways: Gateway[];
  let cookie: string;
  let companyIds: number[];

  beforeAll(async () => {
    db = await createTestDatabase();
    companyIds = await createCompanies(db, 26);
    const schema = testSchema();
    gateways = [await startGateway('mercurius', db, schema), await startGateway('apollo', db, schema)];
    const admin = await createAdministrator(db, { companyIds: companyIds.slice(0, 2) });
    cookie = await signIn(gateways[0], admin.phone);
  });
  afterAll(async () => {
    for (const gateway of gateways ?? []) await gateway.app.close();
    await db?.drop();
  });

  /** The raw messages of one conversation: an accepted subscription and its event, then three refusals. */
  const conversation = async (gateway: Gateway, companyId: number) => {
    const socket = new WebSocket(gateway.url, 'graphql-transport-ws', { headers: { cookie } });
    const received: unknown[] = [];
    const arrived = new EventEmitter();
    socket.on('message', (data) => {
      received.push(JSON.parse(String(data)));
      arrived.emit('message');
    });
    const count = async (n: number) => {
      while (received.length < n) await once(arrived, 'message');
    };
    const send = (message: unknown) => socket.send(JSON.stringify(message));
    await once(socket, 'open');
    send({ type: 'connection_init', payload: {} });
    await count(1);
    const ready = once(listening, 'ping', { signal: AbortSignal.timeout(5000) });
    send({ id: '1', type: 'subscribe', payload: { query: PING, variables: { c: String(companyId) } } });
    await ready;
    await gateway.gql('mutation($c: ID!) { publishPing(companyId: $c, n: 7) }', { c: String(companyId) });
    await count(2);
    send({ id: '1', type: 'complete' });
    send({ id: '2', type: 'subscribe', payload: { query: PING, variables: { c: String(companyIds[2]) } } });
    await count(3);
    send({ id: '3', type: 'subscribe', payload: { query: 'subscription { ping(companyId: "1") { nope } }' } });
    await count(4);
    send({ id: '4', type: 'subscribe', payload: { query: 'subscription { ping(' } });
    await count(5);
    socket.close(1000);
    await once(socket, 'close');
    return received;
  };

  it('send the same messages for the same subscription', async () => {
    const [mercurius, apollo] = [await conversation(gateways[0], companyIds[0]), await conversation(gateways[1], companyIds[1])];
    expect(apollo).toEqual(mercurius);
    expect(mercurius).toMatchObject([
      { type: 'connection_ack' },
      { id: '1', type: 'next', payload: { data: { ping: { sequence: 1, n: 7 } } } },
      { id: '2', type: 'error', payload: [{ path: ['ping'], extensions: { code: 'NOT_FOUND' } }] },
      { id: '3', type: 'error', payload: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
      { id: '4', type: 'error', payload: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
    ]);
  });
});
