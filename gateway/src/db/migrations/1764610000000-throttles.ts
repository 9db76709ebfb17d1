import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exponential delays for sign-in guesses: each key (a phone, or a phone and an address) counts the attempts
 * that did not succeed and holds the next one back until `next_attempt_at`, instead of locking the owner out.
 */
export class Throttles1764610000000 implements MigrationInterface {
  name = 'Throttles1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.throttles (
      key varchar(160) PRIMARY KEY,
      failures integer NOT NULL,
      next_attempt_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.throttles`);
  }
}
