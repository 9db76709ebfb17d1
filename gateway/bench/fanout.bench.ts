import 'reflect-metadata';
import { Client } from 'pg';
import { eventLog } from '../src/core/event-log';
import { EVENTS_CHANNEL } from '../src/core/events';
import { EventWakeups } from '../src/core/event-wakeups';
import { toGlobalId } from '../src/core/ids';
import { MAX_SOCKETS_PER_PRINCIPAL } from '../src/servers/subscriptions';
import {
  graphqlData,
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
  summarize,
  writeResults,
  type GatewayProcess,
} from './harness';

/**
 * Subscription fan-out: `--clients` graphql-ws subscribers to numberChanged, spread evenly over `--gateways` gateway
 * processes (`dist/main.js`, one database; 3 by default); a number is blocked and unblocked through the first process, `--rounds` times.
 * Two clocks, both in this process: from the mutation's send to each subscriber's IN_PROCESS event, and from the
 * moment PostgreSQL delivers an event's wake-up (to a LISTEN connection of this process, as it does to the
 * gateways) to each subscriber's receipt of it — the IN_PROCESS event, and the BLOCKED/ACTIVE one the worker
 * publishes on commit. Also the memory per open subscribed socket of each gateway process: what its JavaScript
 * retains after a full garbage collection (through the inspector), and the growth of its RSS, which also holds the
 * heap's own growth while the sockets open.
 * Then the event path's own rate: transactions that append events from 1 to 64 connections at once, with the
 * gateways listening, two ways — as the processes publish (the log only, and a wake-up after the commit) and with
 * the NOTIFY inside the transaction — and how much of the time the committing backends spend queued for the lock
 * PostgreSQL takes at the commit of a transaction that sent a NOTIFY.
 * Usage: npm run bench:fanout -w gateway [-- --numbers 100000 --clients 1000 --rounds 10 --gateways 3]
 */
