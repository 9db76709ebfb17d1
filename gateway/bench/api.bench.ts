import 'reflect-metadata';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp, type RequestStats } from '../src/app';
import { hashPassword } from '../src/auth/password';
import { companyService } from '../src/companies';
import type { GatewayEngine } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded-postgres';
import { seedBulk, seedDemo } from '../src/db/seed/seed';
import { Context, type HttpExchange } from '../src/graphql/context';
import { toGlobalId } from '../src/graphql/ids';
import { numberService } from '../src/numbers';
import { tariffService } from '../src/tariffs';

/**
 * Throughput and latency of the numbers page (50 numbers with account, tariff, state, balance) and of a full
 * number profile in a 100,000-number company: mercurius, Apollo, and a plain Fastify endpoint (the baseline)
 * that runs the same services — the same SQL on the same pool — without GraphQL. Also the SQL statements per
 * request at page sizes 10, 50 and 100, and the server time of searches by partial number.
 * Usage: npm run bench:api -w gateway [-- --numbers 100000 --seconds 10 --connections 20]
 */
const TARGETS = { mercurius: 0.75, apollo: 0.35, p99: 1.5, searchP95Ms: 20 };

const LIST = `query ListPage($c: ID!, $first: Int) { numbers(companyId: $c, first: $first) {
  edges { node { id msisdn state balance account { accountNo paymentMethod } tariff { name } } } pageInfo { hasNextPage endCursor } } }`;
const PROFILE = `query Profile($id: ID!) { number(id: $id) {
  msisdn state stateChangedAt balance availableFunds individualLimit creditLimit isM2m roamingDebt registrationForm smsUssdBan
  account { accountNo paymentMethod } tariff { name } simCard { iccid pin1 pin2 puk1 puk2 replacedAt }
  device { lastImei lastImeiRegistered registered { imei } } tariffBalances { kind unlimited available total unit validFrom validTo }
  bonuses { kind available total unit validFrom validTo } connectedServices { service { code name } }
  availableServices { category services { code name } } callForwardings { condition target } } }`;
const SEARCH = `query Search($c: ID!, $s: String) { numbers(companyId: $c, search: $s, first: 50) { edges { node { msisdn state } } } }`;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const json = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));

