import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * A PostgreSQL primary and a streaming standby of it, made with the distribution's server binaries (Debian's
 * `postgresql` package: `/usr/lib/postgresql/<version>/bin`) as the several-hosts test makes them (`initdb`,
 * `pg_basebackup -R`, `pg_ctl`), here on loopback ports of this machine, in a temporary directory removed by `stop`.
 * As root, the servers run as the `postgres` user.
 */
export interface ReplicatedPair {
  /** The database's URL on the primary or on the standby. */
  url(server: 'primary' | 'standby', database?: string): string;
  /** Runs one statement on a server (as the superuser) and returns its rows. */
  sql<T = Record<string, unknown>>(server: 'primary' | 'standby', statement: string, params?: unknown[]): Promise<T[]>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once the standby has replayed everything the primary had flushed when it was called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stopStandby(): Promise<void>;
  startStandby(): Promise<void>;
  /** Stops both servers at once and removes their directory; safe to call twice. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** The newest server binaries installed, or a message saying what to install. */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_basebackup')) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are not installed under ${root}/<version>/bin: install Debian's postgresql package (apt-get install postgresql)`,
    );
  }
  return join(root, versions.at(-1)!, 'bin');
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export async function startReplicatedPair({ database = 'cabinet', settings = [] as string[] } = {}): Promise<ReplicatedPair> {
  const bin = serverBinaries();
  const root = userInfo().uid === 0;
  // PostgreSQL refuses to run as root: the servers and the tools that write their directories run as `postgres`.
  const owner = root ? { uid: Number(spawnSync('id', ['-u', 'postgres']).stdout), gid: Number(spawnSync('id', ['-g', 'postgres']).stdout) } : undefined;
  if (owner && !(owner.uid > 0)) throw new Error('As root, the servers run as the postgres user, and there is none: install Debian’s postgresql package');
  const as = (tool: string, args: string[]) =>
    owner ? run('setpriv', [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', join(bin, tool), ...args]) : run(join(bin, tool), args);
  const dir = await mkdtemp(join(tmpdir(), 'cabinet-standby-'));
  await chmod(dir, 0o755);
  if (owner) await chown(dir, owner.uid, owner.gid);
  const servers = {
    primary: { data: join(dir, 'primary'), port: await freePort(), running: false },
    standby: { data: join(dir, 'standby'), port: await freePort(), running: false },
  };
  const pgCtl = async (server: 'primary' | 'standby', ...args: string[]) => {
    await as('pg_ctl', ['-D', servers[server].data, '-l', `${servers[server].data}.log`, ...args]);
  };
  const url = (server: 'primary' | 'standby', name = database) => `postgres://postgres@127.0.0.1:${servers[server].port}/${name}`;
  let stopped = false;
  const stopAll = () => {
    // Synchronous, so that it also runs from the process's exit when a test run is cut short.
    for (const server of ['standby', 'primary'] as const) {
      if (!servers[server].running) continue;
      servers[server].running = false;
      const args = [join(bin, 'pg_ctl'), '-D', servers[server].data, '-m', 'immediate', 'stop'];
      if (owner) spawnSync('setpriv', [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', ...args]);
      else spawnSync(args[0], args.slice(1));
    }
  };
  process.once('exit', stopAll);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    stopAll();
    process.removeListener('exit', stopAll);
    await rm(dir, { recursive: true, force: true });
  };

  const sql = async <T>(server: 'primary' | 'standby', statement: string, params: unknown[] = [], name = database): Promise<T[]> => {
    const client = new Client({ connectionString: url(server, name) });
    await client.connect();
    try {
      return (await client.query(statement, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  try {
    await as('initdb', ['-D', servers.primary.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
    await appendFile(
      join(servers.primary.data, 'postgresql.auto.conf'),
      [
        `port = ${servers.primary.port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'max_connections = 200',
        'wal_level = replica',
        'max_wal_senders = 5',
        'hot_standby = on',
        'fsync = off',
        ...settings,
        '',
      ].join('\n'),
    );
    await writeFile(
      join(servers.primary.data, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n',
    );
    await pgCtl('primary', '-w', 'start');
    servers.primary.running = true;
    await sql('primary', `CREATE DATABASE ${database}`, [], 'postgres');
    await as('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(servers.primary.port),
      '-U',
      'postgres',
      '-D',
      servers.standby.data,
      '-X',
      'stream',
      '-R',
      '-c',
      'fast',
    ]);
    // Appended after the primary's own lines, which the base backup copied: the later setting wins.
    await appendFile(join(servers.standby.data, 'postgresql.auto.conf'), `port = ${servers.standby.port}\ncluster_name = 'standby'\n`);
    await pgCtl('standby', '-w', 'start');
    servers.standby.running = true;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    sql: (server, statement, params) => sql(server, statement, params),
    pauseReplay: async () => void (await sql('standby', 'SELECT pg_wal_replay_pause()')),
    resumeReplay: async () => void (await sql('standby', 'SELECT pg_wal_replay_resume()')),
    async caughtUp(timeoutMs = 30_000) {
      const [{ lsn }] = await sql<{ lsn: string }>('primary', 'SELECT pg_current_wal_flush_lsn()::text AS lsn');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ done }] = await sql<{ done: boolean }>('standby', 'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done', [lsn]);
        if (done) return;
        if (Date.now() > deadline) throw new Error(`the standby did not replay up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stopStandby() {
      await pgCtl('standby', '-m', 'fast', '-w', 'stop');
      servers.standby.running = false;
    },
    async startStandby() {
      await pgCtl('standby', '-w', 'start');
      servers.standby.running = true;
    },
    stop,
  };
}
