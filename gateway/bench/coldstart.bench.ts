import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { option, printTable, round, runMain, summarize, writeResults } from './harness';

/**
 * Cold start of the gateway as `npm start` runs it (`dist/main.js`, embedded PostgreSQL, default configuration) to
 * the first answered numbers query, on an empty data directory (cluster creation, migrations, demo seed, the first
 * sign-in through SMS recovery) and on the same directory again (sign-in with the password). Each run is the smoke
 * test, which also checks that SIGTERM and SIGINT stop the gateway and its PostgreSQL cleanly.
 * Usage: npm run bench:coldstart -w gateway [-- --runs 3]
 */
const SMOKE = join(__dirname, '..', '..', '..', 'test', 'smoke.mjs');
const TARGETS = { emptySeconds: 30 };

function smoke(): Promise<{ coldStartSeconds: number; warmStartSeconds: number }> {
  return new Promise((resolve, reject) => {
    // The smoke test starts an embedded server in a directory of its own: an inherited DATABASE_URL would bypass it.
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, [SMOKE], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.on('data', (chunk: Buffer) => (last = (last + chunk.toString()).split('\n').slice(-2).join('\n')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = last.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`the smoke test exited with ${code}`));
      resolve(JSON.parse(line));
    });
  });
}

async function main(): Promise<void> {
  const runs = option('runs', 3);
  const results: { coldStartSeconds: number; warmStartSeconds: number }[] = [];
  for (let i = 0; i < runs; i++) results.push(await smoke());
  const empty = summarize(results.map((r) => r.coldStartSeconds));
  const existing = summarize(results.map((r) => r.warmStartSeconds));
  printTable(
    ['start to the first answered query', 'runs', 'median s', 'max s'],
    [
      ['empty data directory', runs, round(empty.p50, 2), round(empty.max, 2)],
      ['existing data directory', runs, round(existing.p50, 2), round(existing.max, 2)],
    ],
  );
  await writeResults('coldstart', { runs: results, emptySeconds: empty, existingSeconds: existing, targets: TARGETS });
}

runMain(main);
