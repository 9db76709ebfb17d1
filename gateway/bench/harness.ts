import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import { hashPassword } from '../src/auth/password';
import { SESSION_COOKIE } from '../src/core/session';
import { newToken, tokenHash } from '../src/core/token';
import { createDataSource } from '../src/db/data-source';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { seedBulk } from '../src/db/seed/seed';
import { startCommand } from '../src/start-command';

/** Shared by the benchmarks: database and seed, gateway processes, HTTP and graphql-ws clients, statistics, output. */

export const log = pino({ level: 'warn' });
/** Gateways are spawned as `npm start` runs them. */
const START = startCommand();
export const RESULTS_DIR = join(__dirname, '..', '..', 'results');

export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** Milliseconds on one clock for every measurement of this process. */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BenchDatabase {
  url: string;
  dataSource: DataSource;
  /** A company of exactly the requested number of numbers. */
  companyId: number;
  administratorId: number;
  close(): Promise<void>;
}

export const BENCH_PHONE = '77000000000';
export const BENCH_PASSWORD = 'benchmark passphrase long';

/**
 * `DATABASE_URL` or an embedded PostgreSQL in a temporary directory, migrated, with a bulk company of `numbers`
 * numbers (seeded unless one exists already, so that `npm run bench` seeds once for every benchmark) and an
 * administrator granted it.
 */
export async function openBenchDatabase(numbers: number, poolSize = 10): Promise<BenchDatabase> {
  let dir: string | undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-bench-'));
    const embedded = await startEmbeddedPostgres(dir, log);
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const dataSource = createDataSource(url, poolSize, 'cabinet-bench');
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  let [company] = await dataSource.query(
    `SELECT company_id AS id FROM billing.numbers WHERE msisdn >= '77750000000' GROUP BY company_id HAVING count(*) = $1 ORDER BY company_id LIMIT 1`,
    [numbers],
  );
  if (!company) {
    const seeding = Date.now();
    const { companyIds } = await dataSource.transaction((manager) => seedBulk(manager, { companies: 1, numbers }));
    company = { id: companyIds[0] };
    // What the seed wrote, and only that: an ANALYZE of the cabinet's tables while they are empty leaves PostgreSQL sure
    // that they are, and the foreign-key checks a fleet job's first hundred items plan then scan those tables as they
    // grow by the job (a new installation's tables have never been analysed, and autovacuum leaves empty ones alone).
    const seeded = await dataSource.query(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'billing'`);
    await dataSource.query(`ANALYZE ${seeded.map((t: { name: string }) => t.name).join(', ')}`);
    console.log(`seeded a company of ${numbers.toLocaleString('en')} numbers in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  }
  const [admin] = await dataSource.query(
    `INSERT INTO cabinet.administrators (name, phone, email, password_hash, language) VALUES ('Bench', $1, 'bench@example.kz', $2, 'en')
     ON CONFLICT (phone) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [BENCH_PHONE, await hashPassword(BENCH_PASSWORD)],
  );
  await dataSource.query(`INSERT INTO cabinet.grants (administrator_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [admin.id, company.id]);
  return {
    url,
    dataSource,
    companyId: Number(company.id),
    administratorId: admin.id,
    async close() {
      await dataSource.destroy();
      await stopEmbedded?.();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Session cookies of the administrator, as many as asked (browser tabs share one; devices have their own). */
export async function sessionCookies(dataSource: DataSource, administratorId: number, count: number): Promise<string[]> {
  const tokens = Array.from({ length: count }, () => newToken());
  await dataSource.query(
    `INSERT INTO cabinet.sessions (token_hash, administrator_id, expires_at) SELECT unnest($1::bytea[]), $2, now() + interval '12 hours'`,
    [tokens.map(tokenHash), administratorId],
  );
  return tokens.map((token) => `${SESSION_COOKIE}=${token}`);
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface GatewayProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  rssMb(): number;
  cpuSeconds(): number;
  /**
   * What the process's JavaScript holds after a full garbage collection (V8's heap in use and the memory outside it
   * that its objects own, Buffers' included), through the inspector, which the first call opens (SIGUSR1): an
   * inspector attached to a process slows what it runs after, so measure when the figures of speed are taken.
   * Only for a process spawned with `inspect`.
   */
  retainedMb(): Promise<number>;
  /**
   * The process's `process.memoryUsage()` as it is, no collection first (through the inspector, as `retainedMb`):
   * where its RSS is, V8's heap or outside it. Only for a process spawned with `inspect`.
   */
  memoryUsage(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

/** Runs methods of the inspector protocol on the process whose `--inspect` printed `url`, one after the other. */
async function inspectorCalls(url: string, calls: { method: string; params?: object }[]): Promise<any[]> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    const results: any[] = [];
    for (const [id, call] of calls.entries()) {
      results.push(
        await new Promise((resolve, reject) => {
          const onMessage = (data: Buffer) => {
            const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
            if (message.id !== id) return;
            ws.off('message', onMessage);
            if (message.error) reject(new Error(`${call.method}: ${message.error.message}`));
            else resolve(message.result);
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ id, ...call }));
        }),
      );
    }
    return results;
  } finally {
    ws.close();
  }
}

/** Resident set size of a process, from /proc (the process's own, not its children's). */
export function rssMbOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** With `--cpu-prof` on the command line, gateway processes write CPU profiles into results/profiles. */
const profiling = process.argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'profiles')}`] : [];

/** `dist/main.js` as `npm start` runs it, on the given database; resolves once /readyz answers. */
export async function spawnGateway(env: Record<string, string>, { inspect = false } = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...START.flags, ...profiling, ...(inspect ? ['--inspect-port=127.0.0.1:0'] : []), START.main], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.includes('"level":40')) console.error(line);
  });
  let inspector: Promise<string> | undefined;
  let listening: (url: string) => void = () => undefined;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const url = /^Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (url) listening(url[1]);
    else if (!/^For help, see: https:\/\/nodejs.org\/|^Debugger attached|^Waiting for the debugger/.test(line)) console.error(line);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the gateway was not ready within 60 s');
    }
    await sleep(100);
  }
  /** `process.memoryUsage()` of the process after `before`, through its inspector, which the first call opens (SIGUSR1). */
  const memoryUsage = async (before: { method: string }[]): Promise<NodeJS.MemoryUsage> => {
    if (!inspect) throw new Error('the memory of a gateway is read through its inspector: spawn it with inspect');
    inspector ??= new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the gateway opened no inspector within 10 s')), 10_000);
      listening = (url) => {
        clearTimeout(timer);
        resolve(url);
      };
      child.kill('SIGUSR1');
    });
    const results = await inspectorCalls(await inspector, [
      ...before,
      { method: 'Runtime.evaluate', params: { expression: 'JSON.stringify(process.memoryUsage())' } },
    ]);
    return JSON.parse(results[results.length - 1].result.value) as NodeJS.MemoryUsage;
  };
  return {
    url,
    pid: child.pid!,
    child,
    rssMb: () => rssMbOf(child.pid!),
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    retainedMb: async () => {
      const gc = { method: 'HeapProfiler.collectGarbage' };
      const { heapUsed, external } = await memoryUsage([gc, gc, gc]);
      return (heapUsed + external) / 1048576;
    },
    memoryUsage: () => memoryUsage([]),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface GraphQLAnswer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One GraphQL POST over a keep-alive connection (node:http: far less client CPU than fetch). */
export function graphql(url: string, cookie: string, query: string, variables: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<GraphQLAnswer> {
  const payload = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), cookie }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) });
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `graphql` that throws on an HTTP error or a GraphQL error. */
export async function graphqlData(url: string, cookie: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const answer = await graphql(url, cookie, query, variables);
  if (answer.status !== 200 || answer.body.errors) throw new Error(`${answer.status}: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data;
}

