// Starts the built gateway as `npm start` does, on an empty data directory and then on the same one
// again, and measures the time from start to the first answered numbers query. Stops it with
// SIGTERM and SIGINT and checks that it exits cleanly with the embedded PostgreSQL stopped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function firstAnswer(port, child, deadline) {
  const query = `{ companies { id name } }`;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    try {
      const companies = await (await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })).json();
      const company = companies.data.companies.find((c) => c.name === 'TOO Кабинет');
      const numbers = await (await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($c: ID!) { numbers(companyId: $c, first: 50) { edges { node { msisdn state } } } }',
          variables: { c: company.id },
        }),
      })).json();
      if (numbers.data.numbers.edges.some((e) => e.node.msisdn === '77010542006')) return;
      throw new Error(`unexpected answer ${JSON.stringify(numbers)}`);
    } catch (error) {
      if (error.message.startsWith('unexpected')) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('no answer in time');
}

async function run(dataDir, label, signal) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await firstAnswer(port, child, started + 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`${label}: first numbers query answered ${seconds.toFixed(1)} s after start`);
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill(signal);
  const code = await exited;
  if (code !== 0) throw new Error(`${label}: exit code ${code} after ${signal}`);
  if (existsSync(join(dataDir, 'pg', 'postmaster.pid'))) throw new Error(`${label}: PostgreSQL still running after ${signal}`);
  console.log(`${label}: ${signal} stopped the gateway and its PostgreSQL cleanly`);
  return seconds;
}

const dataDir = await mkdtemp(join(tmpdir(), 'cabinet-smoke-'));
await chmod(dataDir, 0o755);
try {
  const cold = await run(dataDir, 'empty data directory', 'SIGTERM');
  const warm = await run(dataDir, 'existing data directory', 'SIGINT');
  if (cold > 30) throw new Error(`cold start took ${cold} s (target 30 s)`);
  console.log(JSON.stringify({ coldStartSeconds: cold, warmStartSeconds: warm }));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
