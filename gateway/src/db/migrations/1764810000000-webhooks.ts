import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partners' webhook endpoints and their deliveries. A trigger on the event log turns each company event into one
 * delivery per enabled endpoint of the company subscribed to its topic, in the transaction that wrote the event:
 * a rolled-back event leaves no delivery, a committed one always has its deliveries (see webhook.dispatcher.ts).
 * A delivery keeps a copy of its event, so that it outlives the log's retention. Secrets are kept as they are: an
 * endpoint's requests are signed with them.
 */
export class Webhooks1764810000000 implements MigrationInterface {
  name = 'Webhooks1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.webhook_endpoints (
      id serial PRIMARY KEY,
      company_id integer NOT NULL REFERENCES billing.companies(id),
      name varchar(100) NOT NULL,
      url varchar(2048) NOT NULL,
      event_types text[] NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      disabled_at timestamptz,
      disabled_reason varchar(16) CHECK (disabled_reason IN ('MANUAL', 'FAILURES')),
      secret text NOT NULL,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      secret_rotated_at timestamptz,
      consecutive_failures integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX webhook_endpoints_company_idx ON cabinet.webhook_endpoints (company_id) WHERE enabled`);
    await q.query(`CREATE TABLE cabinet.webhook_deliveries (
      id bigserial PRIMARY KEY,
      endpoint_id integer NOT NULL REFERENCES cabinet.webhook_endpoints(id) ON DELETE CASCADE,
      company_id integer NOT NULL,
      event_position bigint,
      topic varchar(64) NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
      attempt_count integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      retry_from timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON cabinet.webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_deliveries_endpoint_idx ON cabinet.webhook_deliveries (endpoint_id, id DESC)`);
    await q.query(`CREATE INDEX webhook_deliveries_created_idx ON cabinet.webhook_deliveries (created_at)`);
    await q.query(`CREATE TABLE cabinet.webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES cabinet.webhook_deliveries(id) ON DELETE CASCADE,
      attempted_at timestamptz NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      response_body text,
      error text
    )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery_idx ON cabinet.webhook_attempts (delivery_id, id)`);
    await q.query(`CREATE FUNCTION cabinet.webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO cabinet.webhook_deliveries (endpoint_id, company_id, event_position, topic, payload, occurred_at)
        SELECT w.id, NEW.company_id, NEW.position, NEW.topic, NEW.payload, NEW.created_at
        FROM cabinet.webhook_endpoints w
        WHERE w.company_id = NEW.company_id AND w.enabled AND NEW.topic = ANY (w.event_types);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER events_webhook_fan_out AFTER INSERT ON cabinet.events FOR EACH ROW EXECUTE FUNCTION cabinet.webhook_fan_out()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER events_webhook_fan_out ON cabinet.events`);
    await q.query(`DROP FUNCTION cabinet.webhook_fan_out()`);
    await q.query(`DROP TABLE cabinet.webhook_attempts`);
    await q.query(`DROP TABLE cabinet.webhook_deliveries`);
    await q.query(`DROP TABLE cabinet.webhook_endpoints`);
  }
}
