import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Administrators, their company grants, sessions, password recovery, SMS outbox, registration requests, partner keys. */
export class AdministratorsAndAccess1763780000000 implements MigrationInterface {
  name = 'AdministratorsAndAccess1763780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE cabinet.language AS ENUM ('en', 'ru', 'kk')`);
    await q.query(`CREATE TABLE cabinet.administrators (
      id serial PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      phone varchar(11) NOT NULL UNIQUE CHECK (phone ~ '^7[0-9]{10}$'),
      email varchar(254) NOT NULL,
      password_hash text,
      password_changed_at timestamptz,
      language cabinet.language NOT NULL DEFAULT 'ru',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE cabinet.grants (
      administrator_id integer NOT NULL REFERENCES cabinet.administrators(id) ON DELETE CASCADE,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      short_name varchar(100),
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (administrator_id, company_id)
    )`);
    await q.query(`CREATE INDEX grants_company_idx ON cabinet.grants (company_id)`);

    await q.query(`CREATE TABLE cabinet.sessions (
      id bigserial PRIMARY KEY,
      token_hash bytea NOT NULL UNIQUE,
      administrator_id integer NOT NULL REFERENCES cabinet.administrators(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      client_address inet,
      user_agent text
    )`);
    await q.query(`CREATE INDEX sessions_administrator_idx ON cabinet.sessions (administrator_id) WHERE revoked_at IS NULL`);

    await q.query(`CREATE TABLE cabinet.recoveries (
      id bigserial PRIMARY KEY,
      administrator_id integer NOT NULL REFERENCES cabinet.administrators(id) ON DELETE CASCADE,
      code_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      code_expires_at timestamptz NOT NULL,
      last_sent_at timestamptz NOT NULL,
      sends integer NOT NULL DEFAULT 1,
      failed_attempts integer NOT NULL DEFAULT 0,
      verified_at timestamptz,
      completion_hash bytea,
      completion_expires_at timestamptz,
      finished_at timestamptz,
      voided_at timestamptz
    )`);
    await q.query(`CREATE INDEX recoveries_open_idx ON cabinet.recoveries (administrator_id) WHERE finished_at IS NULL AND voided_at IS NULL`);

    await q.query(`CREATE TABLE cabinet.sms_outbox (
      id bigserial PRIMARY KEY,
      phone varchar(11) NOT NULL,
      text text NOT NULL,
      purpose varchar(32) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_via varchar(16)
    )`);
    await q.query(`CREATE INDEX sms_outbox_phone_idx ON cabinet.sms_outbox (phone, created_at DESC)`);

    await q.query(`CREATE TABLE cabinet.rate_limits (
      key varchar(128) PRIMARY KEY,
      window_started_at timestamptz NOT NULL,
      hits integer NOT NULL
    )`);

    await q.query(`CREATE TYPE cabinet.registration_status AS ENUM ('PENDING', 'APPROVED', 'REJECTED')`);
    await q.query(`CREATE TABLE cabinet.registration_requests (
      id serial PRIMARY KEY,
      bin char(12) NOT NULL CHECK (bin ~ '^[0-9]{12}$'),
      name text NOT NULL,
      phone varchar(11) NOT NULL CHECK (phone ~ '^7[0-9]{10}$'),
      email varchar(254) NOT NULL,
      status cabinet.registration_status NOT NULL DEFAULT 'PENDING',
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      client_address inet
    )`);

    await q.query(`CREATE TYPE cabinet.api_key_scope AS ENUM ('READ', 'OPERATE')`);
    await q.query(`CREATE TABLE cabinet.api_keys (
      id serial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      created_by integer NOT NULL REFERENCES cabinet.administrators(id),
      name varchar(100) NOT NULL,
      scope cabinet.api_key_scope NOT NULL,
      prefix varchar(16) NOT NULL,
      secret_hash bytea NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz,
      budget numeric(12, 3) NOT NULL,
      budget_updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX api_keys_company_idx ON cabinet.api_keys (company_id)`);

    await q.query(`ALTER TABLE cabinet.action_log
      ALTER COLUMN company_id DROP NOT NULL,
      ADD COLUMN administrator_id integer REFERENCES cabinet.administrators(id),
      ADD COLUMN api_key_id integer REFERENCES cabinet.api_keys(id)`);
    await q.query(`CREATE INDEX action_log_administrator_idx ON cabinet.action_log (administrator_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM cabinet.action_log WHERE company_id IS NULL`);
    await q.query(`ALTER TABLE cabinet.action_log DROP COLUMN api_key_id, DROP COLUMN administrator_id, ALTER COLUMN company_id SET NOT NULL`);
    for (const table of ['api_keys', 'registration_requests', 'rate_limits', 'sms_outbox', 'recoveries', 'sessions', 'grants', 'administrators']) {
      await q.query(`DROP TABLE cabinet.${table}`);
    }
    await q.query(`DROP TYPE cabinet.api_key_scope`);
    await q.query(`DROP TYPE cabinet.registration_status`);
    await q.query(`DROP TYPE cabinet.language`);
  }
}
