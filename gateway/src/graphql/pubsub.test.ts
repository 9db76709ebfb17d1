import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { MAX_NOTIFY_BYTES, PgPubSub, type CabinetEvent } from './pubsub';

const log = pino({ level: 'silent' });

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

  beforeAll(async () => {
    db = await createTestDatabase();
    pubsub = await PgPubSub.start(db.url, log);
  });
  afterAll(async () => {
    await pubsub.close();
    await db.drop();
  });
  beforeEach(() => {
    companyId += 1;
  });

  it('delivers a company’s events in commit order with sequence numbers 1, 2, 3', async () => {
    const stream = pubsub.subscribe('PING', (event) => event.companyId === companyId);
    for (const n of [1, 2, 3]) {
      expect(await pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload: { n } })).toEqual({ sequence: n });
    }
    const events = await take(stream, 3);
    await stream.return!();
    expect(events).toEqual([1, 2, 3].map((n) => ({ topic: 'PING', companyId, sequence: n, payload: { n } })));
  });

  it('numbers events without a company 0', async () => {
    const stream = pubsub.subscribe('NO_COMPANY');
    expect(await pubsub.publish(db.dataSource, { topic: 'NO_COMPANY', companyId: null, payload: { administratorId: 7 } })).toEqual({ sequence: 0 });
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event).toEqual({ topic: 'NO_COMPANY', companyId: null, sequence: 0, payload: { administratorId: 7 } });
  });

  it('gives a subscriber only the events its filter and topic accept', async () => {
    const stream = pubsub.subscribe('PING', (event) => event.companyId === companyId);
    await pubsub.publish(db.dataSource, { topic: 'PING', companyId: companyId + 500, payload: { n: 'other company' } });
    await pubsub.publish(db.dataSource, { topic: 'PONG', companyId, payload: { n: 'other topic' } });
    await pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload: { n: 'mine' } });
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event.payload).toEqual({ n: 'mine' });
  });

  it('delivers nothing from a rolled-back transaction, and the sequence skips nothing', async () => {
    const stream = pubsub.subscribe('PING', (event) => event.companyId === companyId);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await pubsub.publish(manager, { topic: 'PING', companyId, payload: { n: 'rolled back' } });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await db.dataSource.transaction((manager) => pubsub.publish(manager, { topic: 'PING', companyId, payload: { n: 'committed' } }));
    const [event] = await take(stream, 1);
    await stream.return!();
    expect(event).toMatchObject({ sequence: 1, payload: { n: 'committed' } });
  });

  it('delivers an event published on one process to the subscribers of another', async () => {
    const other = await PgPubSub.start(db.url, log);
    try {
      const stream = other.subscribe('PING', (event) => event.companyId === companyId);
      await pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload: { from: 'first' } });
      const [event] = await take(stream, 1);
      await stream.return!();
      expect(event.payload).toEqual({ from: 'first' });
    } finally {
      await other.close();
    }
  });

  it('ends a waiting subscriber when it returns, and detaches it', async () => {
    const before = pubsub.subscriberCount;
    const stream = pubsub.subscribe('PING');
    expect(pubsub.subscriberCount).toBe(before + 1);
    const waiting = stream.next();
    await stream.return!();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(pubsub.subscriberCount).toBe(before);
  });

  it('refuses an event too big for NOTIFY', async () => {
    const payload = { text: 'x'.repeat(MAX_NOTIFY_BYTES) };
    await expect(pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload })).rejects.toThrow(RangeError);
    const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM cabinet.event_sequences WHERE company_id = $1`, [companyId]);
    expect(row.n).toBe(0);
  });

  it('drops a slow subscriber’s oldest events beyond its limit', async () => {
    const small = await PgPubSub.start(db.url, log, { maxPending: 2 });
    try {
      const stream = small.subscribe('PING', (event) => event.companyId === companyId);
      const marker = small.subscribe('PING', (event) => event.companyId === companyId && event.sequence === 4);
      for (const n of [1, 2, 3, 4]) await pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload: { n } });
      await take(marker, 1);
      await marker.return!();
      const events = await take(stream, 2);
      await stream.return!();
      expect(events.map((e) => e.sequence)).toEqual([3, 4]);
    } finally {
      await small.close();
    }
  });

  it('reconnects when the LISTEN connection drops and tells its resync listeners', async () => {
    const flaky = await PgPubSub.start(db.url, log, { reconnectDelayMs: { initial: 10, max: 50 } });
    try {
      let resyncs = 0;
      flaky.onResync(() => (resyncs += 1));
      const stream = flaky.subscribe('PING', (event) => event.companyId === companyId);
      const [killed] = await db.dataSource.query(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM (
           SELECT pid FROM pg_stat_activity WHERE application_name = 'cabinet-events' AND datname = current_database()
           ORDER BY backend_start DESC LIMIT 1
         ) newest`,
      );
      expect(killed.n).toBeGreaterThan(0);
      await until(() => resyncs > 0, 'the resync');
      await pubsub.publish(db.dataSource, { topic: 'PING', companyId, payload: { n: 'after' } });
      const [event] = await take(stream, 1);
      await stream.return!();
      expect(event.payload).toEqual({ n: 'after' });
    } finally {
      await flaky.close();
    }
  });

  it('ends its subscribers when closed', async () => {
    const closing = await PgPubSub.start(db.url, log);
    const stream = closing.subscribe('PING');
    const waiting = stream.next();
    await closing.close();
    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(closing.subscriberCount).toBe(0);
  });
});