type NextHandler = (payload: { data?: any; errors?: unknown[] }, receivedAt: number) => void;

/**
 * A bare graphql-transport-ws client: little client CPU per message, so that 1,000 of them in one process
 * measure the server and not the client. The receive time is taken before the message is parsed.
 */
export class SubscriptionSocket {
  private readonly handlers = new Map<string, NextHandler>();
  private nextId = 1;
  errors: unknown[] = [];
  closedWith: number | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const receivedAt = now();
      const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: any };
      if (message.type === 'next') this.handlers.get(message.id!)?.(message.payload, receivedAt);
      else if (message.type === 'ping') ws.send('{"type":"pong"}');
      else if (message.type === 'error') this.errors.push(message.payload);
    });
    ws.on('close', (code) => (this.closedWith = code));
  }

  /** Opens the socket and completes connection_init; `cookie` goes on the upgrade request as a browser's would. */
  static open(httpUrl: string, cookie: string, timeoutMs = 30_000, localAddress?: string): Promise<SubscriptionSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers: { cookie }, localAddress });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no connection_ack within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      ws.once('error', fail);
      ws.once('close', (code) => fail(new Error(`closed with ${code} before connection_ack`)));
      ws.once('open', () => ws.send('{"type":"connection_init","payload":{}}'));
      ws.once('message', (data) => {
        clearTimeout(timer);
        ws.removeAllListeners('error');
        ws.removeAllListeners('close');
        ws.on('error', () => undefined);
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type !== 'connection_ack') return reject(new Error(`expected connection_ack, got ${message.type}`));
        resolve(new SubscriptionSocket(ws));
      });
    });
  }

  subscribe(query: string, variables: Record<string, unknown>, onNext: NextHandler): string {
    const id = String(this.nextId++);
    this.handlers.set(id, onNext);
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return id;
  }

  close(): void {
    this.ws.close(1000);
  }
}

/**
 * Opens `count` sockets, `concurrency` at a time, each from its own loopback address (127.1.x.y): the gateway holds
 * sockets per client address to a limit, as it would a thousand browsers behind one address.
 */
export async function openSockets(httpUrl: string, cookies: string[], count: number, concurrency = 50): Promise<SubscriptionSocket[]> {
  const sockets: SubscriptionSocket[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        sockets[i] = await SubscriptionSocket.open(httpUrl, cookies[i % cookies.length], undefined, `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
      }
    }),
  );
  return sockets;
}

/** The value below which `p` of the sorted values fall (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function summarize(values: number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
}

export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of cells.slice(1)) console.log(line(row));
}

/** The machine the figures were taken on, and how busy it was. */
export function machine() {
  return { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg().map((l) => round(l, 2)) };
}

export async function writeResults(name: string, results: Record<string, unknown>): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  await writeFile(file, `${JSON.stringify({ ...results, machine: machine(), at: new Date().toISOString() }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
