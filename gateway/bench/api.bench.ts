import { SessionCache } from '../src/core/session-cache';
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { parseCookie } from 'cookie';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { buildApp, type RequestStats } from '../src/app';
import { authenticate } from '../src/auth';
import { formatMoney } from '../src/common/scalars';
import { companyService } from '../src/companies';
import { type GatewayEngine, loadConfig } from '../src/config';
import { Context, type HttpExchange } from '../src/core/context';
import { toGlobalId } from '../src/core/ids';
import { numberService, type NumberType } from '../src/numbers';
import { serviceService } from '../src/services';
import { tariffService } from '../src/tariffs';
import type { TariffAllowanceType } from '../src/tariffs/tariff.type';
import { openBenchDatabase, option, printTable, runMain, sessionCookies, sleep, summarize, writeResults } from './harness';

/**
 * Throughput and latency of the numbers page (50 numbers with account, tariff, state, balance) and of a full
 * number profile in a 100,000-number company: mercurius, Apollo, and a plain Fastify endpoint (the baseline)
 * that runs the same services — the same SQL on the same pool — without GraphQL. Also the SQL statements per
 * request at page sizes 10, 50 and 100, and the server time of searches by partial number. And PostgreSQL's own rate
 * for the numbers page written as one statement that returns the page's JSON (`pgbench`, prepared, as many clients
 * as the load has connections, in the same turns): what the database can serve, to which the gateway is compared.
 * Usage: npm run bench:api -w gateway [-- --numbers 100000 --seconds 5 --trials 3 --connections 20]
 */
const TARGETS = { mercurius: 0.95, apollo: 0.6, p99: 1.5, ofPostgres: 0.25, searchP95Ms: 5 };

const LIST = `query ListPage($c: ID!, $first: Int) { numbers(companyId: $c, first: $first) {
  edges { node { id msisdn state balance account { accountNo paymentMethod } tariff { name } } } pageInfo { hasNextPage endCursor } } }`;
const PROFILE_FIELDS = `msisdn state stateChangedAt balance availableFunds individualLimit creditLimit isM2m roamingDebt registrationForm smsUssdBan
  account { accountNo paymentMethod } tariff { name } simCard { iccid replacedAt }
  device { lastImei lastImeiRegistered registered { imei } } tariffBalances { kind unlimited available total unit validFrom validTo }
  bonuses { kind available total unit validFrom validTo } connectedServices { service { code name } }
  availableServices { category services { code name } } callForwardings { condition target }`;
const PROFILE = `query Profile($id: ID!) { number(id: $id) { ${PROFILE_FIELDS} } }`;
/** The profile's fields on every number of a page: what its statements must not grow with. */
const PROFILES_PAGE = `query ProfilesPage($c: ID!, $first: Int) { numbers(companyId: $c, first: $first) { edges { node { ${PROFILE_FIELDS} } } } }`;
const SEARCH = `query Search($c: ID!, $s: String) { numbers(companyId: $c, search: $s, first: 50) { edges { node { msisdn state } } } }`;

/** What the GraphQL answer carries for a number of the list. */
const listNode = async (ctx: Context, node: NumberType) => {
  const [account, tariff] = await Promise.all([companyService.account(ctx, node.accountId), tariffService.get(ctx, node.tariffId)]);
  return {
    id: node.id,
    msisdn: node.msisdn,
    state: node.state,
    balance: formatMoney(node.balance),
    account: { accountNo: account.accountNo, paymentMethod: account.paymentMethod },
    tariff: { name: tariff.name },
  };
};

const pick = <T extends object, K extends keyof T>(value: T, keys: K[]) => Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;

