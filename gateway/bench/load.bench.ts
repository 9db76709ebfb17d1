import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { encodeCursor } from '../src/core/paging';
import { fromGlobalId, toGlobalId } from '../src/core/ids';
import {
  graphql,
  now,
  openBenchDatabase,
  openSockets,
  option,
  printTable,
  round,
  runMain,
  sessionCookies,
  sleep,
  spawnGateway,
  SubscriptionSocket,
  summarize,
  writeResults,
  type BenchDatabase,
  type GatewayProcess,
} from './harness';

/**
 * Load held: mixed traffic at a fixed arrival rate (an open model: requests leave on schedule whether or not earlier
 * ones have been answered, and latency counts from the scheduled moment, so a stalled server cannot hide its queue)
 * against one gateway process (`dist/main.js` with its worker). Short probes double the rate until one fails, then halve the gap twice; full
 * runs (warm-up, then `--seconds`) start at the highest passing probe and step down until one passes. A rate passes
 * when p99 ≤ 200 ms, nothing failed, every operation reached SUCCESS or FAILURE in the database, and every long-lived
 * subscriber received every event the operations made (counted by the event log's sequence). Then a run at twice the held rate (`--overload-seconds`)
 * reports what overload costs: latency and errors may give way, but an event lost (not come within 30 s) is a defect.
 * Usage: npm run bench:load -w gateway [-- --numbers 100000 --seconds 60 --warmup 10 --subscribers 50]
 */
const TARGETS = { p99Ms: 200 };
const MIX: [Kind, number][] = [
  ['list', 55],
  ['profile', 25],
  ['search', 8],
  ['operation', 7],
  ['subscription', 5],
];
type Kind = 'list' | 'profile' | 'search' | 'operation' | 'subscription';

const LIST = `query List($c: ID!, $after: String) { numbers(companyId: $c, first: 50, after: $after) {
  edges { node { id msisdn state balance account { accountNo paymentMethod } tariff { name } } } pageInfo { hasNextPage endCursor } } }`;
const PROFILE = `query Profile($id: ID!) { number(id: $id) { msisdn state stateChangedAt balance availableFunds creditLimit
  account { accountNo paymentMethod } tariff { name } simCard { iccid replacedAt } device { lastImei registered { imei } }
  tariffBalances { kind unlimited available total unit } bonuses { kind available total unit validTo }
  connectedServices { service { code name } } availableServices { category services { code name } } callForwardings { condition target } } }`;
const SEARCH = `query Search($c: ID!, $s: String) { numbers(companyId: $c, search: $s, first: 50) { edges { node { id msisdn state } } } }`;
const BLOCK = `mutation Block($n: ID!) { blockNumber(numberId: $n) { id status } }`;
const UNBLOCK = `mutation Unblock($n: ID!) { unblockNumber(numberId: $n) { id status } }`;
const OPERATIONS = `subscription Operations($c: ID!) { operationChanged(companyId: $c) { sequence operation { id kind status } } }`;
const NUMBERS = `subscription Numbers($c: ID!) { numberChanged(companyId: $c) { sequence number { msisdn state } } }`;

interface Outcome {
  kind: Kind;
  ms: number;
  error?: string;
}

interface Traffic {
  gateway: GatewayProcess;
  cookies: string[];
  companyId: string;
  sample: { id: number; msisdn: string }[];
  active: number[];
  blocked: number[];
  /** Operations accepted, by global ID. */
  operations: Set<string>;
  /** Sockets opened by subscription arrivals, closed a few seconds later. */
  transient: Set<SubscriptionSocket>;
}

const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];

/**
 * The loopback address (127.2.x.y) a subscription arrival's socket comes from, each in turn: arrivals are browsers
 * of their own, and the gateway holds sockets per client address to a limit (the long-lived ones come from 127.1.x.y).
 */
let arrivals = 0;
const arrivalAddress = () => {
  const i = arrivals++ % 62_500;
  return `127.2.${Math.floor(i / 250)}.${(i % 250) + 1}`;
};
/** Sessions the traffic spreads over (the gateway holds sockets per session to a limit, as a browser's tabs). */
const SESSIONS = 50;

function chooseKind(): Kind {
  let r = Math.random() * 100;
  for (const [kind, weight] of MIX) if ((r -= weight) < 0) return kind;
  return 'list';
}

