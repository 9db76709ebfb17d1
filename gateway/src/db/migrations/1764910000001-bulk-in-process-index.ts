import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared gate counts the items in process over every fleet operation before handing more to the billing
 * system: at most BILLING_CONCURRENCY of them, so this partial index holds a few dozen entries however many items
 * are pending, and the count stays cheap under the gate's lock.
 */
export class BulkInProcessIndex1764910000001 implements MigrationInterface {
  name = 'BulkInProcessIndex1764910000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX bulk_items_in_process_idx ON cabinet.bulk_items (bulk_operation_id, position) WHERE status = 'IN_PROCESS'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cabinet.bulk_items_in_process_idx`);
  }
}
