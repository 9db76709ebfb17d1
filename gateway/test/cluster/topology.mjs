// The hosts of the cluster test: network namespaces on one bridge, and the Debian servers each runs.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Addresses of the test's own, used only inside the namespaces it makes. */
export const SUBNET = '10.231.0';
export const HOSTS = {
  pg1: `${SUBNET}.11`,
  pg2: `${SUBNET}.12`,
  bouncer: `${SUBNET}.20`,
  gw1: `${SUBNET}.31`,
  gw2: `${SUBNET}.32`,
  gw3: `${SUBNET}.33`,
  wk1: `${SUBNET}.41`,
  wk2: `${SUBNET}.42`,
  lb: `${SUBNET}.50`,
  client: `${SUBNET}.60`,
};
const PREFIX = 'cabcl-';
const SWITCH = `${PREFIX}sw`;
export const ns = (host) => `${PREFIX}${host}`;

export const PG_BIN = (() => {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  return `/usr/lib/postgresql/${versions.at(-1) ?? '15'}/bin`;
})();

function sh(command, args, { allowFail = false } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0 && !allowFail) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** One bridge in its own namespace; every host a namespace with one veth to it. */
export function createNetwork() {
  destroyNetwork();
  sh('ip', ['netns', 'add', SWITCH]);
  sh('ip', ['-n', SWITCH, 'link', 'add', 'br0', 'type', 'bridge']);
  sh('ip', ['-n', SWITCH, 'link', 'set', 'br0', 'up']);
  for (const [host, address] of Object.entries(HOSTS)) {
    sh('ip', ['netns', 'add', ns(host)]);
    sh('ip', ['-n', SWITCH, 'link', 'add', `v-${host}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns(host)]);
    sh('ip', ['-n', SWITCH, 'link', 'set', `v-${host}`, 'master', 'br0', 'up']);
    sh('ip', ['-n', ns(host), 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', ns(host), 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', ns(host), 'link', 'set', 'lo', 'up']);
  }
}

/** Kills whatever still runs in the test's namespaces and deletes them; safe to call any time. */
export function destroyNetwork() {
  const names = sh('ip', ['netns', 'list'], { allowFail: true })
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(PREFIX));
  for (const name of names) {
    for (const pid of sh('ip', ['netns', 'pids', name], { allowFail: true }).split('\n').filter(Boolean)) {
      if (Number(pid) !== process.pid) spawnSync('kill', ['-9', pid]);
    }
  }
  for (const name of names) sh('ip', ['netns', 'del', name], { allowFail: true });
}

/** Starts `command` on a host (as `user` when given), its output appended to `log`. */
export function runOn(host, command, args, { env = {}, log, user } = {}) {
  const out = log ? openSync(log, 'a') : 'ignore';
  const prefix = user ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups'] : [];
  return spawn('ip', ['netns', 'exec', ns(host), ...prefix, command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
}

/** Runs a command on a host to its end; throws with its output when it fails. */
export function runOnSync(host, command, args, { user, env = {} } = {}) {
  const prefix = user ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups'] : [];
  const result = spawnSync('ip', ['netns', 'exec', ns(host), ...prefix, command, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} on ${host} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

function postgresDir(work, name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  chownSync(dir, uid('postgres'), uid('postgres', 'g'));
  return dir;
}

function uid(user, kind = 'u') {
  return Number(sh('id', [`-${kind}`, user]).trim());
}

/** PostgreSQL primary on pg1, ready for a streaming standby. */
export function startPrimary(work) {
  const base = postgresDir(work, 'pg1');
  const data = join(base, 'data');
  runOnSync('pg1', `${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], { user: 'postgres' });
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `listen_addresses = '${HOSTS.pg1}'`,
      `unix_socket_directories = '${base}'`,
      'max_connections = 200',
      'wal_level = replica',
      'max_wal_senders = 5',
      'hot_standby = on',
      'fsync = off',
      'full_page_writes = off',
      "synchronous_commit = 'on'",
      '',
    ].join('\n'),
    { flag: 'a' },
  );
  writeFileSync(join(data, 'pg_hba.conf'), `local all all trust\nhost all all ${SUBNET}.0/24 trust\nhost replication all ${SUBNET}.0/24 trust\n`);
  runOnSync('pg1', `${PG_BIN}/pg_ctl`, ['-D', data, '-l', join(base, 'log'), '-w', 'start'], { user: 'postgres' });
  return data;
}

