import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { machine, openBenchDatabase, option, runMain, writeResults } from './harness';

/**
 * `npm run bench`: every benchmark in turn on one database seeded once (an embedded PostgreSQL in a temporary
 * directory, or `DATABASE_URL`), each in a process of its own. Arguments are passed on to each benchmark
 * (e.g. `-- --numbers 5000 --seconds 5` for a quick try); `--only api,fanout` picks some. `replica` makes a primary and
 * a standby of its own with the distribution's PostgreSQL binaries (Debian's `postgresql`) and seeds its company there.
 */
const BENCHMARKS = ['api', 'fanout', 'load', 'bulk', 'coldstart', 'documents', 'persisted', 'replica'];

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
  await writeResults('run', { seconds, totalSeconds: total });
}

runMain(main);
