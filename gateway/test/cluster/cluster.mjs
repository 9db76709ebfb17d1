// `npm run test:cluster`: the gateway as deployed on several hosts (PostgreSQL primary and standby, PgBouncer,
// three gateways, two workers, nginx), each in a network namespace of its own, under steady traffic while
// one part after another fails. Needs root, iproute2, postgresql, pgbouncer and nginx. Prints a table of
// what happened and exits non-zero when an acknowledged operation is lost or applied twice.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Bouncer,
  createNetwork,
  destroyNetwork,
  HOSTS,
  NGINX_PORT,
  ns,
  pgCtl,
  runOn,
  startNginx,
  startPrimary,
  startStandby,
  waitForPort,
} from './topology.mjs';
import { startCommand } from '../../dist/start-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const gatewayDir = resolve(here, '..', '..');
const require = createRequire(join(gatewayDir, 'package.json'));
/** API gateways run as `npm start` runs them. */
const START = startCommand();
const TOTAL_LIMIT_MS = 9 * 60_000;

if (process.argv[2] !== '--inside') {
  // Outside: make the hosts, run the test from the client host, and always take everything down again.
  const work = mkdtempSync('/tmp/cabinet-cluster-');
  chmodSync(work, 0o755);
  let code = 1;
  const cleanup = () => {
    destroyNetwork();
    if (!process.env.KEEP_CLUSTER_LOGS) rmSync(work, { recursive: true, force: true });
  };
  try {
    createNetwork();
    const child = spawn('ip', ['netns', 'exec', ns('client'), process.execPath, fileURLToPath(import.meta.url), '--inside', work], { stdio: 'inherit' });
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const timer = setTimeout(() => {
      console.error(`the cluster test ran past ${TOTAL_LIMIT_MS / 60_000} minutes: stopping it`);
      child.kill('SIGKILL');
    }, TOTAL_LIMIT_MS);
    code = await new Promise((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
    clearTimeout(timer);
  } catch (error) {
    console.error(error);
  } finally {
    if (code !== 0) console.error(`logs were in ${work}${process.env.KEEP_CLUSTER_LOGS ? '' : ' (set KEEP_CLUSTER_LOGS=1 to keep them)'}`);
    cleanup();
  }
  process.exit(code);
}

const work = process.argv[3];
const { Client } = require('pg');
const WebSocket = require('ws');
const { tokenHash, newToken } = require('./dist/core/token.js');
const { SESSION_COOKIE } = require('./dist/core/session.js');
const { toGlobalId } = require('./dist/core/ids.js');

const GATEWAY_PORT = 4000;
const RATE = 16; // requests per second through nginx, the whole time
const SUBSCRIBERS = 9;
const BILLING_DELAY_MS = 2500;
const OPERATION_EXPIRE_SECONDS = 15;
const NUMBERS = 10_000;
/** Numbers of the fleet job that runs through every fault (at BILLING_CONCURRENCY 20 and 2.5 s each, about 70 s). */
const BULK_NUMBERS = 560;
const base = `http://${HOSTS.lb}:${NGINX_PORT}`;
/** The bearer token of the gateways' /metrics, which the test reads across the network. */
const METRICS_TOKEN = 'cluster-metrics-token-0123456789';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = () => performance.now() / 1000;
const log = (message) => console.log(`[cluster ${seconds().toFixed(1).padStart(6)} s] ${message}`);

const bouncer = new Bouncer(work);
const processes = new Map();
let primaryData;
let standbyData;

function gatewayEnv(host, extra = {}) {
  return {
    DATABASE_URL: bouncer.url('cabinet'),
    DATABASE_DIRECT_URL: bouncer.url('cabinet_session'),
    DATABASE_POOL_SIZE: '8',
    HOST: HOSTS[host],
    PORT: String(GATEWAY_PORT),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    BILLING_DELAY_MS: String(BILLING_DELAY_MS),
    OPERATION_EXPIRE_SECONDS: String(OPERATION_EXPIRE_SECONDS),
    TRUSTED_PROXIES: HOSTS.lb,
    DATA_DIR: join(work, `data-${host}`),
    ...extra,
  };
}

function startGateway(host) {
  const child = runOn(host, process.execPath, [...START.flags, START.main], {
    // Queries read from the standby, straight (the pooler is the primary's); once it is promoted it is no standby, and they read the primary.
    env: gatewayEnv(host, { RUN_WORKER: 'false', DATABASE_READ_URL: `postgres://postgres@${HOSTS.pg2}:5432/cabinet`, METRICS_TOKEN }),
    log: join(work, `${host}.log`),
  });
  processes.set(host, child);
  return child;
}

function startWorker(host) {
  const child = runOn(host, process.execPath, [join(gatewayDir, 'dist', 'worker.js')], { env: gatewayEnv(host), log: join(work, `${host}.log`) });
  processes.set(host, child);
  return child;
}

async function sql(text, params = [], url = bouncer.url('cabinet')) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------- traffic

const LIST = `query List($c: ID!) { numbers(companyId: $c, first: 50) { edges { node { id msisdn state } } } }`;
const PROFILE = `query Profile($id: ID!) { number(id: $id) { msisdn state balance } }`;
const BLOCK = `mutation Block($n: ID!) { blockNumber(numberId: $n) { id status } }`;
const NUMBER_EVENTS = `subscription Numbers($c: ID!, $after: String) { numberChanged(companyId: $c, after: $after) { sequence cursor number { msisdn state } } }`;
const BULK = `mutation Bulk($input: BulkOperationInput!, $dryRun: Boolean!, $token: String) {
  bulkOperation(input: $input, dryRun: $dryRun, token: $token) { plan { token changes } operation { id status } } }`;
const OWN_OPERATION = `query Own($c: ID!, $n: ID!) { operations(companyId: $c, numberId: $n, first: 1) { edges { node { id } } } }`;
const OPERATION_EVENTS = `subscription Operations($c: ID!, $after: String) { operationChanged(companyId: $c, after: $after) { sequence cursor operation { id status } } }`;

const phases = [];
let phase;
function beginPhase(name) {
  phase = { name, started: seconds(), requests: 0, errors: 0, gaps: 0, codes: new Map(), failures: [], successes: [], writes: [], ownReads: 0, ownUnseen: 0 };
  phases.push(phase);
  log(`phase: ${name}`);
}

const acknowledged = new Set();
let cookie;
let companyGlobalId;
let activeNumbers = [];
let sampleNumbers = [];
/** The fleet job's numbers, apart from those the traffic blocks one by one. */
let bulkNumbers = [];

async function graphql(query, variables) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status !== 200 || body.errors?.length) throw new Error(body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`);
  return body.data;
}

async function fire() {
  const roll = Math.random();
  const p = phase;
  const at = seconds();
  p.requests++;
  try {
    if (roll < 0.55) await graphql(LIST, { c: companyGlobalId });
    else if (roll < 0.8) await graphql(PROFILE, { id: toGlobalId('Number', sampleNumbers[Math.floor(Math.random() * sampleNumbers.length)]) });
    else {
      const numberId = activeNumbers.pop();
      if (numberId === undefined) throw new Error('NO_NUMBER_LEFT');
      const data = await graphql(BLOCK, { n: toGlobalId('Number', numberId) });
      acknowledged.add(data.blockNumber.id);
      p.writes.push(at);
      // Read-your-writes: at once, through nginx (most likely another gateway), the session sees its operation,
      // although the standby may not have replayed it yet.
      const own = await graphql(OWN_OPERATION, { c: companyGlobalId, n: toGlobalId('Number', numberId) });
      p.ownReads++;
      if (own.operations.edges[0]?.node.id !== data.blockNumber.id) p.ownUnseen++;
    }
    p.successes.push(at);
  } catch (error) {
    // A failure belongs to the phase in which it happened: a request sent in the last moment of the steady phase and
    // cut off by the gateway's SIGKILL that begins the next one is that fault's error, not one with nothing failing.
    const code = error.name === 'TimeoutError' ? 'TIMEOUT' : (error.cause?.code ?? error.message);
    const failed = phase;
    failed.errors++;
    failed.failures.push(at);
    failed.codes.set(code, (failed.codes.get(code) ?? 0) + 1);
  }
}

let driving = false;
const inFlight = new Set();
async function drive() {
  driving = true;
  const started = performance.now();
  for (let i = 0; driving; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const request = fire().finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.allSettled([...inFlight]);
}

/**
 * A graphql-ws client through nginx that reconnects when its socket closes and resumes each subscription after the
 * cursor of the last event it got; it refetches only when the gateway answers CURSOR_EXPIRED, or on a sequence gap.
 */
class Subscriber {
  constructor(index) {
    this.index = index;
    /** The last event's cursor of each subscription, by subscription id. */
    this.cursors = {};
    /** Subscriptions ended by CURSOR_EXPIRED, subscribed again without a cursor when the gateway completes them. */
    this.restarting = new Set();
    this.expired = 0;
    this.seen = { NUMBER_CHANGED: new Set(), OPERATION_CHANGED: new Set() };
    this.first = {};
    this.last = {};
    this.reconnects = 0;
    /** Close codes and reasons seen, so that a failure says why sockets dropped. */
    this.closes = new Map();
    this.gaps = 0;
    this.refetches = 0;
    this.closed = false;
    this.connect();
  }

  connect() {
    if (this.closed) return;
    this.restarting.clear();
    const ws = new WebSocket(`ws://${HOSTS.lb}:${NGINX_PORT}/graphql`, 'graphql-transport-ws', { headers: { cookie, origin: base } });
    this.ws = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') {
        this.subscribe(ws, 'n');
        this.subscribe(ws, 'o');
      } else if (message.type === 'ping') ws.send('{"type":"pong"}');
      else if (message.type === 'next') {
        const topic = message.id === 'n' ? 'NUMBER_CHANGED' : 'OPERATION_CHANGED';
        const event = message.payload.data?.[message.id === 'n' ? 'numberChanged' : 'operationChanged'];
        if (event) {
          this.cursors[message.id] = event.cursor;
          this.receive(topic, Number(event.sequence));
        } else if (message.payload.errors?.some((e) => e.extensions?.code === 'CURSOR_EXPIRED')) this.restart(message.id);
      } else if (message.type === 'error') {
        if (message.payload?.some?.((e) => e.extensions?.code === 'CURSOR_EXPIRED')) {
          this.restart(message.id);
          this.subscribe(ws, message.id);
        }
      } else if (message.type === 'complete' && this.restarting.delete(message.id)) this.subscribe(ws, message.id);
    });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      if (this.closed) return;
      this.reconnects++;
      const key = `${code} ${String(reason)}`.trim();
      this.closes.set(key, (this.closes.get(key) ?? 0) + 1);
      setTimeout(() => this.connect(), 300 + Math.random() * 300);
    });
  }

  subscribe(ws, id) {
    const query = id === 'n' ? NUMBER_EVENTS : OPERATION_EVENTS;
    const variables = { c: companyGlobalId, ...(this.cursors[id] ? { after: this.cursors[id] } : {}) };
    ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  /** The log no longer holds what followed the cursor: refetch, then follow from now on (once the gateway completed it). */
  restart(id) {
    this.expired++;
    this.refetches++;
    delete this.cursors[id];
    this.restarting.add(id);
    graphql(LIST, { c: companyGlobalId }).catch(() => {});
  }

  receive(topic, sequence) {
    this.first[topic] ??= sequence;
    const last = this.last[topic];
    if (last !== undefined && sequence > last + 1) {
      this.gaps++;
      this.refetches++;
      phase.gaps++;
      graphql(LIST, { c: companyGlobalId }).catch(() => {});
    }
    this.last[topic] = Math.max(last ?? 0, sequence);
    this.seen[topic].add(sequence);
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}

/** GraphQL queries each live gateway has read on the standby and on the primary so far, from its /metrics. */
async function readsByServer(hosts) {
  const total = { standby: 0, primary: 0 };
  for (const host of hosts) {
    const response = await fetch(`http://${HOSTS[host]}:${GATEWAY_PORT}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    for (const database of Object.keys(total)) {
      const match = new RegExp(`^cabinet_graphql_queries_total\\{database="${database}"\\} (\\d+)`, 'm').exec(text);
      total[database] += Number(match?.[1] ?? 0);
    }
  }
  return total;
}

// ---------------------------------------------------------------- faults

function errorSpan(p) {
  if (p.failures.length === 0) return 0;
  const firstFailure = Math.min(...p.failures);
  const lastFailure = Math.max(...p.failures);
  const recovered = p.successes.filter((at) => at > lastFailure);
  return (recovered.length ? Math.min(...recovered) : seconds()) - firstFailure;
}

function writeGap(p, faultAt, previous) {
  const before = [...previous.writes, ...p.writes].filter((at) => at <= faultAt);
  const after = p.writes.filter((at) => at > faultAt);
  if (after.length === 0) return Infinity;
  return Math.min(...after) - (before.length ? Math.max(...before) : faultAt);
}

async function killGateway() {
  beginPhase('a gateway SIGKILLed');
  phase.faultAt = seconds();
  processes.get('gw2').kill('SIGKILL');
  await sleep(20_000);
}

async function killWorker() {
  beginPhase('a worker SIGKILLed mid-job');
  await until(
    'an operation in process',
    async () => (await sql(`SELECT count(*)::int AS n FROM cabinet.operations WHERE status = 'IN_PROCESS'`))[0].n > 0,
    10_000,
  );
  const [{ n, items }] = await sql(
    `SELECT (SELECT count(*)::int FROM cabinet.operations WHERE status = 'IN_PROCESS' AND bulk_operation_id IS NULL) AS n,
       (SELECT count(*)::int FROM cabinet.bulk_items WHERE status = 'IN_PROCESS') AS items`,
  );
  phase.faultAt = seconds();
  phase.note = `${n} operations and ${items} fleet items in process at the kill`;
  processes.get('wk1').kill('SIGKILL');
  await sleep(3000);
  startWorker('wk1');
  await sleep(OPERATION_EXPIRE_SECONDS * 1000 + 12_000);
}

async function restartBouncer() {
  beginPhase('PgBouncer restarted');
  phase.faultAt = seconds();
  await bouncer.stop();
  await sleep(2000);
  await bouncer.start();
  await sleep(18_000);
}

async function failover() {
  beginPhase('primary stopped, standby promoted');
  phase.faultAt = seconds();
  pgCtl('pg1', primaryData, '-m', 'immediate', 'stop');
  pgCtl('pg2', standbyData, '-w', 'promote');
  bouncer.repoint(HOSTS.pg2);
  phase.repointedAfter = seconds() - phase.faultAt;
  await sleep(25_000);
}

// ---------------------------------------------------------------- the run

async function main() {
  log(
    `hosts: ${Object.entries(HOSTS)
      .map(([host, address]) => `${host} ${address}`)
      .join(', ')}`,
  );
  primaryData = startPrimary(work);
  await sql('CREATE DATABASE cabinet', [], `postgres://postgres@${HOSTS.pg1}:5432/postgres`);
  standbyData = startStandby(work);
  const primaryUrl = `postgres://postgres@${HOSTS.pg1}:5432/postgres`;
  await until(
    'the standby streaming',
    async () => (await sql(`SELECT 1 FROM pg_stat_replication WHERE application_name = 'standby' AND state = 'streaming'`, [], primaryUrl)).length === 1,
    20_000,
  );
  await sql(`ALTER SYSTEM SET synchronous_standby_names = 'standby'`, [], primaryUrl);
  await sql(`SELECT pg_reload_conf()`, [], primaryUrl);
  await until(
    'synchronous replication',
    async () => (await sql(`SELECT sync_state FROM pg_stat_replication`, [], primaryUrl))[0]?.sync_state === 'sync',
    10_000,
  );
  log('primary and synchronous standby up');
  await bouncer.start();
  log('PgBouncer up');

  // Two gateways at the same moment: one migrates, the other waits for its lock and finds nothing to do.
  startGateway('gw1');
  startGateway('gw2');
  await Promise.all(['gw1', 'gw2'].map((host) => waitForPort(HOSTS[host], GATEWAY_PORT, 60_000)));
  startGateway('gw3');
  startWorker('wk1');
  startWorker('wk2');
  await waitForPort(HOSTS.gw3, GATEWAY_PORT, 60_000);
  const migrationRuns = ['gw1', 'gw2', 'gw3'].filter((host) => readFileSync(join(work, `${host}.log`), 'utf8').includes('"migrations applied"')).length;
  const [migrationRows] = await sql(`SELECT count(*)::int AS n, count(DISTINCT name)::int AS names FROM migrations`);
  log(`gateways up; processes that applied migrations: ${migrationRuns}; migration rows ${migrationRows.n} (distinct ${migrationRows.names})`);
  const nginx = await startNginx(work, [HOSTS.gw1, HOSTS.gw2, HOSTS.gw3], GATEWAY_PORT);
  processes.set('lb', nginx);

  await new Promise((resolveSeed, rejectSeed) => {
    const seed = spawn(process.execPath, [join(gatewayDir, 'dist', 'db', 'seed', 'seed.cli.js'), '--companies', '1', '--numbers', String(NUMBERS)], {
      env: { ...process.env, ...gatewayEnv('client'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    seed.once('exit', (status) => (status === 0 ? resolveSeed() : rejectSeed(new Error(`seed exited with ${status}`))));
  });
  const [company] = await sql(`SELECT company_id AS id FROM billing.numbers GROUP BY company_id HAVING count(*) = $1 LIMIT 1`, [NUMBERS]);
  companyGlobalId = toGlobalId('Company', company.id);
  const [admin] = await sql(
    `INSERT INTO cabinet.administrators (name, phone, email, language) VALUES ('Cluster', '77000000123', 'cluster@example.kz', 'en') RETURNING id`,
  );
  await sql(`INSERT INTO cabinet.grants (administrator_id, company_id) VALUES ($1, $2)`, [admin.id, company.id]);
  const token = newToken();
  await sql(`INSERT INTO cabinet.sessions (token_hash, administrator_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [tokenHash(token), admin.id]);
  cookie = `${SESSION_COOKIE}=${token}`;
  activeNumbers = (await sql(`SELECT id FROM billing.numbers WHERE company_id = $1 AND state = 'ACTIVE' ORDER BY random()`, [company.id])).map((row) =>
    Number(row.id),
  );
  bulkNumbers = activeNumbers.splice(0, BULK_NUMBERS);
  sampleNumbers = activeNumbers.slice(0, 500);
  log(`seeded a company of ${NUMBERS} numbers (${activeNumbers.length} active); traffic: ${RATE} requests/s through nginx, ${SUBSCRIBERS} subscribers`);

  // New processes answer their first requests slowly (schema compiled, pools filled): judged from the next phase on.
  beginPhase('warm-up');
  const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => new Subscriber(i));
  const driver = drive();
  await sleep(6000);
  beginPhase('steady');
  // A fleet job through nginx, dry run first, that runs on through every fault that follows.
  const bulkInput = { companyId: companyGlobalId, kind: 'BLOCK_NUMBER', selection: { numberIds: bulkNumbers.map((id) => toGlobalId('Number', id)) } };
  const dry = await graphql(BULK, { input: bulkInput, dryRun: true });
  const bulkStarted = await graphql(BULK, { input: bulkInput, dryRun: false, token: dry.bulkOperation.plan.token });
  const bulkId = fromOperationId(bulkStarted.bulkOperation.operation.id);
  const bulkChanges = bulkStarted.bulkOperation.plan.changes;
  log(`fleet job ${bulkId} started: ${bulkChanges} numbers to block`);
  await sleep(15_000);
  const steady = phase;
  const steadyReads = await readsByServer(['gw1', 'gw2', 'gw3']);
  log(`queries read so far: ${steadyReads.standby} on the standby, ${steadyReads.primary} on the primary`);
  await killGateway();
  const afterGateway = phase;
  await killWorker();
  const afterWorker = phase;
  await restartBouncer();
  const afterBouncer = phase;
  await failover();
  const afterFailover = phase;
  beginPhase('after the faults');
  await sleep(10_000);
  driving = false;
  await driver;
  await sleep(2000);

  log('traffic stopped; waiting for every acknowledged operation to finish');
  const ids = [...acknowledged];
  await until(
    'acknowledged operations to finish',
    async () =>
      (await sql(`SELECT count(*)::int AS n FROM cabinet.operations WHERE id = ANY($1::bigint[]) AND status = 'IN_PROCESS'`, [ids.map(fromOperationId)]))[0]
        .n === 0,
    OPERATION_EXPIRE_SECONDS * 3000 + 30_000,
  ).catch((error) => log(error.message));
  await until(
    'the fleet job to end',
    async () => (await sql(`SELECT status FROM cabinet.bulk_operations WHERE id = $1`, [bulkId]))[0].status === 'FINISHED',
    BULK_NUMBERS * 250 + 30_000,
  ).catch((error) => log(error.message));
  await sleep(1500);
  for (const subscriber of subscribers) subscriber.close();
  const finalReads = await readsByServer(['gw1', 'gw3']);
  const ownReads = phases.reduce((n, p) => n + p.ownReads, 0);
  const ownUnseen = phases.reduce((n, p) => n + p.ownUnseen, 0);
  // Exactly once: an operation and a history entry per changed number, every number blocked.
  const [fleet] = await sql(
    `SELECT b.status,
       (SELECT count(*)::int FROM cabinet.bulk_items i WHERE i.bulk_operation_id = b.id AND i.status = 'SUCCESS') AS success,
       (SELECT count(*)::int FROM cabinet.bulk_items i WHERE i.bulk_operation_id = b.id AND i.status NOT IN ('SUCCESS', 'SKIPPED')) AS other,
       (SELECT count(*)::int FROM cabinet.operations o WHERE o.bulk_operation_id = b.id) AS operations,
       (SELECT count(DISTINCT o.number_id)::int FROM cabinet.operations o WHERE o.bulk_operation_id = b.id) AS "operationNumbers",
       (SELECT count(*)::int FROM cabinet.action_log l WHERE l.bulk_operation_id = b.id AND l.number_id IS NOT NULL) AS entries,
       (SELECT count(*)::int FROM billing.numbers n WHERE n.id = ANY($2::int[]) AND n.state = 'BLOCKED') AS blocked
     FROM cabinet.bulk_operations b WHERE b.id = $1`,
    [bulkId, bulkNumbers],
  );

  const found = await sql(`SELECT id::text, status FROM cabinet.operations WHERE id = ANY($1::bigint[])`, [ids.map(fromOperationId)]);
  const byStatus = found.reduce((all, row) => ({ ...all, [row.status]: (all[row.status] ?? 0) + 1 }), {});
  const finishes = new Map();
  for (const host of ['wk1', 'wk2']) {
    for (const line of readFileSync(join(work, `${host}.log`), 'utf8').split('\n')) {
      if (!line.includes('"operation finished"')) continue;
      let id;
      try {
        id = JSON.parse(line).operationId;
      } catch {
        continue; // the last line of a killed worker may be cut short
      }
      finishes.set(id, (finishes.get(id) ?? 0) + 1);
    }
  }
  const [{ n: takenOver }] = await sql(
    `SELECT count(*)::int AS n FROM cabinet.operations WHERE id = ANY($1::bigint[]) AND finished_at - created_at > make_interval(secs => $2)`,
    [ids.map(fromOperationId), OPERATION_EXPIRE_SECONDS],
  );
  const appliedTwice = [...finishes.values()].filter((count) => count > 1).length;
  const sequences = await sql(`SELECT topic, last_sequence::int AS last FROM cabinet.event_sequences WHERE company_id = $1`, [company.id]);
  let delivered = 0;
  let missed = 0;
  for (const subscriber of subscribers) {
    for (const { topic, last } of sequences) {
      const seen = subscriber.seen[topic];
      if (!seen || subscriber.first[topic] === undefined) continue;
      delivered += seen.size;
      missed += last - subscriber.first[topic] + 1 - seen.size;
    }
  }

  const faults = [
    [afterGateway, `unavailable ${errorSpan(afterGateway).toFixed(1)} s`],
    [afterWorker, `${afterWorker.note}`],
    [afterBouncer, `unavailable ${errorSpan(afterBouncer).toFixed(1)} s`],
    [
      afterFailover,
      `unavailable ${errorSpan(afterFailover).toFixed(1)} s, no writes for ${writeGap(afterFailover, afterFailover.faultAt, afterBouncer).toFixed(1)} s (pooler repointed ${afterFailover.repointedAfter.toFixed(1)} s after the stop)`,
    ],
  ];
  const rows = phases.map((p) => [
    p.name,
    p.requests,
    p.errors,
    [...p.codes].map(([code, n]) => `${code} ${n}`).join(', ') || '-',
    faults.find(([f]) => f === p)?.[1] ?? '-',
  ]);
  console.log('\n| phase | requests | errors | errors by code | fault |\n| --- | ---: | ---: | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  const requests = phases.reduce((n, p) => n + p.requests, 0);
  const errors = phases.reduce((n, p) => n + p.errors, 0);
  const reconnects = subscribers.reduce((n, s) => n + s.reconnects, 0);
  const refetches = subscribers.reduce((n, s) => n + s.refetches, 0);
  const lost = ids.length - found.length;
  const unfinished = byStatus.IN_PROCESS ?? 0;
  console.log(`
| figure | value |
| --- | ---: |
| requests through nginx | ${requests} |
| errors | ${errors} |
| events delivered (${SUBSCRIBERS} subscribers) | ${delivered} |
| events missed (subscribers resume from their cursors) | ${missed} |
| subscriber reconnects / refetches on a gap | ${reconnects} / ${refetches} |
| operations acknowledged | ${ids.length} |
| operations found after the failover | ${found.length} (${Object.entries(byStatus)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ')}) |
| operations applied twice | ${appliedTwice} |
| operations finished after more than the expiry (taken over from the killed worker) | ${takenOver} |
| queries read on the standby / the primary, three gateways before the faults | ${steadyReads.standby} / ${steadyReads.primary} |
| the same, the two gateways left at the end (the standby promoted: read on the primary) | ${finalReads.standby} / ${finalReads.primary} |
| own operation read at once after its acknowledgement: reads / not seen | ${ownReads} / ${ownUnseen} |
| processes that applied migrations / migration rows | ${migrationRuns} / ${migrationRows.n} of ${migrationRows.names} |
| fleet job: numbers to block / items done / status | ${bulkChanges} / ${fleet.success} / ${fleet.status} |
| fleet job: operations (distinct numbers) / history entries / numbers blocked | ${fleet.operations} (${fleet.operationNumbers}) / ${fleet.entries} / ${fleet.blocked} |
`);
  const problems = [];
  if (lost > 0) problems.push(`${lost} acknowledged operations are missing`);
  if (unfinished > 0) problems.push(`${unfinished} acknowledged operations never finished`);
  if (appliedTwice > 0) problems.push(`${appliedTwice} operations were applied twice`);
  if (migrationRuns !== 1 || migrationRows.n !== migrationRows.names) problems.push('migrations did not run exactly once');
  if (ids.length === 0) problems.push('no operation was acknowledged');
  if (fleet.status !== 'FINISHED' || fleet.success !== bulkChanges || fleet.other !== 0) {
    problems.push(`the fleet job ended ${fleet.status} with ${fleet.success} of ${bulkChanges} items done and ${fleet.other} otherwise`);
  }
  if (fleet.operations !== bulkChanges || fleet.operationNumbers !== bulkChanges || fleet.entries !== bulkChanges || fleet.blocked !== bulkChanges) {
    problems.push(
      `the fleet job was not applied exactly once: ${fleet.operations} operations on ${fleet.operationNumbers} numbers, ${fleet.entries} history entries, ${fleet.blocked} blocked, for ${bulkChanges}`,
    );
  }
  if (steadyReads.standby === 0) problems.push('no query was read from the standby');
  if (ownUnseen > 0) problems.push(`${ownUnseen} sessions did not see their own operation right after it was acknowledged`);
  if (afterFailover.writes.length === 0) problems.push('no write succeeded after the failover');
  if (afterBouncer.successes.filter((at) => at > afterBouncer.faultAt + 10).length === 0) problems.push('requests did not recover after the PgBouncer restart');
  if (steady.errors > 0) {
    problems.push(`${steady.errors} errors with nothing failing`);
    console.log(
      `nginx's error log:\n${readFileSync(join(work, 'nginx', 'error.log'), 'utf8')
        .split('\n')
        .slice(0, 20)
        .join('\n')}`,
    );
  }
  if (delivered === 0) {
    const closes = new Map();
    for (const s of subscribers) for (const [key, n] of s.closes) closes.set(key, (closes.get(key) ?? 0) + n);
    problems.push(`no event reached a subscriber (socket closes: ${[...closes].map(([key, n]) => `${key} ×${n}`).join(', ') || 'none'})`);
  }
  if (steady.gaps > 0) problems.push(`subscribers saw ${steady.gaps} sequence gaps with nothing failing`);
  if (missed > 0) problems.push(`subscribers missed ${missed} events although they resumed from their cursors`);
  console.log(problems.length ? `cluster: 0 passed, 1 failed: ${problems.join('; ')}` : 'cluster: 1 passed, 0 failed');
  return problems.length ? 1 : 0;
}

function fromOperationId(globalId) {
  return Buffer.from(globalId, 'base64url').toString().split(':')[1];
}

main().then(
  async (code) => {
    for (const child of processes.values()) child.kill('SIGKILL');
    await bouncer.stop().catch(() => {});
    process.exit(code);
  },
  (error) => {
    console.error(error);
    for (const child of processes.values()) child.kill('SIGKILL');
    process.exit(1);
  },
);
