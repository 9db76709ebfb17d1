import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { SocketLeases } from './socket-leases';

const log = pino({ level: 'silent' });

describe('socket leases', () => {
  let db: TestDatabase;
  const started: SocketLeases[] = [];
  const process = async () => {
    const leases = new SocketLeases(db.dataSource, log, 60_000);
    await leases.start();
    started.push(leases);
    return leases;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const leases of started) await leases.stop();
    await db?.drop();
  });

  it('gives exactly the limit of leases on a key to 200 parallel requests of three processes', async () => {
    const processes = [await process(), await process(), await process()];
    const leases = await Promise.all(Array.from({ length: 200 }, (_, i) => processes[i % 3].acquire('p:parallel', 37)));
    expect(leases.filter((lease) => lease !== null)).toHaveLength(37);
    expect(await processes[0].acquire('p:other', 37)).not.toBeNull();
  });

  it('frees a place when a lease is released', async () => {
    const leases = await process();
    const first = await leases.acquire('a:203.0.113.1', 1);
    expect(first).not.toBeNull();
    expect(await leases.acquire('a:203.0.113.1', 1)).toBeNull();
    await leases.release([first!]);
    expect(await leases.acquire('a:203.0.113.1', 1)).not.toBeNull();
  });

  it('stops counting the leases of a process that no longer refreshes its row, and counts them again when it does', async () => {
    const [dead, alive] = [await process(), await process()];
    expect(await dead.acquire('s:stale', 1)).not.toBeNull();
    expect(await alive.acquire('s:stale', 1)).toBeNull();
    await db.dataSource.query(`UPDATE cabinet.gateway_processes SET seen_at = now() - interval '31 seconds' WHERE id = $1`, [dead.processId]);
    const taken = await alive.acquire('s:stale', 1);
    expect(taken).not.toBeNull();
    await alive.release([taken!]);
    await dead.start();
    expect(await alive.acquire('s:stale', 1)).toBeNull();
  });

  it('forgets a process and its leases when it stops', async () => {
    const leases = new SocketLeases(db.dataSource, log, 60_000);
    await leases.start();
    await leases.acquire('k:stopping', 5);
    await leases.stop();
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM cabinet.socket_leases WHERE key = 'k:stopping'`);
    expect(count).toBe(0);
  });
});