async function fire(t: Traffic, kind: Kind): Promise<string | undefined> {
  const cookie = pick(t.cookies);
  const { url } = t.gateway;
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const answer = await graphql(url, cookie, query, variables);
    if (answer.status !== 200 || answer.body.errors) return answer.body.errors?.[0]?.extensions?.code ?? `HTTP ${answer.status}`;
    return undefined;
  };
  switch (kind) {
    case 'list':
      return ask(LIST, { c: t.companyId, after: Math.random() < 0.2 ? null : encodeCursor([pick(t.sample).msisdn]) });
    case 'profile':
      return ask(PROFILE, { id: toGlobalId('Number', pick(t.sample).id) });
    case 'search': {
      const msisdn = pick(t.sample).msisdn;
      const from = 3 + Math.floor(Math.random() * 4);
      return ask(SEARCH, { c: t.companyId, s: msisdn.slice(from, from + 4 + Math.floor(Math.random() * 3)) });
    }
    case 'operation': {
      const blocking = t.active.length >= t.blocked.length;
      const numberId = (blocking ? t.active : t.blocked).pop();
      if (numberId === undefined) return 'NO_NUMBER_LEFT';
      const answer = await graphql(url, cookie, blocking ? BLOCK : UNBLOCK, { n: toGlobalId('Number', numberId) });
      const operation = answer.body.data?.[blocking ? 'blockNumber' : 'unblockNumber'];
      if (answer.status !== 200 || !operation) return answer.body.errors?.[0]?.extensions?.code ?? `HTTP ${answer.status}`;
      t.operations.add(operation.id);
      return undefined;
    }
    case 'subscription': {
      const socket = await SubscriptionSocket.open(url, cookie, 10_000, arrivalAddress());
      socket.subscribe(NUMBERS, { c: t.companyId }, () => undefined);
      t.transient.add(socket);
      setTimeout(() => {
        socket.close();
        t.transient.delete(socket);
      }, 5000);
      return undefined;
    }
  }
}

/** Sends at `rate` per second for `seconds`, on schedule; each outcome's time counts from its scheduled moment. */
async function hold(t: Traffic, rate: number, seconds: number): Promise<Outcome[]> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = now() + 5;
  const outcomes: Promise<Outcome>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * interval;
    const wait = scheduled - now();
    if (wait > 1) await sleep(wait);
    const kind = chooseKind();
    outcomes.push(
      fire(t, kind).then(
        (error) => ({ kind, ms: now() - scheduled, error }),
        (error: Error) => ({ kind, ms: now() - scheduled, error: error.message }),
      ),
    );
  }
  return Promise.all(outcomes);
}

interface Step {
  rate: number;
  seconds: number;
  requests: number;
  latencyMs: ReturnType<typeof summarize>;
  byKind: Record<string, ReturnType<typeof summarize>>;
  errors: Record<string, number>;
  operations: number;
  unfinishedOperations: number;
  lostEvents: number;
  /** Where the time of the measured seconds went, in % of one core: the gateway (with its worker), this process, the machine's cores together. */
  cpuPercent: { gateway: number; loadGenerator: number; machine: number };
  passed: boolean;
}