/** The baseline: the gateway's own services behind plain Fastify routes, no GraphQL. */
async function baseline(dataSource: ReturnType<typeof createDataSource>, administratorId: number, companyIds: number[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const http: HttpExchange = {
    clientAddress: '127.0.0.1',
    userAgent: undefined,
    secureCookies: false,
    cookie: () => undefined,
    header: () => undefined,
    setCookie: () => undefined,
    clearCookie: () => undefined,
  };
  const context = () => {
    const ctx = new Context(dataSource, pino({ level: 'silent' }), 'en', 'bench', http, { sms: undefined as never, operations: undefined as never, reports: undefined as never });
    ctx.principal = { kind: 'administrator', administratorId, sessionId: '0', name: 'Bench', phone: '77000000000', language: 'en', companyIds: new Set(companyIds) };
    return ctx;
  };
  app.get<{ Querystring: { companyId: string; first: string } }>('/numbers', async (request, reply) => {
    const ctx = context();
    const page = await numberService.list(ctx, { companyId: Number(request.query.companyId), first: Number(request.query.first) });
    const edges = await Promise.all(
      page.edges.map(async ({ node }) => {
        const [account, tariff] = await Promise.all([companyService.account(ctx, node.accountId), tariffService.get(ctx, node.tariffId)]);
        return { node: { id: node.id, msisdn: node.msisdn, state: node.state, balance: node.balance, account, tariff: { name: tariff.name } } };
      }),
    );
    return reply.type('application/json').send(json({ data: { numbers: { edges, pageInfo: page.pageInfo } } }));
  });
  return app;
}

async function load(url: string, body: string | undefined, headers: Record<string, string>, seconds: number, connections: number) {
  const result = await autocannon({
    url,
    method: body ? 'POST' : 'GET',
    body,
    headers,
    duration: seconds,
    connections,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const seconds = option('seconds', 10);
  const connections = option('connections', 20);
  let embedded: EmbeddedServer | undefined;
  let dir: string | undefined;
  if (!process.env.DATABASE_URL) {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-bench-'));
    embedded = await startEmbeddedPostgres(dir, pino({ level: 'warn' }));
  }
  const dataSource = createDataSource(process.env.DATABASE_URL ?? embedded!.url, 10, 'cabinet-bench');
  await dataSource.initialize();
  const servers: FastifyInstance[] = [];
  try {
    await dataSource.runMigrations({ transaction: 'all' });
    await dataSource.transaction((manager) => seedDemo(manager));
    const seeding = Date.now();
    const { companyIds } = await seedBulk(dataSource, { companies: 1, numbers });
    console.log(`seeded ${numbers} numbers in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
    const companyId = companyIds[0];
    await dataSource.query('ANALYZE');
    const [admin] = await dataSource.query(
      `INSERT INTO cabinet.administrators (name, phone, email, password_hash, language) VALUES ('Bench', '77000000000', 'bench@example.kz', $1, 'en') RETURNING id`,
      [await hashPassword('benchmark passphrase long')],
    );
    await dataSource.query(`INSERT INTO cabinet.grants (administrator_id, company_id) VALUES ($1, $2)`, [admin.id, companyId]);
    const [number] = await dataSource.query(`SELECT id, msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn OFFSET $2 LIMIT 1`, [companyId, Math.floor(numbers / 2)]);
    const variables = { c: toGlobalId('Company', companyId), first: 50 };

    const results: Record<string, unknown> = { machine: `${(await import('node:os')).cpus().length} cores`, numbers, seconds, connections };
    const table: string[][] = [];
    const stats: RequestStats[] = [];
    let baselineList: { requestsPerSecond: number; p50: number; p99: number } | undefined;

    const base = await baseline(dataSource, admin.id, [companyId]);
    servers.push(base);
    const baseUrl = await base.listen({ port: 0, host: '127.0.0.1' });
    await load(`${baseUrl}/numbers?companyId=${companyId}&first=50`, undefined, {}, 2, connections);
    baselineList = await load(`${baseUrl}/numbers?companyId=${companyId}&first=50`, undefined, {}, seconds, connections);
    table.push(['numbers page', 'baseline', baselineList.requestsPerSecond.toFixed(0), `${baselineList.p50}`, `${baselineList.p99}`, '1.00']);

    for (const engine of ['mercurius', 'apollo'] as GatewayEngine[]) {
      const app = await buildApp({ config: { engine }, dataSource, log: pino({ level: 'silent' }), onRequestStats: (s) => stats.push(s) });
      servers.push(app);
      const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
      const login = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: { query: 'mutation { login(phone: "77000000000", password: "benchmark passphrase long") { id } }' },
      });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0];
      const headers = { 'content-type': 'application/json', cookie };
      const listBody = JSON.stringify({ query: LIST, variables, operationName: 'ListPage' });
      await load(url, listBody, headers, 2, connections);
      const list = await load(url, listBody, headers, seconds, connections);
      const ratio = list.requestsPerSecond / baselineList.requestsPerSecond;
      table.push(['numbers page', engine, list.requestsPerSecond.toFixed(0), `${list.p50}`, `${list.p99}`, ratio.toFixed(2)]);
      const profile = await load(url, JSON.stringify({ query: PROFILE, variables: { id: toGlobalId('Number', number.id) } }), headers, seconds, connections);
      table.push(['number profile', engine, profile.requestsPerSecond.toFixed(0), `${profile.p50}`, `${profile.p99}`, '']);
      results[engine] = { list, profile, listRatio: ratio, listP99Ratio: list.p99 / baselineList.p99 };

      // Requests still in flight from the load run finish first, so each count is taken by its own operation name.
      await new Promise((r) => setTimeout(r, 500));
      const count = async (query: string, vars: Record<string, unknown>, name: string) => {
        await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: query.replace(/^query \w+/, `query ${name}`), variables: vars } });
        await new Promise((r) => setTimeout(r, 20));
        return stats.find((s) => s.operation === name)?.sqlStatements ?? -1;
      };
      const statements: Record<string, Record<number, number>> = { list: {}, profile: {} };
      for (const first of [10, 50, 100]) statements.list[first] = await count(LIST, { ...variables, first }, `CountList${first}`);
      statements.profile[1] = await count(PROFILE, { id: toGlobalId('Number', number.id) }, 'CountProfile');
      results[`${engine}Statements`] = statements;

      if (engine === 'mercurius') {
        stats.length = 0;
        const digits = String(number.msisdn);
        for (let i = 0; i < 300; i++) {
          const start = i % 6;
          const search = digits.slice(start, start + 4 + (i % 5));
          await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: SEARCH, variables: { c: variables.c, s: search }, operationName: 'Search' } });
        }
        await new Promise((r) => setTimeout(r, 50));
        const times = stats.filter((s) => s.operation === 'Search').map((s) => s.seconds * 1000).sort((a, b) => a - b);
        results.searchP95Ms = times[Math.floor(times.length * 0.95)];
        results.searchP50Ms = times[Math.floor(times.length * 0.5)];
      }
    }

    console.log('\nquery            engine      req/s   p50 ms  p99 ms  ratio to baseline');
    for (const row of table) console.log(`${row[0].padEnd(16)} ${row[1].padEnd(10)} ${row[2].padStart(6)} ${row[3].padStart(7)} ${row[4].padStart(7)}  ${row[5]}`);
    for (const engine of ['mercurius', 'apollo']) {
      console.log(`SQL statements per request (${engine}): list ${JSON.stringify((results[`${engine}Statements`] as { list: unknown }).list)}, profile ${JSON.stringify((results[`${engine}Statements`] as { profile: unknown }).profile)}`);
    }
    console.log(`search by partial number, server time: p50 ${(results.searchP50Ms as number).toFixed(1)} ms, p95 ${(results.searchP95Ms as number).toFixed(1)} ms (target ≤ ${TARGETS.searchP95Ms} ms)`);
    console.log(`targets: mercurius ≥ ${TARGETS.mercurius}× baseline req/s, Apollo ≥ ${TARGETS.apollo}×, p99 ≤ ${TARGETS.p99}× baseline p99`);
    const out = join(__dirname, '..', '..', 'results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'api.json'), JSON.stringify({ ...results, baseline: baselineList, targets: TARGETS, at: new Date().toISOString() }, null, 2));
    console.log(`wrote ${join(out, 'api.json')}`);
  } finally {
    for (const server of servers) await server.close();
    await dataSource.destroy();
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