/** A streaming standby of pg1 on pg2, cloned with pg_basebackup; it names itself `standby` to the primary. */
export function startStandby(work) {
  const base = postgresDir(work, 'pg2');
  const data = join(base, 'data');
  runOnSync('pg2', `${PG_BIN}/pg_basebackup`, ['-h', HOSTS.pg1, '-U', 'postgres', '-D', data, '-X', 'stream', '-R', '-c', 'fast'], { user: 'postgres' });
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [`listen_addresses = '${HOSTS.pg2}'`, `unix_socket_directories = '${base}'`, "cluster_name = 'standby'", "synchronous_standby_names = ''", ''].join('\n'),
    { flag: 'a' },
  );
  runOnSync('pg2', `${PG_BIN}/pg_ctl`, ['-D', data, '-l', join(base, 'log'), '-w', 'start'], { user: 'postgres' });
  return data;
}

export function pgCtl(host, data, ...args) {
  return runOnSync(host, `${PG_BIN}/pg_ctl`, ['-D', data, ...args], { user: 'postgres' });
}

/** PgBouncer on its host: `cabinet` in transaction pooling, `cabinet_session` in session pooling, both to `primary`. */
export class Bouncer {
  constructor(work) {
    this.dir = postgresDir(work, 'bouncer');
    this.ini = join(this.dir, 'pgbouncer.ini');
    this.primary = HOSTS.pg1;
    this.process = undefined;
    writeFileSync(join(this.dir, 'users.txt'), '"postgres" ""\n');
  }

  static PORT = 6432;
  static TRANSACTION_POOL = 40;
  static SESSION_POOL = 12;

  writeConfig() {
    writeFileSync(
      this.ini,
      `[databases]
cabinet = host=${this.primary} port=5432 dbname=cabinet pool_mode=transaction pool_size=${Bouncer.TRANSACTION_POOL}
cabinet_session = host=${this.primary} port=5432 dbname=cabinet pool_mode=session pool_size=${Bouncer.SESSION_POOL}
[pgbouncer]
listen_addr = ${HOSTS.bouncer}
listen_port = ${Bouncer.PORT}
unix_socket_dir = ${this.dir}
auth_type = trust
auth_file = ${join(this.dir, 'users.txt')}
admin_users = postgres
pool_mode = transaction
max_client_conn = 2000
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 10
ignore_startup_parameters = extra_float_digits
logfile = ${join(this.dir, 'pgbouncer.log')}
pidfile = ${join(this.dir, 'pgbouncer.pid')}
`,
    );
  }

  async start() {
    this.writeConfig();
    this.process = runOn('bouncer', '/usr/sbin/pgbouncer', [this.ini], { user: 'postgres', log: join(this.dir, 'stdout.log') });
    this.exited = new Promise((resolve) => this.process.once('exit', resolve));
    await waitForPort(HOSTS.bouncer, Bouncer.PORT, 10_000);
  }

  async stop() {
    if (!this.process) return;
    this.process.kill('SIGTERM');
    await this.exited;
    this.process = undefined;
  }

  /** Points both pools at another PostgreSQL and reloads (SIGHUP), without dropping clients. */
  repoint(address) {
    this.primary = address;
    this.writeConfig();
    this.process.kill('SIGHUP');
  }

  url(database = 'cabinet') {
    return `postgres://postgres@${HOSTS.bouncer}:${Bouncer.PORT}/${database}`;
  }
}

export const NGINX_PORT = 8080;

/** nginx on the lb host, round-robin over the gateways for HTTP and WebSocket alike (no sticky sessions). */
export async function startNginx(work, gateways, port) {
  const dir = join(work, 'nginx');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  upstream gateways {
${gateways.map((address) => `    server ${address}:${port} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen ${HOSTS.lb}:${NGINX_PORT};
    location / {
      proxy_pass http://gateways;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 5s;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;
    }
  }
}
`,
  );
  const child = runOn('lb', '/usr/sbin/nginx', ['-e', join(dir, 'error.log'), '-p', dir, '-c', conf, '-g', 'daemon off;'], { log: join(dir, 'stdout.log') });
  await waitForPort(HOSTS.lb, NGINX_PORT, 10_000);
  return child;
}

/** Resolves once something accepts TCP connections at address:port. */
export async function waitForPort(address, port, timeoutMs) {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect({ host: address, port, timeout: 1000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${address}:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
