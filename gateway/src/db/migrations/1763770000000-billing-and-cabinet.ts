import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The billing system's data (schema `billing`) and the gateway's own data (schema `cabinet`).
 * Money is integer tiyn (1/100 tenge) in bigint columns.
 */
export class BillingAndCabinet1763770000000 implements MigrationInterface {
  name = 'BillingAndCabinet1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS billing`);
    await q.query(`CREATE SCHEMA IF NOT EXISTS cabinet`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`CREATE TYPE billing.payment_method AS ENUM ('ADVANCE', 'CREDIT')`);
    await q.query(`CREATE TYPE billing.number_state AS ENUM ('ACTIVE', 'BLOCKED', 'BLOCKED_DEBT', 'IN_PROCESS')`);
    await q.query(`CREATE TYPE billing.allowance_kind AS ENUM (
      'ONNET_CALLS', 'OFFNET_CALLS', 'LANDLINE_CALLS', 'INTERNATIONAL_CALLS', 'SMS', 'ONNET_SMS', 'DATA')`);
    await q.query(`CREATE TYPE billing.allowance_unit AS ENUM ('SECOND', 'SMS', 'MEGABYTE')`);
    await q.query(`CREATE TYPE billing.service_category AS ENUM ('VOICE', 'INTERNET', 'MESSAGING', 'OTHER')`);
    await q.query(`CREATE TYPE billing.payment_type AS ENUM ('PAYMENT', 'CHARGE', 'REFUND', 'ADJUSTMENT')`);
    await q.query(`CREATE TYPE billing.usage_type AS ENUM ('CALL', 'SMS', 'DATA', 'USSD')`);
    await q.query(`CREATE TYPE billing.usage_direction AS ENUM ('INCOMING', 'OUTGOING')`);
    await q.query(`CREATE TYPE billing.forwarding_condition AS ENUM ('ALWAYS', 'BUSY', 'NO_ANSWER', 'UNREACHABLE')`);

    await q.query(`CREATE TABLE billing.companies (
      id serial PRIMARY KEY,
      bin char(12) NOT NULL UNIQUE CHECK (bin ~ '^[0-9]{12}$'),
      name text NOT NULL,
      parent_id integer REFERENCES billing.companies(id)
    )`);

    await q.query(`CREATE TABLE billing.accounts (
      id serial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      account_no varchar(16) NOT NULL UNIQUE,
      payment_method billing.payment_method NOT NULL,
      credit_limit bigint NOT NULL DEFAULT 0 CHECK (credit_limit >= 0)
    )`);
    await q.query(`CREATE INDEX accounts_company_idx ON billing.accounts (company_id)`);

    await q.query(`CREATE TABLE billing.tariffs (
      id serial PRIMARY KEY,
      code varchar(64) NOT NULL UNIQUE,
      name jsonb NOT NULL,
      monthly_fee bigint NOT NULL DEFAULT 0
    )`);

    await q.query(`CREATE TABLE billing.numbers (
      id serial PRIMARY KEY,
      msisdn varchar(11) NOT NULL UNIQUE CHECK (msisdn ~ '^7[0-9]{10}$'),
      company_id integer NOT NULL REFERENCES billing.companies(id),
      account_id integer NOT NULL REFERENCES billing.accounts(id),
      tariff_id integer NOT NULL REFERENCES billing.tariffs(id),
      state billing.number_state NOT NULL DEFAULT 'ACTIVE',
      state_changed_at timestamptz NOT NULL DEFAULT now(),
      balance bigint NOT NULL DEFAULT 0,
      available_funds bigint NOT NULL DEFAULT 0,
      individual_limit bigint CHECK (individual_limit >= 0),
      registration_form varchar(32) NOT NULL,
      is_m2m boolean NOT NULL DEFAULT false,
      roaming_debt bigint CHECK (roaming_debt >= 0),
      sms_ussd_ban boolean NOT NULL DEFAULT false,
      last_imei char(15) CHECK (last_imei ~ '^[0-9]{15}$')
    )`);
    await q.query(`CREATE INDEX numbers_company_msisdn_idx ON billing.numbers (company_id, msisdn)`);
    await q.query(`CREATE INDEX numbers_company_state_msisdn_idx ON billing.numbers (company_id, state, msisdn)`);
    await q.query(`CREATE INDEX numbers_msisdn_trgm_idx ON billing.numbers USING gin (msisdn gin_trgm_ops)`);
    await q.query(`CREATE INDEX numbers_account_idx ON billing.numbers (account_id)`);

