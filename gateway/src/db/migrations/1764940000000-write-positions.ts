import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the primary's WAL stood after the last change made through a session or an API key: with a standby for
 * reads (DATABASE_READ_URL), that caller's queries read from the primary until the standby has replayed past it, so
 * that everyone sees their own changes at once. Null until the first change; read with the row each request looks up.
 */
export class WritePositions1764940000000 implements MigrationInterface {
  name = 'WritePositions1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cabinet.sessions ADD COLUMN write_lsn pg_lsn`);
    await q.query(`ALTER TABLE cabinet.api_keys ADD COLUMN write_lsn pg_lsn`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cabinet.api_keys DROP COLUMN write_lsn`);
    await q.query(`ALTER TABLE cabinet.sessions DROP COLUMN write_lsn`);
  }
}
