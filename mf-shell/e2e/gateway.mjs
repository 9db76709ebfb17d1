// Starts the built gateway the way `npm start` does (gateway/test/smoke.mjs does the same): an empty temporary
// data directory with the embedded PostgreSQL, the demo data, and the front-end builds registered at start-up.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../../gateway/dist/start-command.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START = startCommand();

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Runs a gateway for the tests (`overrides` on top of its environment); `smsCodes(phone)` lists the recovery codes it "sent", read from its log. */
export async function startGateway(overrides = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cabinet-e2e-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const deployToken = randomBytes(24).toString('hex');
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DEPLOY_TOKEN: deployToken,
    BILLING_DELAY_MS: '500',
    ...overrides,
  };
  const child = spawn(process.execPath, [...START.flags, START.main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sms = [];
  const log = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    log.push(line);
    try {
      const entry = JSON.parse(line);
      if (entry.sms) sms.push(entry.sms);
      if (entry.level >= 50) process.stderr.write(`gateway: ${line}\n`);
    } catch {
      // not a log line
    }
  });
  child.stderr.on('data', (chunk) => process.stderr.write(`gateway: ${chunk}`));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}:\n${log.slice(-20).join('\n')}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the gateway did not become ready in 90 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    dataDir,
    deployToken,
    env,
    log,
    /** The 6-digit codes of the recovery SMS sent to the phone, oldest first. */
    smsCodes: (phone) =>
      sms
        .filter((m) => m.to === phone)
        .map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])
        .filter(Boolean),
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` returns something truthy. */
export async function eventually(check, { timeout = 10_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
