import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator side's actions log: what was done to the portal itself (releases made live, canaries started, promoted
 * or dropped, rollbacks), by whom and when, each written in the transaction of what it records.
 */
export class OperatorActions1764770000000 implements MigrationInterface {
  name = 'OperatorActions1764770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.operator_actions (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor varchar(200) NOT NULL,
      action varchar(40) NOT NULL CHECK (action IN ('RELEASE_ACTIVATED', 'CANARY_STARTED', 'CANARY_PROMOTED', 'CANARY_DROPPED', 'RELEASE_ROLLED_BACK')),
      section varchar(64) NOT NULL,
      version varchar(100) NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'
    )`);
    await q.query(`CREATE INDEX operator_actions_at_idx ON cabinet.operator_actions (at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.operator_actions`);
  }
}
