import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fleet operations. A bulk operation is one operation kind with one input applied to many numbers (its items); a
 * single operation given a start time, or one that needs a second administrator's approval, is a bulk operation of
 * one item. Items are written when the operation is created (the selection the dry run showed, in its order), so a
 * scheduled or approved operation runs on exactly what was confirmed; the dry run is repeated when it starts.
 *
 * - `bulk_items.operation_id`: the operation submitted to the billing system for the item; an item is handed over
 *   (IN_PROCESS) in the same transaction that writes that operation, and finished in the one that finishes it, so
 *   every item is applied exactly once whatever process dies when.
 * - `billing_gate`: the one token bucket all workers draw from before handing items to the billing system
 *   (BILLING_MAX_RATE per second), taken under its row lock.
 * - `progress_published_at`: progress events of an operation are published at most a few times a second, whichever
 *   process finishes its items (one conditional UPDATE decides).
 * - `company_policies`: what a company's administrators require a second administrator's approval for.
 * - `bulk_uploads`/`bulk_upload_lines`: an uploaded list of numbers (CSV or XLSX), checked line by line when received.
 */
export class BulkOperations1764900000000 implements MigrationInterface {
  name = 'BulkOperations1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TYPE cabinet.bulk_status AS ENUM ('AWAITING_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED', 'FINISHED', 'CANCELLED', 'REJECTED', 'EXPIRED')`,
    );
    await q.query(`CREATE TYPE cabinet.bulk_item_status AS ENUM ('PENDING', 'IN_PROCESS', 'SUCCESS', 'FAILURE', 'SKIPPED', 'CANCELLED')`);
    await q.query(`CREATE TABLE cabinet.bulk_uploads (
      id bigserial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      file_name text NOT NULL,
      with_iccid boolean NOT NULL,
      lines integer NOT NULL,
      administrator_id integer REFERENCES cabinet.administrators(id),
      api_key_id integer REFERENCES cabinet.api_keys(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE cabinet.bulk_upload_lines (
      upload_id bigint NOT NULL REFERENCES cabinet.bulk_uploads(id) ON DELETE CASCADE,
      line integer NOT NULL,
      raw text NOT NULL,
      msisdn char(11),
      iccid varchar(20),
      error varchar(64),
      PRIMARY KEY (upload_id, line)
    )`);
    await q.query(`CREATE TABLE cabinet.bulk_operations (
      id bigserial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      kind cabinet.operation_kind NOT NULL,
      input jsonb NOT NULL DEFAULT '{}',
      selection jsonb NOT NULL,
      status cabinet.bulk_status NOT NULL,
      total integer NOT NULL CHECK (total BETWEEN 1 AND 100000),
      plan_token text NOT NULL,
      idempotency_key varchar(100),
      start_at timestamptz,
      administrator_id integer REFERENCES cabinet.administrators(id),
      api_key_id integer REFERENCES cabinet.api_keys(id),
      actor_name text NOT NULL,
      actor_phone char(11),
      action_log_id bigint REFERENCES cabinet.action_log(id),
      approval_required boolean NOT NULL DEFAULT false,
      decided_by integer REFERENCES cabinet.administrators(id),
      decided_at timestamptz,
      decision_comment text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      progress_published_at timestamptz
    )`);
    await q.query(
      `CREATE UNIQUE INDEX bulk_operations_idempotency_idx ON cabinet.bulk_operations (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX bulk_operations_company_time_idx ON cabinet.bulk_operations (company_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX bulk_operations_open_idx ON cabinet.bulk_operations (status) WHERE status IN ('AWAITING_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED')`,
    );
    await q.query(`CREATE TABLE cabinet.bulk_items (
      bulk_operation_id bigint NOT NULL REFERENCES cabinet.bulk_operations(id),
      position integer NOT NULL,
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      msisdn char(11) NOT NULL,
      input jsonb,
      status cabinet.bulk_item_status NOT NULL DEFAULT 'PENDING',
      reason varchar(64),
      operation_id bigint REFERENCES cabinet.operations(id),
      finished_at timestamptz,
      PRIMARY KEY (bulk_operation_id, position)
    )`);
    await q.query(`CREATE INDEX bulk_items_pending_idx ON cabinet.bulk_items (bulk_operation_id, position) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX bulk_items_status_idx ON cabinet.bulk_items (bulk_operation_id, status)`);
    await q.query(`CREATE INDEX bulk_items_open_number_idx ON cabinet.bulk_items (number_id) WHERE status IN ('PENDING', 'IN_PROCESS')`);
    await q.query(`CREATE UNIQUE INDEX bulk_items_operation_idx ON cabinet.bulk_items (operation_id) WHERE operation_id IS NOT NULL`);
    await q.query(`ALTER TABLE cabinet.operations ADD COLUMN bulk_operation_id bigint REFERENCES cabinet.bulk_operations(id)`);
    await q.query(`ALTER TABLE cabinet.action_log ADD COLUMN bulk_operation_id bigint REFERENCES cabinet.bulk_operations(id)`);
    await q.query(`CREATE INDEX action_log_bulk_idx ON cabinet.action_log (bulk_operation_id) WHERE bulk_operation_id IS NOT NULL`);
    await q.query(`CREATE TABLE cabinet.company_policies (
      company_id integer PRIMARY KEY REFERENCES billing.companies(id),
      sim_replacement_approval boolean NOT NULL DEFAULT false,
      bulk_approval_threshold integer CHECK (bulk_approval_threshold >= 1),
      updated_by integer REFERENCES cabinet.administrators(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE cabinet.billing_gate (
      id integer PRIMARY KEY CHECK (id = 1),
      tokens double precision NOT NULL,
      refilled_at timestamptz NOT NULL
    )`);
    await q.query(`INSERT INTO cabinet.billing_gate (id, tokens, refilled_at) VALUES (1, 0, now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.billing_gate`);
    await q.query(`DROP TABLE cabinet.company_policies`);
    await q.query(`ALTER TABLE cabinet.action_log DROP COLUMN bulk_operation_id`);
    await q.query(`ALTER TABLE cabinet.operations DROP COLUMN bulk_operation_id`);
    await q.query(`DROP TABLE cabinet.bulk_items`);
    await q.query(`DROP TABLE cabinet.bulk_operations`);
    await q.query(`DROP TABLE cabinet.bulk_upload_lines`);
    await q.query(`DROP TABLE cabinet.bulk_uploads`);
    await q.query(`DROP TYPE cabinet.bulk_item_status`);
    await q.query(`DROP TYPE cabinet.bulk_status`);
  }
}