/** What the GraphQL answer carries for a number profile: every field of PROFILE, loaded concurrently as GraphQL does. */
async function profileOf(ctx: Context, id: number) {
  const n = await numberService.get(ctx, id);
  const amount = (value: bigint | null) => (value === null ? null : Number(value));
  const bonus = (a: TariffAllowanceType) => ({ ...pick(a, ['kind', 'unit', 'validFrom', 'validTo']), available: amount(a.available), total: amount(a.total) });
  const allowance = (a: TariffAllowanceType) => ({ ...bonus(a), unlimited: a.unlimited });
  const [account, tariff, simCard, device, tariffBalances, bonuses, connected, available, callForwardings] = await Promise.all([
    companyService.account(ctx, n.accountId),
    tariffService.get(ctx, n.tariffId),
    numberService.simCard(ctx, n),
    numberService.device(ctx, n),
    tariffService.allowances(ctx, n.dbId, false),
    tariffService.allowances(ctx, n.dbId, true),
    serviceService.connected(ctx, n.dbId),
    serviceService.available(ctx, n.dbId, n.tariffId),
    numberService.callForwardings(ctx, n),
  ]);
  return {
    ...pick(n, ['msisdn', 'state', 'stateChangedAt']),
    balance: formatMoney(n.balance),
    availableFunds: formatMoney(n.availableFunds),
    individualLimit: n.individualLimit === null ? null : formatMoney(n.individualLimit),
    creditLimit: formatMoney(account.creditLimit),
    isM2m: n.isM2m,
    roamingDebt: n.roamingDebt === null ? null : formatMoney(n.roamingDebt),
    ...pick(n, ['registrationForm', 'smsUssdBan']),
    account: { accountNo: account.accountNo, paymentMethod: account.paymentMethod },
    tariff: { name: tariff.name },
    simCard: simCard && { iccid: simCard.iccid, replacedAt: simCard.replacedAt },
    device: { lastImei: device.lastImei, lastImeiRegistered: device.lastImeiRegistered, registered: device.registered.map(({ imei }) => ({ imei })) },
    tariffBalances: tariffBalances.map(allowance),
    bonuses: bonuses.map(bonus),
    connectedServices: connected.map(({ service }) => ({ service: { code: service.code, name: service.name } })),
    availableServices: available.map(({ category, services }) => ({ category, services: services.map(({ code, name }) => ({ code, name })) })),
    callForwardings: callForwardings.map(({ condition, target }) => ({ condition, target })),
  };
}

/**
 * The baseline: the gateway's own services behind plain Fastify routes, no GraphQL. The same statements on the same
 * pool as the GraphQL request, the session lookup of the cookie included; answers of the same shape.
 */
async function baseline(dataSource: DataSource): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const silent = pino({ level: 'silent' });
  const sessionCache = new SessionCache();
  const context = async (request: FastifyRequest) => {
    const cookies = parseCookie(request.headers.cookie ?? '');
    const http: HttpExchange = {
      clientAddress: request.ip,
      userAgent: request.headers['user-agent'],
      secureCookies: false,
      cookie: (name) => cookies[name],
      header: (name) => request.headers[name.toLowerCase()] as string | undefined,
      setCookie: () => undefined,
      clearCookie: () => undefined,
    };
    const ctx = new Context(dataSource, silent, 'en', 'bench', http, {
      // Sessions kept in memory between lookups, as the gateway keeps them.
      sessionCache,
      sms: undefined as never,
      operations: undefined as never,
      reports: undefined as never,
      bulk: undefined as never,
      approvals: undefined as never,
    });
    const principal = await authenticate(ctx);
    if (!principal) throw new Error('the session cookie was not accepted');
    ctx.principal = principal;
    return ctx;
  };
  app.get<{ Querystring: { companyId: string; first: string } }>('/numbers', async (request, reply) => {
    const ctx = await context(request);
    const page = await numberService.list(ctx, { companyId: Number(request.query.companyId), first: Number(request.query.first) });
    const edges = await Promise.all(page.edges.map(async ({ node }) => ({ node: await listNode(ctx, node) })));
    const pageInfo = { hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
    return reply.type('application/json').send(JSON.stringify({ data: { numbers: { edges, pageInfo } } }));
  });
  app.get<{ Params: { id: string } }>('/numbers/:id', async (request, reply) => {
    const ctx = await context(request);
    return reply.type('application/json').send(JSON.stringify({ data: { number: await profileOf(ctx, Number(request.params.id)) } }));
  });
  return app;
}

