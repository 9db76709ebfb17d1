// Starts the built gateway as `npm start` does (the flags and script of its start script), on an empty
// data directory and then on the same one again. The first run signs the demo administrator in the way a
// new user does (password recovery with the code from the SMS outbox in the log), the second with the
// password set then. Measures the time from start to the first answered numbers query, stops with
// SIGTERM / SIGINT, and checks a clean exit with the embedded PostgreSQL stopped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCommand } from '../dist/start-command.js';

const { flags, main } = startCommand();
const PHONE = '77012112170';
const PASSWORD = 'snow falls on the steppe at dawn';

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function graphql(port, query, variables, cookie) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  const setCookie = response.headers.get('set-cookie');
  return { data: body.data, cookie: setCookie ? setCookie.split(';')[0] : cookie };
}

async function until(deadline, what, attempt) {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${error.message}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function run(dataDir, label, signal, signIn) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [...flags, main], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const codes = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const entry = JSON.parse(line);
      if (entry.sms?.to === PHONE) codes.push(/\b(\d{6})\b/.exec(entry.sms.text)[1]);
      if (entry.level >= 50) console.error(line);
    } catch {
      console.log(line);
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = started + 60_000;
    await until(deadline, 'ready', async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.status !== 200) throw new Error(`readyz ${response.status}`);
    });
    const cookie = await signIn(port, () => until(deadline, 'SMS code in the log', async () => codes.at(-1) ?? Promise.reject(new Error('none yet'))));
    const { data } = await graphql(port, '{ companies { id name } }', {}, cookie);
    const company = data.companies.find((c) => c.name === 'TOO Кабинет');
    const numbers = await graphql(port, 'query($c: ID!) { numbers(companyId: $c, first: 50) { edges { node { msisdn state } } } }', { c: company.id }, cookie);
    if (!numbers.data.numbers.edges.some((e) => e.node.msisdn === '77010542006')) throw new Error('77010542006 is missing');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`${label}: first numbers query answered ${seconds.toFixed(1)} s after start`);
  child.kill(signal);
  const code = await exited;
  if (code !== 0) throw new Error(`${label}: exit code ${code} after ${signal}`);
  if (existsSync(join(dataDir, 'pg', 'postmaster.pid'))) throw new Error(`${label}: PostgreSQL still running after ${signal}`);
  console.log(`${label}: ${signal} stopped the gateway and its PostgreSQL cleanly`);
  return seconds;
}

const viaRecovery = async (port, nextCode) => {
  await graphql(port, 'mutation($p: String!) { startPasswordRecovery(phone: $p) { resendAvailableAt } }', { p: PHONE });
  const code = await nextCode();
  const { data } = await graphql(port, 'mutation($p: String!, $c: String!) { verifyRecoveryCode(phone: $p, code: $c) { recoveryToken } }', {
    p: PHONE,
    c: code,
  });
  const done = await graphql(
    port,
    'mutation($t: String!, $w: String!) { completePasswordRecovery(recoveryToken: $t, password: $w, passwordRepeat: $w) { name } }',
    { t: data.verifyRecoveryCode.recoveryToken, w: PASSWORD },
  );
  return done.cookie;
};
const viaPassword = async (port) =>
  (await graphql(port, 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { name } }', { p: PHONE, w: PASSWORD })).cookie;

const dataDir = await mkdtemp(join(tmpdir(), 'cabinet-smoke-'));
await chmod(dataDir, 0o755);
try {
  const cold = await run(dataDir, 'empty data directory (first sign-in through SMS recovery)', 'SIGTERM', viaRecovery);
  const warm = await run(dataDir, 'existing data directory (sign-in with the password)', 'SIGINT', viaPassword);
  if (cold > 30) throw new Error(`cold start took ${cold} s (target 30 s)`);
  console.log(JSON.stringify({ coldStartSeconds: cold, warmStartSeconds: warm }));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