    await q.query(`CREATE TABLE billing.sim_cards (
      id serial PRIMARY KEY,
      iccid char(20) NOT NULL UNIQUE CHECK (iccid ~ '^[0-9]{20}$'),
      pin1 varchar(8) NOT NULL,
      pin2 varchar(8) NOT NULL,
      puk1 varchar(8) NOT NULL,
      puk2 varchar(8) NOT NULL,
      number_id integer REFERENCES billing.numbers(id),
      installed_at timestamptz,
      replaced_at timestamptz,
      retired_at timestamptz
    )`);
    await q.query(`CREATE UNIQUE INDEX sim_cards_current_idx ON billing.sim_cards (number_id) WHERE retired_at IS NULL AND number_id IS NOT NULL`);
    await q.query(`CREATE INDEX sim_cards_free_idx ON billing.sim_cards (iccid) WHERE number_id IS NULL AND retired_at IS NULL`);

    await q.query(`CREATE TABLE billing.registered_devices (
      id serial PRIMARY KEY,
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      imei char(15) NOT NULL CHECK (imei ~ '^[0-9]{15}$'),
      registered_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (number_id, imei)
    )`);

    await q.query(`CREATE TABLE billing.allowances (
      id serial PRIMARY KEY,
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      kind billing.allowance_kind NOT NULL,
      is_bonus boolean NOT NULL,
      unlimited boolean NOT NULL DEFAULT false,
      available bigint,
      total bigint,
      unit billing.allowance_unit NOT NULL,
      valid_from date NOT NULL,
      valid_to date NOT NULL,
      CHECK (unlimited OR (available IS NOT NULL AND total IS NOT NULL AND available BETWEEN 0 AND total)),
      CHECK (valid_from <= valid_to)
    )`);
    await q.query(`CREATE INDEX allowances_number_idx ON billing.allowances (number_id)`);

    await q.query(`CREATE TABLE billing.services (
      id serial PRIMARY KEY,
      code varchar(64) NOT NULL UNIQUE,
      category billing.service_category NOT NULL,
      name jsonb NOT NULL,
      description jsonb NOT NULL,
      monthly_fee bigint NOT NULL DEFAULT 0,
      position integer NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE TABLE billing.tariff_services (
      tariff_id integer NOT NULL REFERENCES billing.tariffs(id),
      service_id integer NOT NULL REFERENCES billing.services(id),
      PRIMARY KEY (tariff_id, service_id)
    )`);
    await q.query(`CREATE TABLE billing.connected_services (
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      service_id integer NOT NULL REFERENCES billing.services(id),
      connected_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (number_id, service_id)
    )`);

    await q.query(`CREATE TABLE billing.payments (
      id bigserial PRIMARY KEY,
      account_id integer NOT NULL REFERENCES billing.accounts(id),
      number_id integer REFERENCES billing.numbers(id),
      paid_at timestamptz NOT NULL,
      type billing.payment_type NOT NULL,
      comment text NOT NULL DEFAULT '',
      amount bigint NOT NULL,
      balance_before bigint NOT NULL,
      balance_after bigint NOT NULL
    )`);
    await q.query(`CREATE INDEX payments_number_time_idx ON billing.payments (number_id, paid_at DESC, id DESC) WHERE number_id IS NOT NULL`);
    await q.query(`CREATE INDEX payments_account_time_idx ON billing.payments (account_id, paid_at DESC, id DESC)`);

    await q.query(`CREATE TABLE billing.usage_records (
      id bigserial PRIMARY KEY,
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      started_at timestamptz NOT NULL,
      type billing.usage_type NOT NULL,
      direction billing.usage_direction NOT NULL,
      other_party varchar(32),
      duration_seconds integer CHECK (duration_seconds >= 0),
      volume_kb bigint CHECK (volume_kb >= 0),
      cost bigint NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE INDEX usage_number_time_idx ON billing.usage_records (number_id, started_at DESC, id DESC)`);

    await q.query(`CREATE TABLE billing.call_forwardings (
      number_id integer NOT NULL REFERENCES billing.numbers(id),
      condition billing.forwarding_condition NOT NULL,
      target char(11) NOT NULL CHECK (target ~ '^7[0-9]{10}$'),
      set_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (number_id, condition)
    )`);

    await q.query(`CREATE TYPE cabinet.action_status AS ENUM ('IN_PROCESS', 'SUCCESS', 'FAILURE')`);
    await q.query(`CREATE TABLE cabinet.action_log (
      id bigserial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      number_id integer REFERENCES billing.numbers(id),
      action varchar(64) NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      status cabinet.action_status NOT NULL,
      actor_name text NOT NULL,
      actor_phone char(11),
      client_address inet,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX action_log_company_time_idx ON cabinet.action_log (company_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX action_log_number_time_idx ON cabinet.action_log (number_id, created_at DESC, id DESC) WHERE number_id IS NOT NULL`);

    await q.query(`CREATE TABLE cabinet.seed_runs (
      name varchar(64) PRIMARY KEY,
      seeded_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA cabinet CASCADE`);
    await q.query(`DROP SCHEMA billing CASCADE`);
  }
}