/** The numbers page of `LIST` as PostgreSQL alone answers it: one statement, the page's JSON built by the server. */
const PAGE_AS_ONE_STATEMENT = `SELECT json_build_object('data', json_build_object('numbers', json_build_object(
  'edges', coalesce(json_agg(json_build_object('node', json_build_object('id', n.id, 'msisdn', n.msisdn, 'state', n.state,
    'balance', n.balance::text, 'account', json_build_object('accountNo', a.account_no, 'paymentMethod', a.payment_method),
    'tariff', json_build_object('name', t.name))) ORDER BY n.msisdn) FILTER (WHERE n.rank <= 50), '[]'),
  'pageInfo', json_build_object('hasNextPage', count(*) > 50, 'endCursor', max(n.msisdn) FILTER (WHERE n.rank <= 50)))))
FROM (SELECT id, msisdn, state, balance, account_id, tariff_id, row_number() OVER (ORDER BY msisdn) AS rank
      FROM billing.numbers WHERE company_id = :company ORDER BY msisdn LIMIT 51) n
JOIN billing.accounts a ON a.id = n.account_id JOIN billing.tariffs t ON t.id = n.tariff_id`;

/** PostgreSQL's own rate for the page: `pgbench` (Debian's `postgresql`), prepared statements, `connections` clients. */
async function pgbenchRate(url: string, companyId: number, seconds: number, connections: number): Promise<Load> {
  const dir = await mkdtemp(join(tmpdir(), 'cabinet-pgbench-'));
  try {
    const script = join(dir, 'page.sql');
    await writeFile(script, `\\set company ${companyId}\n${PAGE_AS_ONE_STATEMENT.replace(/\n\s*/g, ' ')};\n`);
    const { stdout } = await promisify(execFile)(
      'pgbench',
      ['-n', '-M', 'prepared', '-c', String(connections), '-j', '2', '-T', String(seconds), '-f', script, url],
      { maxBuffer: 1 << 20 },
    ).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new Error('pgbench is not installed: install Debian’s postgresql package (apt-get install postgresql)');
      throw error;
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no rate:\n${stdout}`);
    // pgbench gives an average latency, not percentiles: the rate is what is compared.
    return { requestsPerSecond: Number(tps[1]), p50: NaN, p99: NaN, microsecondsPerRequest: NaN };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function load(url: string, body: string | undefined, headers: Record<string, string>, seconds: number, connections: number) {
  // The load generator runs in a worker thread, so that it does not take turns with the servers on one event loop.
  const before = performance.eventLoopUtilization();
  const result = await autocannon({ url, method: body ? 'POST' : 'GET', body, headers, duration: seconds, connections, workers: 1 });
  // The servers share this thread (the load generator has its own): the time it was busy, per answered request.
  const busy = performance.eventLoopUtilization(before);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    microsecondsPerRequest: (busy.active * 1000) / result.requests.total,
  };
}

type Load = Awaited<ReturnType<typeof load>>;

/** One answer of a server, parsed. */
async function answer([url, body]: [string, string?], headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { method: body ? 'POST' : 'GET', body, headers });
  return response.json();
}

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const seconds = option('seconds', 5);
  const trialCount = option('trials', 5);
  const warmup = option('warmup', 3);
  const connections = option('connections', 20);
  const db = await openBenchDatabase(numbers);
  const { dataSource, companyId } = db;
  const servers: FastifyInstance[] = [];
  try {
    const [cookie] = await sessionCookies(dataSource, db.administratorId, 1);
    const [number] = await dataSource.query(`SELECT id, msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn OFFSET $2 LIMIT 1`, [
      companyId,
      Math.floor(numbers / 2),
    ]);
    const variables = { c: toGlobalId('Company', companyId), first: 50 };
    const headers = { 'content-type': 'application/json', cookie };

    const base = await baseline(dataSource);
    servers.push(base);
    const baseUrl = await base.listen({ port: 0, host: '127.0.0.1' });
    const stats: RequestStats[] = [];
    const apps: Partial<Record<GatewayEngine, FastifyInstance>> = {};
    const targets: Record<string, { list: [string, string?]; profile: [string, string?] }> = {
      baseline: { list: [`${baseUrl}/numbers?companyId=${companyId}&first=50`], profile: [`${baseUrl}/numbers/${number.id}`] },
    };
    for (const engine of ['mercurius', 'apollo'] as GatewayEngine[]) {
      const app = await buildApp({
        config: loadConfig({ GATEWAY_ENGINE: engine }),
        dataSource,
        log: pino({ level: 'silent' }),
        onRequestStats: (s) => stats.push(s),
      });
      servers.push(app);
      apps[engine] = app;
      const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
      targets[engine] = {
        list: [url, JSON.stringify({ query: LIST, variables, operationName: 'ListPage' })],
        profile: [url, JSON.stringify({ query: PROFILE, variables: { id: toGlobalId('Number', number.id) }, operationName: 'Profile' })],
      };
    }
    // The baseline answers what the GraphQL servers answer, field for field, formatted as they format it.
    for (const engine of ['mercurius', 'apollo'] as GatewayEngine[])
      for (const query of ['list', 'profile'] as const)
        assert.deepStrictEqual(await answer(targets[engine][query], headers), await answer(targets.baseline[query], headers), `${engine}, ${query}`);
    // The three servers take turns, trial after trial, in the opposite order every other trial, and each ratio is the
    // median of a trial's ratios: a machine whose speed drifts during the run then shifts both sides of a ratio alike
    // instead of whichever ran at the busy moment.
    const trials: Record<string, Record<'list' | 'profile', Load[]>> = {};
    for (const [name, target] of Object.entries(targets)) {
      trials[name] = { list: [], profile: [] };
      for (const query of ['list', 'profile'] as const) await load(target[query][0], target[query][1], headers, warmup, connections);
    }
    const postgres: Load[] = [];
    await pgbenchRate(db.url, companyId, warmup, connections);
    for (let trial = 0; trial < trialCount; trial++) {
      for (const query of ['list', 'profile'] as const) {
        const turns = trial % 2 === 0 ? Object.entries(targets) : Object.entries(targets).reverse();
        for (const [name, target] of turns) trials[name][query].push(await load(target[query][0], target[query][1], headers, seconds, connections));
        if (query === 'list') postgres.push(await pgbenchRate(db.url, companyId, seconds, connections));
      }
    }
    const middle = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];
    const median = (runs: Load[]): Load => {
      const pick = (key: keyof Load) => middle(runs.map((r) => r[key]));
      return { requestsPerSecond: pick('requestsPerSecond'), p50: pick('p50'), p99: pick('p99'), microsecondsPerRequest: pick('microsecondsPerRequest') };
    };
    /** The median of a trial's ratios of `engine` to the baseline. */
    const ratio = (engine: string, query: 'list' | 'profile', key: 'requestsPerSecond' | 'p99') =>
      middle(trials[engine][query].map((r, i) => r[key] / trials.baseline[query][i][key]));
    const baselines = { list: median(trials.baseline.list), profile: median(trials.baseline.profile) };
    const rows: (string | number)[][] = [];
    const row = (query: string, engine: string, r: Load, ratios: { requestsPerSecond: number; p99: number }) =>
      rows.push([
        query,
        engine,
        r.requestsPerSecond.toFixed(0),
        r.p50,
        r.p99,
        r.microsecondsPerRequest.toFixed(0),
        ratios.requestsPerSecond.toFixed(2),
        ratios.p99.toFixed(2),
      ]);
    const one = { requestsPerSecond: 1, p99: 1 };
    row('numbers page', 'baseline', baselines.list, one);
    row('number profile', 'baseline', baselines.profile, one);

    const postgresRate = median(postgres).requestsPerSecond;
    const results: Record<string, unknown> = {
      numbers,
      seconds,
      trials: trialCount,
      connections,
      baseline: baselines,
      postgres: { list: { requestsPerSecond: postgresRate }, runs: postgres.map((r) => r.requestsPerSecond) },
      baselineOfPostgres: baselines.list.requestsPerSecond / postgresRate,
      runs: trials,
      targets: TARGETS,
    };
    for (const engine of ['mercurius', 'apollo'] as GatewayEngine[]) {
      const app = apps[engine]!;
      const list = median(trials[engine].list);
      const profile = median(trials[engine].profile);
      const listRatio = { requestsPerSecond: ratio(engine, 'list', 'requestsPerSecond'), p99: ratio(engine, 'list', 'p99') };
      const profileRatio = { requestsPerSecond: ratio(engine, 'profile', 'requestsPerSecond'), p99: ratio(engine, 'profile', 'p99') };
      row('numbers page', engine, list, listRatio);
      row('number profile', engine, profile, profileRatio);
      results[engine] = {
        list,
        profile,
        listRatio,
        profileRatio,
        listOfPostgres: list.requestsPerSecond / postgresRate,
      };

      // Requests still in flight from the load run finish first, so each count is taken by its own operation name.
      await sleep(500);
      const count = async (query: string, vars: Record<string, unknown>, name: string) => {
        await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: query.replace(/^query \w+/, `query ${name}`), variables: vars } });
        await sleep(20);
        return stats.find((s) => s.operation === name)?.sqlStatements ?? -1;
      };
      // The session's lookup, kept for a few seconds, is read again first: what the counts compare is the page's own.
      await count(LIST, variables, 'CountSession');
      const statements: Record<string, Record<number, number>> = { list: {}, profile: {} };
      for (const first of [10, 50, 100]) {
        statements.list[first] = await count(LIST, { ...variables, first }, `CountList${first}`);
        statements.profile[first] = await count(PROFILES_PAGE, { ...variables, first }, `CountProfiles${first}`);
      }
      results[`${engine}Statements`] = statements;

      if (engine === 'mercurius') {
        stats.length = 0;
        const digits = String(number.msisdn);
        for (let i = 0; i < 300; i++) {
          const start = i % 6;
          const search = digits.slice(start, start + 4 + (i % 5));
          await app.inject({
            method: 'POST',
            url: '/graphql',
            headers,
            payload: { query: SEARCH, variables: { c: variables.c, s: search }, operationName: 'Search' },
          });
        }
        await sleep(50);
        results.search = summarize(stats.filter((s) => s.operation === 'Search').map((s) => s.seconds * 1000));
      }
    }

    console.log(
      `\n${numbers.toLocaleString('en')} numbers, ${connections} connections, median of ${trialCount} runs of ${seconds} s taken in turns ` +
        '(ratios: the median of each turn’s ratio to the baseline; µs: the servers’ thread, busy, per request)',
    );
    printTable(['query', 'engine', 'req/s', 'p50 ms', 'p99 ms', 'µs/request', 'req/s ratio', 'p99 ratio'], rows);
    const ofPostgres = (engine: string) => (results[engine] as { listOfPostgres: number }).listOfPostgres;
    printTable(
      ['numbers page', 'req/s', '÷ PostgreSQL alone'],
      [
        ['PostgreSQL alone (pgbench, the page as one statement)', postgresRate.toFixed(0), '1.00'],
        ['baseline', baselines.list.requestsPerSecond.toFixed(0), (results.baselineOfPostgres as number).toFixed(2)],
        ...(['mercurius', 'apollo'] as const).map((engine) => [
          engine,
          (results[engine] as { list: Load }).list.requestsPerSecond.toFixed(0),
          ofPostgres(engine).toFixed(2),
        ]),
      ],
    );
    printTable(
      ['SQL statements per request', 'page 10', 'page 50', 'page 100'],
      ['mercurius', 'apollo'].flatMap((engine) => {
        const s = results[`${engine}Statements`] as { list: Record<number, number>; profile: Record<number, number> };
        return [
          [`numbers page (${engine})`, s.list[10], s.list[50], s.list[100]],
          [`profile fields on a page (${engine})`, s.profile[10], s.profile[50], s.profile[100]],
        ];
      }),
    );
    const search = results.search as ReturnType<typeof summarize>;
    console.log(
      `\nsearch by partial number, server time: p50 ${search.p50.toFixed(1)} ms, p95 ${search.p95.toFixed(1)} ms (target ≤ ${TARGETS.searchP95Ms} ms)`,
    );
    console.log(
      `targets: mercurius ≥ ${TARGETS.mercurius}× baseline req/s, Apollo ≥ ${TARGETS.apollo}×, p99 ≤ ${TARGETS.p99}× baseline p99; the numbers page ≥ ${TARGETS.ofPostgres}× PostgreSQL alone`,
    );
    await writeResults('api', results);
  } finally {
    for (const server of servers) await server.close();
    await db.close();
  }
}

runMain(main);
