import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open WebSockets of every gateway process, so that the limits on sockets per client address and per
 * session or key hold across processes: each process has a row it keeps fresh, and a lease per socket and key.
 * Leases of a process that stopped refreshing no longer count; they go with its row an hour later.
 */
export class SocketLeases1764750000000 implements MigrationInterface {
  name = 'SocketLeases1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.gateway_processes (
      id uuid PRIMARY KEY,
      started_at timestamptz NOT NULL DEFAULT now(),
      seen_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE cabinet.socket_leases (
      id bigserial PRIMARY KEY,
      process_id uuid NOT NULL REFERENCES cabinet.gateway_processes(id) ON DELETE CASCADE,
      key text NOT NULL,
      opened_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX socket_leases_key_idx ON cabinet.socket_leases (key, process_id)`);
    await q.query(`CREATE INDEX socket_leases_process_idx ON cabinet.socket_leases (process_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.socket_leases`);
    await q.query(`DROP TABLE cabinet.gateway_processes`);
  }
}