/** Busy and total jiffies of all the machine's cores, from /proc/stat. */
function machineJiffies(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const idle = values[3] + (values[4] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Waits (up to two minutes) until no operation is in process: a step starts without the backlog of the one before. */
async function drained(db: BenchDatabase): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.operations WHERE status = 'IN_PROCESS'`);
    if (row.n === 0) return;
    await sleep(500);
  }
}

async function step(
  t: Traffic,
  db: BenchDatabase,
  listeners: { received: Set<number> }[],
  rate: number,
  warmup: number,
  seconds: number,
  lateMs = 10_000,
): Promise<Step> {
  await drained(db);
  if (warmup > 0) await hold(t, rate, warmup);
  t.operations.clear();
  for (const listener of listeners) listener.received.clear();
  const before = { gateway: t.gateway.cpuSeconds(), self: process.cpuUsage(), machine: machineJiffies(), at: now() };
  const outcomes = await hold(t, rate, seconds);
  const elapsed = (now() - before.at) / 1000;
  const self = process.cpuUsage(before.self);
  const machine = machineJiffies();
  const cpuPercent = {
    gateway: ((t.gateway.cpuSeconds() - before.gateway) / elapsed) * 100,
    loadGenerator: ((self.user + self.system) / 1e6 / elapsed) * 100,
    machine: ((machine.busy - before.machine.busy) / (machine.total - before.machine.total)) * cpus().length * 100,
  };
  const operations = [...t.operations];
  const operationIds = operations.map((id) => fromGlobalId('Operation', id, 'id'));
  // Every operation is applied by the worker after the billing delay; allow for a queue, not for a loss.
  const deadline = Date.now() + 60_000;
  let unfinished = operations.length;
  while (unfinished > 0 && Date.now() < deadline) {
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.operations WHERE id = ANY($1::bigint[]) AND status = 'IN_PROCESS'`, [
      operationIds,
    ]);
    unfinished = row.n;
    if (unfinished > 0) await sleep(250);
  }
  // The events the operations made, by their sequence: an event delivered late shows the operation as it is by then
  // (SUCCESS for its IN_PROCESS event, say), so what a subscriber has is counted by event, not by status.
  const made: number[] = (
    await db.dataSource.query(
      `SELECT sequence::int FROM cabinet.events WHERE company_id = $1 AND topic = 'OPERATION_CHANGED' AND payload->>'operationId' = ANY($2::text[])`,
      [db.companyId, operationIds.map(String)],
    )
  ).map((r: { sequence: number }) => r.sequence);
  const missing = () => {
    let count = 0;
    for (const { received } of listeners) for (const sequence of made) if (!received.has(sequence)) count++;
    return count;
  };
  // Events still on their way are late, not lost: they count as lost only if they have not come within `lateMs`.
  const eventsDeadline = Date.now() + lateMs;
  while (missing() > 0 && Date.now() < eventsDeadline) await sleep(100);
  const lostEvents = missing();
  const errors: Record<string, number> = {};
  for (const o of outcomes) if (o.error) errors[o.error] = (errors[o.error] ?? 0) + 1;
  const latencyMs = summarize(outcomes.map((o) => o.ms));
  const byKind = Object.fromEntries(MIX.map(([kind]) => [kind, summarize(outcomes.filter((o) => o.kind === kind).map((o) => o.ms))]));
  const passed = latencyMs.p99 <= TARGETS.p99Ms && Object.keys(errors).length === 0 && unfinished === 0 && lostEvents === 0;
  const result = {
    rate,
    seconds,
    requests: outcomes.length,
    latencyMs,
    byKind,
    errors,
    operations: operations.length,
    unfinishedOperations: unfinished,
    lostEvents,
    cpuPercent,
    passed,
  };
  console.log(
    `${rate}/s for ${seconds} s: p50 ${round(latencyMs.p50)} ms, p99 ${round(latencyMs.p99)} ms, max ${round(latencyMs.max)} ms, ` +
      `${outcomes.length - Object.values(errors).reduce((a, b) => a + b, 0)}/${outcomes.length} ok${Object.keys(errors).length ? ` ${JSON.stringify(errors)}` : ''}, ` +
      `${operations.length} operations (${unfinished} unfinished), ${lostEvents} events lost: ${passed ? 'passed' : 'FAILED'}`,
  );
  return result;
}

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const seconds = option('seconds', 60);
  const warmup = option('warmup', 10);
  const probeSeconds = option('probe-seconds', 8);
  const overloadSeconds = option('overload-seconds', 20);
  const startRate = option('start-rate', 25);
  const subscribers = option('subscribers', 50);
  const billingDelayMs = option('billing-delay', 1000);
  const db = await openBenchDatabase(numbers);
  let gateway: GatewayProcess | undefined;
  let sockets: SubscriptionSocket[] = [];
  const traffic: Partial<Traffic> = { transient: new Set() };
  try {
    gateway = await spawnGateway({ DATABASE_URL: db.url, RUN_WORKER: 'true', BILLING_DELAY_MS: String(billingDelayMs) });
    const shuffled = (state: string) =>
      db.dataSource
        .query(`SELECT id FROM billing.numbers WHERE company_id = $1 AND state = $2 ORDER BY random() LIMIT 20000`, [db.companyId, state])
        .then((rows: { id: number }[]) => rows.map((r) => r.id));
    Object.assign(traffic, {
      gateway,
      cookies: await sessionCookies(db.dataSource, db.administratorId, SESSIONS),
      companyId: toGlobalId('Company', db.companyId),
      sample: await db.dataSource.query(`SELECT id, msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY random() LIMIT 5000`, [db.companyId]),
      active: await shuffled('ACTIVE'),
      blocked: await shuffled('BLOCKED'),
      operations: new Set<string>(),
    });
    const t = traffic as Traffic;
    sockets = await openSockets(gateway.url, t.cookies, subscribers);
    const listeners = sockets.map((socket) => {
      const listener = { received: new Set<number>() };
      socket.subscribe(OPERATIONS, { c: t.companyId }, (payload) => {
        const change = payload.data?.operationChanged;
        if (change) listener.received.add(change.sequence);
      });
      return listener;
    });

    // A freshly started process compiles its hot paths during the first few hundred requests.
    await hold(t, startRate, Math.max(5, warmup));
    const probes: Step[] = [];
    let rate = startRate;
    for (;;) {
      const probe = await step(t, db, listeners, rate, 2, probeSeconds);
      probes.push(probe);
      if (!probe.passed || rate >= 1600) break;
      rate *= 2;
    }
    // Between the last rate that passed and the first that failed, two more probes halve the gap each: doubling alone
    // steps from 200 straight to 400.
    let passing = probes.filter((p) => p.passed).at(-1)?.rate;
    let failing = probes.find((p) => !p.passed)?.rate;
    for (let refinement = 0; refinement < 2 && passing !== undefined && failing !== undefined; refinement++) {
      const probe = await step(t, db, listeners, Math.round((passing + failing) / 2), 2, probeSeconds);
      probes.push(probe);
      if (probe.passed) passing = probe.rate;
      else failing = probe.rate;
    }
    const runs: Step[] = [];
    rate = passing ?? Math.round(startRate / 2);
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = await step(t, db, listeners, rate, warmup, seconds);
      runs.push(run);
      if (run.passed) break;
      rate = Math.max(1, Math.round(rate * 0.7));
    }
    const held = runs.find((r) => r.passed);
    // Overload: twice the held rate. Latency and errors may give way; no event may be lost (late ones have 30 s).
    const overload = held ? await step(t, db, listeners, held.rate * 2, 0, overloadSeconds, 30_000) : undefined;
    const lostSockets = sockets.filter((s) => s.closedWith !== undefined).length;

    printTable(
      [
        'run',
        'rate/s',
        'seconds',
        'requests',
        'p50 ms',
        'p99 ms',
        'max ms',
        'errors',
        'operations',
        'unfinished',
        'events lost',
        'CPU % gateway / load / machine',
        'result',
      ],
      [...probes.map((p) => ['probe', p] as const), ...runs.map((r) => ['held', r] as const), ...(overload ? [['2× held', overload] as const] : [])].map(
        ([name, s]) => [
          name,
          s.rate,
          s.seconds,
          s.requests,
          round(s.latencyMs.p50),
          round(s.latencyMs.p99),
          round(s.latencyMs.max),
          Object.values(s.errors).reduce((a, b) => a + b, 0),
          s.operations,
          s.unfinishedOperations,
          s.lostEvents,
          `${round(s.cpuPercent.gateway, 0)} / ${round(s.cpuPercent.loadGenerator, 0)} / ${round(s.cpuPercent.machine, 0)}`,
          s.passed ? 'pass' : 'FAIL',
        ],
      ),
    );
    if (held) {
      printTable(
        [`by kind at ${held.rate}/s`, 'share %', 'requests', 'p50 ms', 'p99 ms', 'max ms'],
        MIX.map(([kind, share]) => [
          kind,
          share,
          held.byKind[kind].count,
          round(held.byKind[kind].p50),
          round(held.byKind[kind].p99),
          round(held.byKind[kind].max),
        ]),
      );
    }
    console.log(
      `\nhighest rate held for ${seconds} s with p99 ≤ ${TARGETS.p99Ms} ms, no errors and no operation or event lost: ${held ? `${held.rate}/s` : 'none of the rates tried'}` +
        ` (${subscribers} long-lived subscribers; ${lostSockets} of them dropped)`,
    );
    if (overload) {
      console.log(
        `at twice that rate (${overload.rate}/s for ${overloadSeconds} s): p99 ${round(overload.latencyMs.p99)} ms, ` +
          `${Object.values(overload.errors).reduce((a, b) => a + b, 0)} errors, ${overload.unfinishedOperations} operations unfinished, ` +
          `${overload.lostEvents} events lost (late ones waited for 30 s)`,
      );
    }
    await writeResults('load', {
      numbers,
      seconds,
      warmup,
      subscribers,
      billingDelayMs,
      mix: Object.fromEntries(MIX),
      heldRate: held?.rate ?? null,
      probes,
      runs,
      overload: overload ?? null,
      targets: TARGETS,
    });
  } finally {
    for (const socket of [...sockets, ...(traffic.transient ?? [])]) socket.close();
    await gateway?.stop();
    await db.close();
  }
}

runMain(main);
