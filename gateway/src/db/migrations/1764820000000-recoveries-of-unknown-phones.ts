import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recovery started for a phone that is no administrator's is kept too, keyed by its phone, so that wrong codes
 * for it are counted, expire and void exactly as an administrator's: the answers cannot tell the phones apart.
 * Its code hash matches no code.
 */
export class RecoveriesOfUnknownPhones1764820000000 implements MigrationInterface {
  name = 'RecoveriesOfUnknownPhones1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cabinet.recoveries ALTER COLUMN administrator_id DROP NOT NULL, ADD COLUMN phone varchar(11)`);
    await q.query(`ALTER TABLE cabinet.recoveries ADD CONSTRAINT recoveries_owner_check CHECK (administrator_id IS NOT NULL OR phone IS NOT NULL)`);
    await q.query(
      `CREATE INDEX recoveries_open_phone_idx ON cabinet.recoveries (phone) WHERE administrator_id IS NULL AND finished_at IS NULL AND voided_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM cabinet.recoveries WHERE administrator_id IS NULL`);
    await q.query(`DROP INDEX cabinet.recoveries_open_phone_idx`);
    await q.query(`ALTER TABLE cabinet.recoveries DROP CONSTRAINT recoveries_owner_check, DROP COLUMN phone, ALTER COLUMN administrator_id SET NOT NULL`);
  }
}