const TARGETS = { p99Ms: 100 };
const SUBSCRIPTION = `subscription Changes($c: ID!) { numberChanged(companyId: $c) { sequence number { msisdn state } } }`;
const BLOCK = `mutation($n: ID!) { blockNumber(numberId: $n) { id status } }`;
const UNBLOCK = `mutation($n: ID!) { unblockNumber(numberId: $n) { id status } }`;

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const clients = option('clients', 1000);
  const rounds = option('rounds', 10);
  const billingDelayMs = option('billing-delay', 1000);
  const gatewayCount = option('gateways', 3);
  const db = await openBenchDatabase(numbers);
  const gateways: GatewayProcess[] = [];
  const listener = new Client({ connectionString: db.url });
  try {
    // Enough sessions for the sockets each may hold, on every process together.
    const cookies = await sessionCookies(db.dataSource, db.administratorId, Math.ceil(clients / MAX_SOCKETS_PER_PRINCIPAL) + 2 * gatewayCount);
    const env = { DATABASE_URL: db.url, BILLING_DELAY_MS: String(billingDelayMs) };
    gateways.push(await spawnGateway({ ...env, RUN_WORKER: 'true' }, { inspect: true }));
    while (gateways.length < gatewayCount) gateways.push(await spawnGateway({ ...env, RUN_WORKER: 'false' }, { inspect: true }));
    const companyId = toGlobalId('Company', db.companyId);
    const [number] = await db.dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 AND state = 'ACTIVE' ORDER BY id LIMIT 1`, [db.companyId]);
    const numberId = toGlobalId('Number', number.id);
    for (const gateway of gateways) {
      await graphqlData(gateway.url, cookies[0], `query($c: ID!) { numbers(companyId: $c, first: 10) { edges { node { msisdn } } } }`, { c: companyId });
    }
    await sleep(1000);
    const rssBefore = gateways.map((g) => g.rssMb());

    // sequence → the moment its NOTIFY reached this process
    const published = new Map<number, number>();
    await listener.connect();
    // A NOTIFY names only the event's place in the log: its topic and sequence are read from there.
    listener.on('notification', (message) => {
      const at = now();
      const { companyId: company, position } = JSON.parse(message.payload ?? '{}') as { companyId?: number; position?: number };
      if (company === undefined || position === undefined) return;
      void db.dataSource
        .query(`SELECT topic, sequence::int AS sequence FROM cabinet.events WHERE company_id = $1 AND position = $2`, [company, position])
        .then(([event]: { topic: string; sequence: number }[]) => {
          if (event?.topic === 'NUMBER_CHANGED') published.set(event.sequence, at);
        })
        .catch(() => undefined);
    });
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);

    const perGateway = Math.ceil(clients / gateways.length);
    const opened = now();
    // Each session's sockets on one process: the limit per session holds over all of them together.
    const sessionsOf = (g: number) => cookies.filter((_, i) => i % gateways.length === g);
    const sockets = (await Promise.all(gateways.map((g, i) => openSockets(g.url, sessionsOf(i), perGateway)))).flat().slice(0, clients);
    const connectSeconds = (now() - opened) / 1000;
    // Every subscriber's receipts: sequence → time, and the state it saw.
    const received = sockets.map(() => new Map<number, { at: number; state: string }>());
    sockets.forEach((socket, i) =>
      socket.subscribe(SUBSCRIPTION, { c: companyId }, (payload, at) => {
        const change = payload.data?.numberChanged;
        if (change) received[i].set(change.sequence, { at, state: change.number.state });
      }),
    );
    await sleep(2000);
    const rssAfter = gateways.map((g) => g.rssMb());

    const fromSend: number[] = [];
    const fromPublish = { IN_PROCESS: [] as number[], applied: [] as number[] };
    let missed = 0;
    const waitFor = async (sequence: number) => {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (!published.has(sequence) || received.some((r) => !r.has(sequence)))) await sleep(20);
      missed += received.filter((r) => !r.has(sequence)).length;
    };
    let cpu = { gateways: 0, client: process.cpuUsage() };
    // Round 0 warms up the path; it is not counted.
    for (let r = 0; r <= rounds; r++) {
      const blocking = r % 2 === 0;
      const sent = now();
      const before = published.size === 0 ? 0 : Math.max(...published.keys());
      await graphqlData(gateways[0].url, cookies[0], blocking ? BLOCK : UNBLOCK, { n: numberId });
      const accepted = before + 1;
      const applied = before + 2;
      await waitFor(accepted);
      await waitFor(applied);
      if (r === 0) {
        missed = 0;
        cpu = { gateways: gateways.reduce((sum, g) => sum + g.cpuSeconds(), 0), client: process.cpuUsage() };
        continue;
      }
      for (const receipts of received) {
        const first = receipts.get(accepted);
        const second = receipts.get(applied);
        if (first) {
          fromSend.push(first.at - sent);
          fromPublish.IN_PROCESS.push(first.at - published.get(accepted)!);
        }
        if (second) fromPublish.applied.push(second.at - published.get(applied)!);
      }
    }
    const clientCpu = process.cpuUsage(cpu.client);
    const deliveries = rounds * 2 * clients;
    const cpuMicrosecondsPerDelivery = {
      gateways: ((gateways.reduce((sum, g) => sum + g.cpuSeconds(), 0) - cpu.gateways) * 1e6) / deliveries,
      benchClients: (clientCpu.user + clientCpu.system) / deliveries,
    };
    const closedEarly = sockets.filter((s) => s.closedWith !== undefined || s.errors.length > 0).length;
    // What each process retains for its sockets: after a full collection with them open, and again once closed. The
    // inspector is opened only now, the latencies taken: attached, it made each delivery cost the gateways twice the CPU.
    const retainedOpen = await Promise.all(gateways.map((g) => g.retainedMb()));
    for (const socket of sockets) socket.close();
    await sleep(2000);
    const retainedClosed = await Promise.all(gateways.map((g) => g.retainedMb()));

    const results = {
      clients,
      gateways: gateways.length,
      rounds,
      billingDelayMs,
      connectSeconds,
      missedEvents: missed,
      socketsClosedOrFailed: closedEarly,
      latencyMs: {
        inProcessFromMutationSend: summarize(fromSend),
        inProcessFromPublish: summarize(fromPublish.IN_PROCESS),
        appliedFromPublish: summarize(fromPublish.applied),
      },
      cpuMicrosecondsPerDelivery,
      rssMb: { before: rssBefore, after: rssAfter },
      rssKbPerConnection: gateways.map((_, i) => ((rssAfter[i] - rssBefore[i]) * 1024) / perGateway),
      retainedMb: { socketsClosed: retainedClosed, socketsOpen: retainedOpen },
      retainedKbPerConnection: gateways.map((_, i) => ((retainedOpen[i] - retainedClosed[i]) * 1024) / perGateway),
      targets: TARGETS,
    };
    console.log(
      `\n${clients} subscribers over ${gateways.length} gateway processes, ${rounds} changes through the first (connected in ${connectSeconds.toFixed(1)} s)`,
    );
    const row = (name: string, s: ReturnType<typeof summarize>) => [name, s.count, round(s.p50), round(s.p99), round(s.max)];
    printTable(
      ['delivery latency, ms', 'events', 'p50', 'p99', 'max'],
      [
        row('IN_PROCESS, from the mutation sent', results.latencyMs.inProcessFromMutationSend),
        row('IN_PROCESS, from its wake-up', results.latencyMs.inProcessFromPublish),
        row('BLOCKED/ACTIVE, from its wake-up', results.latencyMs.appliedFromPublish),
      ],
    );
    printTable(
      ['gateway process', 'sockets', 'RSS before MB', 'RSS after MB', 'RSS KB per socket', 'retained, sockets open MB', 'closed MB', 'retained KB per socket'],
      gateways.map((_, i) => [
        `#${i + 1}`,
        perGateway,
        round(rssBefore[i]),
        round(rssAfter[i]),
        round(results.rssKbPerConnection[i]),
        round(retainedOpen[i]),
        round(retainedClosed[i]),
        round(results.retainedKbPerConnection[i]),
      ]),
    );
    console.log(
      `\nCPU per delivered event: ${round(cpuMicrosecondsPerDelivery.gateways, 0)} µs in the gateways, ${round(cpuMicrosecondsPerDelivery.benchClients, 0)} µs in this process's clients`,
    );
    const p99 = Math.max(results.latencyMs.inProcessFromPublish.p99, results.latencyMs.appliedFromPublish.p99);
    console.log(
      `\nmissed events: ${missed}; p99 from publish ${round(p99)} ms (target ≤ ${TARGETS.p99Ms} ms): ${p99 <= TARGETS.p99Ms && missed === 0 ? 'met' : 'MISSED'}`,
    );
    // The fan-out's own listener looks up each event it hears: it stops before the event path is measured.
    await listener.end();
    const eventPath = await eventPathRate(db.url);
    printTable(
      [
        'followers told by',
        'connections appending',
        'events a transaction',
        'events/s',
        'COMMIT p50 ms',
        'COMMIT p99 ms',
        'queued for the NOTIFY lock',
        'wake-ups/s',
      ],
      eventPath.map((r) => [
        r.path,
        r.connections,
        r.eventsPerTransaction,
        round(r.eventsPerSecond, 0),
        round(r.commitMs.p50),
        round(r.commitMs.p99),
        `${round(r.queuedShare * 100, 0)} %`,
        r.path === WAKE_UP ? round(r.wakeUpsPerSecond, 0) : '',
      ]),
    );
    await writeResults('fanout', { ...results, eventPath });
  } finally {
    await listener.end().catch(() => undefined);
    await Promise.all(gateways.map((g) => g.stop()));
    await db.close();
  }
}

