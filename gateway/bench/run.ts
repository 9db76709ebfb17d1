import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machine, openBenchDatabase, option, printTable, RESULTS_DIR, round, runMain, writeResults } from './harness';

/**
 * `npm run bench`: every benchmark in turn on one database seeded once (an embedded PostgreSQL in a temporary
 * directory, or `DATABASE_URL`), each in a process of its own. Arguments are passed on to each benchmark
 * (e.g. `-- --numbers 5000 --seconds 5` for a quick try); `--only api,fanout` picks some. `replica` makes a primary and
 * a standby of its own with the distribution's PostgreSQL binaries (Debian's `postgresql`) and seeds its company there.
 */
const BENCHMARKS = ['api', 'fanout', 'load', 'bulk', 'coldstart', 'documents', 'persisted', 'replica'];

/** Minutes the whole run may take on the 2-core machine. */
const TOTAL_MINUTES = 15;
/** The number profile's rate the targets were set against (mercurius, 2 cores): it is to double. */
const PROFILE_BEFORE = 544;

/** A benchmark's results as this run wrote them; undefined when it did not run or wrote them before `since`. */
async function resultsOf(name: string, since: number): Promise<any> {
  try {
    const results = JSON.parse(await readFile(join(RESULTS_DIR, `${name}.json`), 'utf8'));
    return Date.parse(results.at) >= since ? results : undefined;
  } catch {
    return undefined;
  }
}

/** Every target of the benchmarks in one table: the figure this run measured, the target, and whether it is met. */
async function printTargets(since: number, totalMinutes: number): Promise<void> {
  const [api, fanout, load, coldstart] = await Promise.all(['api', 'fanout', 'load', 'coldstart'].map((name) => resultsOf(name, since)));
  const rows: (string | number)[][] = [];
  const check = (figure: string, measured: string, target: string, met: boolean | undefined) =>
    rows.push([figure, measured, target, met === undefined ? 'not run' : met ? 'met' : 'MISSED']);
  const x = (value: number) => `${value.toFixed(2)}×`;
  if (api) {
    const { mercurius: m, apollo: a, targets: t } = api;
    check(
      'numbers page ÷ PostgreSQL alone (mercurius / Apollo)',
      `${x(m.listOfPostgres)} / ${x(a.listOfPostgres)}`,
      `≥ ${t.ofPostgres}×`,
      m.listOfPostgres >= t.ofPostgres,
    );
    check(
      'mercurius ÷ baseline req/s, numbers page / profile',
      `${x(m.listRatio.requestsPerSecond)} / ${x(m.profileRatio.requestsPerSecond)}`,
      `≥ ${t.mercurius}× both`,
      Math.min(m.listRatio.requestsPerSecond, m.profileRatio.requestsPerSecond) >= t.mercurius,
    );
    check(
      'Apollo ÷ baseline req/s, numbers page / profile',
      `${x(a.listRatio.requestsPerSecond)} / ${x(a.profileRatio.requestsPerSecond)}`,
      `≥ ${t.apollo}× both`,
      Math.min(a.listRatio.requestsPerSecond, a.profileRatio.requestsPerSecond) >= t.apollo,
    );
    const pages = ['mercurius', 'apollo'].flatMap((engine) => Object.values(api[`${engine}Statements`].list as Record<string, number>));
    check(
      'SQL statements per numbers page, sizes 10 / 50 / 100',
      Object.values(api.mercuriusStatements.list).join(' / '),
      '≤ 2, constant',
      Math.max(...pages) <= 2 && new Set(pages).size === 1,
    );
    check(
      'number profile req/s (mercurius)',
      round(m.profile.requestsPerSecond, 0).toString(),
      `≥ ${2 * PROFILE_BEFORE} (2× ${PROFILE_BEFORE})`,
      m.profile.requestsPerSecond >= 2 * PROFILE_BEFORE,
    );
    check('search by 4–8 digits, p95 server time', `${round(api.search.p95)} ms`, `≤ ${t.searchP95Ms} ms`, api.search.p95 <= t.searchP95Ms);
  }
  if (load) {
    check('load held (mixed, p99 ≤ 200 ms, no error, nothing lost)', `${load.heldRate ?? 0}/s`, '≥ 400/s', (load.heldRate ?? 0) >= 400);
    check('events lost at 2× the held rate', String(load.overload?.lostEvents ?? 'not run'), '0', load.overload ? load.overload.lostEvents === 0 : undefined);
  }
  if (fanout) {
    const p99 = Math.max(fanout.latencyMs.inProcessFromPublish.p99, fanout.latencyMs.appliedFromPublish.p99);
    check(`fan-out p99, ${fanout.clients ?? 1000} subscribers, from the wake-up`, `${round(p99)} ms`, '≤ 50 ms', p99 <= 50);
    // The heap's growth while the sockets open is in RSS too, and stays for what comes after: what each socket keeps is
    // what the process retains after a full collection (the README's section 4 shows RSS flatten past the growth).
    const retained = Math.max(...(fanout.retainedKbPerConnection as number[]));
    const rss = Math.max(...(fanout.rssKbPerConnection as number[]));
    check(
      'memory retained per idle subscribed socket (highest process; RSS growth)',
      `${round(retained, 0)} KB (${round(rss, 0)} KB)`,
      '≤ 50 KB',
      retained <= 50,
    );
  }
  if (coldstart) {
    const [empty, existing] = [coldstart.emptySeconds.p50, coldstart.existingSeconds.p50];
    check(
      'cold start, empty / existing data directory',
      `${round(empty, 1)} / ${round(existing, 1)} s`,
      '≤ 2.4 / 1.0 s (kept)',
      empty <= 2.4 && existing <= 1.0,
    );
  }
  check('the whole run', `${totalMinutes.toFixed(1)} min`, `≤ ${TOTAL_MINUTES} min`, totalMinutes <= TOTAL_MINUTES);
  console.log('\ntargets');
  printTable(['figure', 'measured', 'target', ''], rows);
}

function run(name: string, env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, `${name}.bench.js`), ...args], { env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the ${name} benchmark exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : BENCHMARKS;
  const args = process.argv.slice(2).filter((_, i, all) => all[i] !== '--only' && all[i - 1] !== '--only');
  console.log(`machine: ${JSON.stringify(machine())}`);
  const db = await openBenchDatabase(option('numbers', 100_000));
  const seconds: Record<string, number> = {};
  try {
    for (const name of BENCHMARKS.filter((b) => only.includes(b))) {
      const at = Date.now();
      console.log(`\n=== ${name} ===`);
      await run(name, { ...process.env, DATABASE_URL: db.url }, args);
      seconds[name] = (Date.now() - at) / 1000;
    }
  } finally {
    await db.close();
  }
  const total = (Date.now() - started) / 1000;
  console.log(
    `\nall benchmarks: ${(total / 60).toFixed(1)} min (${Object.entries(seconds)
      .map(([name, s]) => `${name} ${s.toFixed(0)} s`)
      .join(', ')})`,
  );
  await printTargets(started, total / 60);
  await writeResults('run', { seconds, totalSeconds: total });
}

runMain(main);
