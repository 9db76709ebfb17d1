import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Numbers In process are few: the readiness check and the metrics find the ones left there without a scan. */
export class NumbersInProcessIndex1764600000001 implements MigrationInterface {
  name = 'NumbersInProcessIndex1764600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX numbers_in_process_idx ON billing.numbers (state_changed_at) WHERE state = 'IN_PROCESS'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX billing.numbers_in_process_idx`);
  }
}
