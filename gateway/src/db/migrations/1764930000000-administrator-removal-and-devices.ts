import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administrators removed by the operator keep their row (the actions history names them) but hold no grant,
 * session or password; `removed_at` says since when. Trusted devices are the browsers an administrator signed in
 * with: the device cookie's hash with each administrator who signed in through it. A phone's own trusted browser is
 * not held back by the per-address cap and the phone-wide delay of sign-in attempts (OWASP's device cookies).
 */
export class AdministratorRemovalAndDevices1764930000000 implements MigrationInterface {
  name = 'AdministratorRemovalAndDevices1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cabinet.administrators ADD COLUMN removed_at timestamptz`);
    await q.query(`CREATE TABLE cabinet.trusted_devices (
      token_hash bytea NOT NULL,
      administrator_id integer NOT NULL REFERENCES cabinet.administrators(id) ON DELETE CASCADE,
      signed_in_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (token_hash, administrator_id)
    )`);
    await q.query(`CREATE INDEX trusted_devices_administrator_idx ON cabinet.trusted_devices (administrator_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.trusted_devices`);
    await q.query(`ALTER TABLE cabinet.administrators DROP COLUMN removed_at`);
  }
}
