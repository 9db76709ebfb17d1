import autocannon from 'autocannon';
import { toGlobalId } from '../src/core/ids';
import { startReplicatedPair } from '../src/test/standby';
import { cpuSecondsOf, graphqlData, openBenchDatabase, option, printTable, round, runMain, sessionCookies, spawnGateway, writeResults } from './harness';

/**
 * The numbers page (50 numbers with account, tariff, state, balance) of the 100,000-number company against one
 * gateway process reading from the primary alone, and against one with DATABASE_READ_URL, its reads from a streaming
 * standby. The pair is made with the distribution's PostgreSQL binaries as the standby test makes it (initdb,
 * pg_basebackup -R, both on this machine), the company seeded on the primary by the same code as the other
 * benchmarks' and replayed by the standby before the runs. Trials alternate between the two processes and each keeps
 * its median. On one machine the standby adds no capacity: the figures say what routing costs, and where reads ran.
 * Usage: npm run bench:replica -w gateway [-- --numbers 100000 --seconds 5 --trials 3 --connections 20]
 */
const LIST = `query ListPage($c: ID!, $first: Int) { numbers(companyId: $c, first: $first) {
  edges { node { id msisdn state balance account { accountNo paymentMethod } tariff { name } } } pageInfo { hasNextPage endCursor } } }`;

async function load(url: string, body: string, cookie: string, seconds: number, connections: number) {
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', cookie },
    duration: seconds,
    connections,
    workers: 1,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requests: result.requests.total, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

type Load = Awaited<ReturnType<typeof load>>;

/** The gateway's count of queries by where they read, from its /metrics. */
async function queriesBy(url: string): Promise<{ primary: number; standby: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (database: string) => Number(new RegExp(`cabinet_graphql_queries_total\\{database="${database}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { primary: count('primary'), standby: count('standby') };
}

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const seconds = option('seconds', 5);
  const trialCount = option('trials', 3);
  const warmup = option('warmup', 3);
  const connections = option('connections', 20);
  const pair = await startReplicatedPair();
  try {
    // The benchmarks' own database code, on the pair's primary: migrations, the seed of the company, its administrator.
    process.env.DATABASE_URL = pair.url('primary');
    const db = await openBenchDatabase(numbers);
    try {
      const [cookie] = await sessionCookies(db.dataSource, db.administratorId, 1);
      await pair.caughtUp(120_000);
      const body = JSON.stringify({ query: LIST, variables: { c: toGlobalId('Company', db.companyId), first: 50 }, operationName: 'ListPage' });
      const primaryOnly = await spawnGateway({ DATABASE_URL: pair.url('primary'), RUN_WORKER: 'false' });
      const withStandby = await spawnGateway({ DATABASE_URL: pair.url('primary'), DATABASE_READ_URL: pair.url('standby'), RUN_WORKER: 'false' });
      const gateways = { 'primary only': primaryOnly, 'standby for reads': withStandby };
      try {
        const trials: Record<string, Load[]> = { 'primary only': [], 'standby for reads': [] };
        const cpu: Record<string, number> = { 'primary only': 0, 'standby for reads': 0 };
        for (const gateway of Object.values(gateways)) {
          await graphqlData(gateway.url, cookie, LIST, { c: toGlobalId('Company', db.companyId), first: 50 });
          await load(gateway.url, body, cookie, warmup, connections);
        }
        const before = await queriesBy(withStandby.url);
        for (let trial = 0; trial < trialCount; trial++) {
          for (const [name, gateway] of Object.entries(gateways)) {
            const cpuBefore = cpuSecondsOf(gateway.pid);
            trials[name].push(await load(gateway.url, body, cookie, seconds, connections));
            cpu[name] += cpuSecondsOf(gateway.pid) - cpuBefore;
          }
        }
        const after = await queriesBy(withStandby.url);
        const median = (runs: Load[]) => {
          const pick = (key: keyof Load) => runs.map((r) => r[key]).sort((x, y) => x - y)[Math.floor((runs.length - 1) / 2)];
          return { requestsPerSecond: pick('requestsPerSecond'), p50: pick('p50'), p99: pick('p99') };
        };
        const results: Record<string, unknown> = { numbers, seconds, trials: trialCount, connections, runs: trials };
        const rows: (string | number)[][] = [];
        const base = median(trials['primary only']);
        for (const name of Object.keys(gateways)) {
          const m = median(trials[name]);
          const requests = trials[name].reduce((sum, r) => sum + r.requests, 0);
          const cpuMsPerRequest = (cpu[name] * 1000) / requests;
          results[name] = { ...m, cpuMsPerRequest };
          rows.push([name, m.requestsPerSecond.toFixed(0), m.p50, m.p99, (m.requestsPerSecond / base.requestsPerSecond).toFixed(2), round(cpuMsPerRequest, 2)]);
        }
        const routed = { primary: after.primary - before.primary, standby: after.standby - before.standby };
        results.queriesOfTheStandbyGateway = routed;
        console.log(`\n${numbers.toLocaleString('en')} numbers, ${connections} connections, median of ${trialCount} runs of ${seconds} s, taken in turns`);
        printTable(['numbers page', 'req/s', 'p50 ms', 'p99 ms', 'req/s ratio', 'gateway CPU ms/req'], rows);
        console.log(`queries of the gateway with the standby during the trials: ${routed.standby} read from the standby, ${routed.primary} from the primary`);
        await writeResults('replica', results);
      } finally {
        await primaryOnly.stop();
        await withStandby.stop();
      }
    } finally {
      await db.close();
    }
  } finally {
    await pair.stop();
  }
}

runMain(main);
