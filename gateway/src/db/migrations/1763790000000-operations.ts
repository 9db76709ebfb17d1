import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operations on numbers carried out by the billing system, and per-company, per-topic event sequences for subscribers. */
export class Operations1763790000000 implements MigrationInterface {
  name = 'Operations1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.numbers ADD COLUMN secret_code_set_at timestamptz`);
    await q.query(`CREATE TYPE cabinet.operation_kind AS ENUM (
      'BLOCK_NUMBER', 'UNBLOCK_NUMBER', 'REPLACE_SIM', 'CONNECT_SERVICE', 'DISCONNECT_SERVICE', 'REGISTER_DEVICE',
      'UNREGISTER_DEVICE', 'SET_SMS_USSD_BAN', 'SET_CALL_FORWARDING', 'CANCEL_CALL_FORWARDING', 'SEND_SECRET_CODE',
      'DELETE_SECRET_CODE')`);
    await q.query(`CREATE TABLE cabinet.operations (
      id bigserial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      kind cabinet.operation_kind NOT NULL,
      status cabinet.action_status NOT NULL DEFAULT 'IN_PROCESS',
      params jsonb NOT NULL DEFAULT '{}',
      idempotency_key varchar(100),
      previous_state billing.number_state,
      failure_reason text,
      action_log_id bigint REFERENCES cabinet.action_log(id),
      administrator_id integer REFERENCES cabinet.administrators(id),
      api_key_id integer REFERENCES cabinet.api_keys(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await q.query(`CREATE UNIQUE INDEX operations_idempotency_idx ON cabinet.operations (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX operations_one_in_process_idx ON cabinet.operations (number_id, kind) WHERE status = 'IN_PROCESS'`);
    await q.query(`CREATE INDEX operations_company_time_idx ON cabinet.operations (company_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX operations_number_time_idx ON cabinet.operations (number_id, created_at DESC, id DESC)`);
    await q.query(`CREATE TABLE cabinet.event_sequences (
      company_id integer NOT NULL,
      topic varchar(64) NOT NULL,
      last_sequence bigint NOT NULL,
      PRIMARY KEY (company_id, topic)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.event_sequences`);
    await q.query(`DROP TABLE cabinet.operations`);
    await q.query(`DROP TYPE cabinet.operation_kind`);
    await q.query(`ALTER TABLE billing.numbers DROP COLUMN secret_code_set_at`);
  }
}