/** Companies of their own for the event path's rate, far past any seeded one, removed afterwards. */
const RATE_COMPANIES = 900_000_000;

/** The two ways of telling the followers: what the processes do, and the NOTIFY in the publishing transaction. */
const WAKE_UP = 'wake-up after commit';
const IN_TRANSACTION = 'NOTIFY in the transaction';

/**
 * Transactions of events — BEGIN, the event log's appends, COMMIT — on `connections` connections at once for
 * `seconds`, each connection a company of its own (so the companies' own row locks do not serialise them). Told by
 * `WAKE_UP`: the appends write the log only, and after each COMMIT an `EventWakeups` of this process (on a connection
 * of its own, as a gateway's pool gives it one) wakes the followers; by `IN_TRANSACTION`: the last append's statement
 * sends the NOTIFY. A sampler reads pg_stat_activity every 10 ms: of the backends that are committing, the share
 * waiting on a `Lock: object` — the database-wide lock a transaction with a NOTIFY takes at commit.
 */
async function eventPathRate(
  url: string,
  seconds = 4,
): Promise<
  {
    path: string;
    connections: number;
    eventsPerTransaction: number;
    eventsPerSecond: number;
    commitMs: ReturnType<typeof summarize>;
    queuedShare: number;
    wakeUpsPerSecond: number;
  }[]
