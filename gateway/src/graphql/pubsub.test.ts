import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { eventLog } from '../events';
import { Client } from 'pg';
import { EventWakeups } from '../core/event-wakeups';
import { EVENTS_CHANNEL, MAX_NOTIFY_BYTES, publishEvent, type CabinetEvent } from '../core/events';
import { createDataSource } from '../db/data-source';
import { PgPubSub } from './pubsub';

const log = pino({ level: 'silent' });
/** Longer than any wait of these tests. */
const NO_POLL_MS = 600_000;

async function nextOf(stream: AsyncIterator<CabinetEvent>, ms = 5000): Promise<IteratorResult<CabinetEvent>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      stream.next(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function take(stream: AsyncIterator<CabinetEvent>, count: number): Promise<CabinetEvent[]> {
  const events: CabinetEvent[] = [];
  while (events.length < count) {
    const result = await nextOf(stream);
    if (result.done) throw new Error('the stream ended');
    events.push(result.value);
  }
  return events;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PgPubSub', () => {
  let db: TestDatabase;
  let pubsub: PgPubSub;
  let companyId = 1000;
  const follow = (bus: PgPubSub, topics = ['PING'], after?: number) => bus.subscribe({ companyId, topics, after });
  const ping = (n: unknown, bus: PgPubSub = pubsub) => bus.publish(db.dataSource, { topic: 'PING', companyId, payload: { n } });

  beforeAll(async () => {
    db = await createTestDatabase();
    // No poll within a test's wait: what these tests receive came by its wake-up.
    pubsub = await PgPubSub.start(db.url, db.dataSource, log, { pollMs: NO_POLL_MS });
  });
  afterAll(async () => {
    await pubsub.close();
    await db.drop();
  });
  beforeEach(() => {
    companyId += 1;
  });

  it('delivers a company’s events in commit order with positions and sequences 1, 2, 3', async () => {
    const stream = await follow(pubsub);
    for (const n of [1, 2, 3]) expect(await ping(n)).toEqual({ sequence: n, position: n });
    const events = await take(stream, 3);
    await stream.return!();
    expect(events).toEqual([1, 2, 3].map((n) => ({ topic: 'PING', companyId, sequence: n, position: n, payload: { n } })));
  });

  it('hands events without a company to their listeners, numbered 0 and not logged', async () => {
    const heard: CabinetEvent[] = [];
    const stop = pubsub.on('NO_COMPANY', (event) => heard.push(event));
    expect(await pubsub.publish(db.dataSource, { topic: 'NO_COMPANY', companyId: null, payload: { administratorId: 7 } })).toEqual({
      sequence: 0,
      position: 0,
    });
    await until(() => heard.length > 0, 'the event');
    stop();
    expect(heard).toEqual([{ topic: 'NO_COMPANY', companyId: null, sequence: 0, position: 0, payload: { administratorId: 7 } }]);
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.events WHERE topic = 'NO_COMPANY'`);
    expect(row.n).toBe(0);
  });

  it('gives a subscriber only its company’s events of its topics, numbering topics apart', async () => {
    const stream = await follow(pubsub);
    await pubsub.publish(db.dataSource, { topic: 'PING', companyId: companyId + 500, payload: { n: 'other company' } });
    await pubsub.publish(db.dataSource, { topic: 'PONG', companyId, payload: { n: 'other topic' } });
    await ping('mine');
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event).toMatchObject({ position: 2, sequence: 1, payload: { n: 'mine' } });
  });

  it('writes an event in its transaction: rolled back, it is neither delivered nor logged, and positions skip nothing', async () => {
    const stream = await follow(pubsub);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await pubsub.publish(manager, { topic: 'PING', companyId, payload: { n: 'rolled back' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await db.dataSource.transaction((manager) => pubsub.publish(manager, { topic: 'PING', companyId, payload: { n: 'committed' } }));
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event).toMatchObject({ sequence: 1, position: 1, payload: { n: 'committed' } });
    const logged = await db.dataSource.query(`SELECT payload FROM cabinet.events WHERE company_id = $1`, [companyId]);
    expect(logged).toEqual([{ payload: { n: 'committed' } }]);
  });

  it('delivers an event only once its transaction commits', async () => {
    const stream = await follow(pubsub);
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await pubsub.publish(runner, { topic: 'PING', companyId, payload: { n: 'pending' } });
      const early = stream.next();
      const outcome = await Promise.race([early.then(() => 'delivered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))]);
      expect(outcome).toBe('waiting');
      await runner.commitTransaction();
      await expect(early).resolves.toMatchObject({ value: { payload: { n: 'pending' } } });
    } finally {
      await runner.release();
      await stream.return!();
    }
  });

  it('delivers an event published on one process to the subscribers of another', async () => {
    const other = await PgPubSub.start(db.url, db.dataSource, log, { pollMs: NO_POLL_MS });
    try {
      const stream = await follow(other);
      await ping('first');
      const [event] = await take(stream, 1);
      await stream.return!();
      expect(event.payload).toEqual({ n: 'first' });
    } finally {
      await other.close();
    }
  });

  it('ends a waiting subscriber when it returns, and detaches it', async () => {
    const before = pubsub.subscriberCount;
    const stream = await follow(pubsub);
    expect(pubsub.subscriberCount).toBe(before + 1);
    const waiting = stream.next();
    await stream.return!();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(pubsub.subscriberCount).toBe(before);
  });

  it('refuses an event too big for NOTIFY', async () => {
    const payload = { text: 'x'.repeat(MAX_NOTIFY_BYTES) };
    await expect(pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload })).rejects.toThrow(RangeError);
    const [row] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM cabinet.event_sequences WHERE company_id = $1)::int + (SELECT count(*) FROM cabinet.events WHERE company_id = $1)::int AS n`,
      [companyId],
    );
    expect(row.n).toBe(0);
  });

  it('gives a subscriber too slow for its queue every event, in order, from the log', async () => {
    const small = await PgPubSub.start(db.url, db.dataSource, log, { maxPending: 2 });
    try {
      const stream = await follow(small);
      const marker = await follow(small);
      for (const n of [1, 2, 3, 4, 5, 6]) await ping(n);
      await take(marker, 6);
      await marker.return!();
      const events = await take(stream, 6);
      await stream.return!();
      expect(events.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await small.close();
    }
  });

  it('replays the events after a cursor, then continues live, each exactly once', async () => {
    const small = await PgPubSub.start(db.url, db.dataSource, log, { maxPending: 2 });
    try {
      for (const n of [1, 2, 3, 4, 5]) await ping(n);
      const stream = await follow(small, ['PING'], 1);
      const [first] = await take(stream, 1);
      await ping(6);
      const rest = await take(stream, 4);
      await ping(7);
      await ping(8);
      rest.push(...(await take(stream, 2)));
      const after = await Promise.race([stream.next().then(() => 'more'), new Promise((resolve) => setTimeout(() => resolve('none'), 300))]);
      await stream.return!();
      expect([first, ...rest].map((e) => e.payload.n)).toEqual([2, 3, 4, 5, 6, 7, 8]);
      expect(after).toBe('none');
    } finally {
      await small.close();
    }
  });

  it('starts a subscriber without a cursor at the events committed after it subscribed', async () => {
    await ping('before');
    const stream = await follow(pubsub);
    await ping('after');
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event).toMatchObject({ position: 2, payload: { n: 'after' } });
  });

  it('refuses with CURSOR_EXPIRED a cursor older than what retention kept, or beyond the log', async () => {
    for (const n of [1, 2, 3]) await ping(n);
    await db.dataSource.query(`UPDATE cabinet.events SET created_at = now() - interval '31 days' WHERE company_id = $1 AND position <= 2`, [companyId]);
    expect(await eventLog.prune(db.dataSource, 30)).toBeGreaterThanOrEqual(2);
    const left = await db.dataSource.query(`SELECT position::int AS position FROM cabinet.events WHERE company_id = $1`, [companyId]);
    expect(left).toEqual([{ position: 3 }]);
    await expect(follow(pubsub, ['PING'], 1)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
    await expect(follow(pubsub, ['PING'], 4)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
    const stream = await follow(pubsub, ['PING'], 2);
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event).toMatchObject({ position: 3 });
  });

  it('ends with CURSOR_EXPIRED a subscriber that fell behind what retention kept', async () => {
    const small = await PgPubSub.start(db.url, db.dataSource, log, { maxPending: 2 });
    try {
      const stream = await follow(small);
      const marker = await follow(small);
      for (const n of [1, 2, 3, 4]) await ping(n);
      await take(marker, 4);
      await marker.return!();
      await db.dataSource.query(`UPDATE cabinet.events SET created_at = now() - interval '31 days' WHERE company_id = $1`, [companyId]);
      await eventLog.prune(db.dataSource, 30);
      expect((await take(stream, 2)).map((e) => e.position)).toEqual([1, 2]);
      await expect(stream.next()).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
      await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    } finally {
      await small.close();
    }
  });

  it('reads what was published while the LISTEN connection was down once it is back', async () => {
    const flaky = await PgPubSub.start(db.url, db.dataSource, log, { reconnectDelayMs: { initial: 300, max: 300 }, pollMs: NO_POLL_MS });
    try {
      let resyncs = 0;
      flaky.onResync(() => (resyncs += 1));
      const stream = await follow(flaky);
      const [killed] = await db.dataSource.query(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM (
           SELECT pid FROM pg_stat_activity WHERE application_name = 'cabinet-events' AND datname = current_database()
           ORDER BY backend_start DESC LIMIT 1
         ) newest`,
      );
      expect(killed.n).toBeGreaterThan(0);
      await ping('while down');
      await until(() => resyncs > 0, 'the resync');
      await ping('after');
      const events = await take(stream, 2);
      await stream.return!();
      expect(events.map((e) => e.payload.n)).toEqual(['while down', 'after']);
    } finally {
      await flaky.close();
    }
  });

  it('ends its subscribers when closed', async () => {
    const closing = await PgPubSub.start(db.url, db.dataSource, log);
    const stream = await follow(closing);
    const waiting = stream.next();
    await closing.close();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(closing.subscriberCount).toBe(0);
  });
});

describe('EventWakeups', () => {
  let db: TestDatabase;
  let listener: Client;
  const heard: { companyId: number; position: number }[] = [];
  let companyId = 5000;

  beforeAll(async () => {
    db = await createTestDatabase();
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (message) => heard.push(JSON.parse(message.payload ?? 'null')));
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await db.drop();
  });
  beforeEach(() => {
    // Each test uses a few companies from its own: companyId, companyId + 1, …
    companyId += 10;
  });
  const wakeups = () => EventWakeups.install(db.dataSource, EVENTS_CHANNEL);
  const heardOf = (company: number) => heard.filter((notice) => notice.companyId === company);

  it('wakes the followers after the commit, in a statement of its own, and never for a transaction rolled back', async () => {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const statements: string[] = [];
      const query = runner.query.bind(runner);
      jest.spyOn(runner, 'query').mockImplementation((sql: string, ...rest: unknown[]) => {
        statements.push(sql);
        return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest) as never;
      });
      await runner.startTransaction();
      await publishEvent(runner, { topic: 'PING', companyId, payload: {} });
      await publishEvent(runner, { topic: 'PING', companyId, payload: {} });
      // The transaction sends no NOTIFY of its own, so its commit takes no lock of the whole database.
      expect(statements.length).toBeGreaterThanOrEqual(3);
      expect(statements.filter((sql) => /notify/i.test(sql))).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heardOf(companyId)).toEqual([]);
      const sent = wakeups().counts.sent;
      await runner.commitTransaction();
      await wakeups().flush();
      await until(() => heardOf(companyId).length > 0, 'the wake-up');
      // One wake-up for the transaction, with its last position; sent after the commit, by the process.
      expect(heardOf(companyId)).toEqual([{ companyId, position: 2 }]);
      expect(wakeups().counts.sent).toBe(sent + 1);

      await runner.startTransaction();
      await publishEvent(runner, { topic: 'PING', companyId: companyId + 1, payload: {} });
      await runner.rollbackTransaction();
      await wakeups().flush();
      await publishEvent(db.dataSource, { topic: 'PING', companyId: companyId + 2, payload: {} });
      await wakeups().flush();
      await until(() => heardOf(companyId + 2).length > 0, 'the wake-up of a statement that commits alone');
      expect(heardOf(companyId + 1)).toEqual([]);
    } finally {
      await runner.release();
    }
  });

  it('coalesces the wake-ups of 200 concurrent commits into far fewer NOTIFYs, each company woken at its last position', async () => {
    const sent = wakeups().counts.sent;
    const companies = Array.from({ length: 20 }, (_, i) => companyId * 100 + i);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        db.dataSource.transaction((manager) => publishEvent(manager, { topic: 'PING', companyId: companies[i % 20], payload: { i } })),
      ),
    );
    await wakeups().flush();
    const notifies = wakeups().counts.sent - sent;
    expect(notifies).toBeGreaterThan(0);
    expect(notifies).toBeLessThan(100);
    for (const company of companies) {
      await until(() => heardOf(company).some((notice) => notice.position === 10), `company ${company} woken at position 10`);
    }
  });

  it('leaves a data source without wake-ups to the NOTIFY of the log’s own statement, at the commit', async () => {
    const plain = createDataSource(db.url, 2, 'cabinet-test-plain');
    await plain.initialize();
    try {
      await plain.transaction((manager) => publishEvent(manager, { topic: 'PING', companyId, payload: {} }));
      await until(() => heardOf(companyId).length > 0, 'the NOTIFY');
      expect(heardOf(companyId)).toEqual([{ companyId, position: 1 }]);
    } finally {
      await plain.destroy();
    }
  });

  it('lets a follower read an event whose wake-up was lost, at its next poll', async () => {
    const polling = await PgPubSub.start(db.url, db.dataSource, log, { pollMs: 200 });
    try {
      const stream = await polling.subscribe({ companyId, topics: ['PING'] });
      // As a process killed between its commit and its wake-up leaves it: in the log, announced to no one.
      await eventLog.append(db.dataSource, { companyId, topic: 'PING', payload: { n: 'unannounced' } });
      const [event] = await take(stream, 1);
      await stream.return!();
      expect(event).toMatchObject({ position: 1, payload: { n: 'unannounced' } });
      expect(heardOf(companyId)).toEqual([]);
    } finally {
      await polling.close();
    }
  });
});
