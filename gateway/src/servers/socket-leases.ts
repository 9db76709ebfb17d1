import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger';

/** How often a process says it is alive; leases of a process not heard of for `STALE_MS` no longer count. */
const HEARTBEAT_MS = 10_000;
const STALE_MS = 30_000;
/** A process not heard of for this long is forgotten with its leases. */
const FORGOTTEN_MS = 60 * 60_000;

/**
 * The limits on open WebSockets (per client address, per session or key), counted over every gateway process in
 * PostgreSQL. Taking a lease is one atomic step: under a transaction-scoped advisory lock on the key, the count of
 * the key's live leases and the insert of the new one, so that parallel upgrades on any processes never pass the
 * limit together. A process that dies stops refreshing its row, and its leases stop counting `STALE_MS` later.
 */
export class SocketLeases {
  readonly processId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  /** Leases whose release failed (the database was away): released with the next heartbeat. */
  private readonly unreleased = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: Logger,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  /** Registers the process and keeps it alive until `stop()`. */
  async start(): Promise<void> {
    await this.heartbeat();
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.heartbeat().catch((error: unknown) => this.log.warn({ err: error }, 'could not refresh the socket leases'));
    }, this.heartbeatMs).unref();
  }

  /**
   * A lease on `key` if fewer than `limit` live ones exist on all processes, else null. Throws when the database
   * cannot be reached (the socket is then refused: "try again later").
   */
  async acquire(key: string, limit: number): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7301))`, [key]);
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO cabinet.socket_leases (process_id, key)
         SELECT $1, $2
         WHERE (SELECT count(*) FROM cabinet.socket_leases l JOIN cabinet.gateway_processes p ON p.id = l.process_id
                WHERE l.key = $2 AND p.seen_at > now() - make_interval(secs => $4)) < $3
         RETURNING id::text`,
        [this.processId, key, limit, STALE_MS / 1000],
      );
      return rows[0]?.id ?? null;
    });
  }

  /** Gives leases back when their socket closes; never throws (a failed release is retried with the heartbeat). */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      await this.dataSource.query(`DELETE FROM cabinet.socket_leases WHERE id = ANY($1::bigint[])`, [ids]);
    } catch (error) {
      for (const id of ids) this.unreleased.add(id);
      this.log.warn({ err: error }, 'could not release socket leases; retrying with the next heartbeat');
    }
  }

  /** Forgets the process and its leases. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.dataSource.query(`DELETE FROM cabinet.gateway_processes WHERE id = $1`, [this.processId]);
    } catch (error) {
      // Its row goes stale on its own, and its leases stop counting.
      this.log.warn({ err: error }, 'could not forget the socket leases of this process');
    }
  }

  private async heartbeat(): Promise<void> {
    // Back after an outage that made it stale, the process counts again with the leases it still holds.
    await this.dataSource.query(`INSERT INTO cabinet.gateway_processes (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET seen_at = now()`, [this.processId]);
    if (this.unreleased.size > 0) {
      const ids = [...this.unreleased];
      await this.dataSource.query(`DELETE FROM cabinet.socket_leases WHERE id = ANY($1::bigint[])`, [ids]);
      for (const id of ids) this.unreleased.delete(id);
    }
    await this.dataSource.query(`DELETE FROM cabinet.gateway_processes WHERE seen_at < now() - make_interval(secs => $1)`, [FORGOTTEN_MS / 1000]);
  }
}