> {
  const rows = [];
  const cleanup = new Client({ connectionString: url });
  await cleanup.connect();
  try {
    // One event a transaction, as a single operation publishes; then 25, as a fleet job's worker finishes its items.
    for (const [path, connections, eventsPerTransaction] of [WAKE_UP, IN_TRANSACTION].flatMap((told) =>
      [
        [1, 1],
        [4, 1],
        [16, 1],
        [64, 1],
        [16, 25],
      ].map(([c, e]) => [told, c, e] as const),
    )) {
      const clients = Array.from({ length: connections }, () => new Client({ connectionString: url, application_name: 'cabinet-bench-events' }));
      await Promise.all(clients.map((c) => c.connect()));
      const sampler = new Client({ connectionString: url });
      await sampler.connect();
      const waker = new Client({ connectionString: url, application_name: 'cabinet-bench-wakeups' });
      await waker.connect();
      const wakeups = new EventWakeups({ query: async (text: string, params?: unknown[]) => (await waker.query(text, params)).rows }, EVENTS_CHANNEL);
      try {
        let running = true;
        let events = 0;
        const commits: number[] = [];
        const samples = { committing: 0, queued: 0 };
        const sampling = (async () => {
          while (running) {
            const [row] = (
              await sampler.query(
                `SELECT count(*) FILTER (WHERE query = 'COMMIT')::int AS committing,
                   count(*) FILTER (WHERE query = 'COMMIT' AND wait_event_type = 'Lock' AND wait_event = 'object')::int AS queued
                 FROM pg_stat_activity WHERE application_name = 'cabinet-bench-events' AND state = 'active'`,
              )
            ).rows;
            samples.committing += row.committing;
            samples.queued += row.queued;
            await sleep(10);
          }
        })();
        const started = now();
        const deadline = started + seconds * 1000;
        await Promise.all(
          clients.map(async (client, i) => {
            const db = { query: async (text: string, params?: unknown[]) => (await client.query(text, params)).rows };
            const companyId = RATE_COMPANIES + i;
            while (now() < deadline) {
              await client.query('BEGIN');
              let position = 0;
              for (let e = 1; e <= eventsPerTransaction; e++) {
                const notify = path === IN_TRANSACTION && e === eventsPerTransaction ? { channel: EVENTS_CHANNEL } : undefined;
                ({ position } = await eventLog.append(db, { companyId, topic: 'BENCH_EVENT', payload: { n: events } }, notify));
              }
              const committing = now();
              await client.query('COMMIT');
              commits.push(now() - committing);
              if (path === WAKE_UP) wakeups.committed(companyId, position);
              events += eventsPerTransaction;
            }
          }),
        );
        await wakeups.flush();
        const elapsed = (now() - started) / 1000;
        running = false;
        await sampling;
        rows.push({
          path,
          connections,
          eventsPerTransaction,
          eventsPerSecond: events / elapsed,
          commitMs: summarize(commits),
          queuedShare: samples.committing === 0 ? 0 : samples.queued / samples.committing,
          wakeUpsPerSecond: wakeups.counts.sent / elapsed,
        });
      } finally {
        await Promise.all([...clients, sampler, waker].map((c) => c.end().catch(() => undefined)));
      }
    }
  } finally {
    for (const table of ['events', 'event_sequences', 'event_heads']) {
      await cleanup.query(`DELETE FROM cabinet.${table} WHERE company_id >= $1`, [RATE_COMPANIES]);
    }
    await cleanup.end();
  }
  return rows;
}

runMain(main);
