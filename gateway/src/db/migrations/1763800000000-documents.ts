import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Server secrets shared by every gateway process (download links), and reports prepared in the background. */
export class Documents1763800000000 implements MigrationInterface {
  name = 'Documents1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.secrets (
      name varchar(64) PRIMARY KEY,
      value bytea NOT NULL CHECK (octet_length(value) >= 32),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TYPE cabinet.report_kind AS ENUM ('NUMBERS_LIST', 'RECONCILIATION_ACT')`);
    await q.query(`CREATE TABLE cabinet.reports (
      id bigserial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      kind cabinet.report_kind NOT NULL,
      status cabinet.action_status NOT NULL DEFAULT 'IN_PROCESS',
      params jsonb NOT NULL DEFAULT '{}',
      email varchar(254) NOT NULL,
      language char(2) NOT NULL,
      action_log_id bigint REFERENCES cabinet.action_log(id),
      administrator_id integer REFERENCES cabinet.administrators(id),
      api_key_id integer REFERENCES cabinet.api_keys(id),
      rows integer,
      data_as_of timestamptz,
      failure_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX reports_company_time_idx ON cabinet.reports (company_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.reports`);
    await q.query(`DROP TYPE cabinet.report_kind`);
    await q.query(`DROP TABLE cabinet.secrets`);
  }
}
