import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every movement says what it is instead of carrying English prose: a charge names the month it is for (its
 * service period, apart from the day it was posted), its kind, tariff or service and quantity; a payment its
 * channel and reference; a refund or adjustment its reason. Existing rows are filled from their comments and
 * posting rule (a monthly fee is for the month it is posted in; "Invoice for <month>" names its month).
 */
export class ChargeServicePeriod1764600000000 implements MigrationInterface {
  name = 'ChargeServicePeriod1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE billing.charge_kind AS ENUM ('TARIFF_FEE', 'SERVICE_FEE', 'CALLS', 'SMS', 'DATA', 'ROAMING', 'OTHER')`);
    await q.query(`CREATE TYPE billing.payment_channel AS ENUM ('KASPI', 'HALYK', 'KCELL_APP', 'TERMINAL', 'PAYMENT_ORDER', 'OTHER')`);
    await q.query(
      `CREATE TYPE billing.adjustment_reason AS ENUM ('DUPLICATE_CHARGE', 'ROAMING_RECALCULATION', 'SERVICE_OUTAGE', 'BALANCE_CORRECTION', 'OTHER')`,
    );
    await q.query(`ALTER TABLE billing.payments
      ADD COLUMN service_month date,
      ADD COLUMN charge_kind billing.charge_kind,
      ADD COLUMN tariff_id integer REFERENCES billing.tariffs(id),
      ADD COLUMN service_id integer REFERENCES billing.services(id),
      ADD COLUMN quantity bigint CHECK (quantity >= 0),
      ADD COLUMN channel billing.payment_channel,
      ADD COLUMN reason billing.adjustment_reason,
      ADD COLUMN reference varchar(64)`);

    await q.query(`UPDATE billing.payments p SET charge_kind = 'TARIFF_FEE', tariff_id = t.id, quantity = 1
      FROM billing.tariffs t WHERE p.type = 'CHARGE' AND p.comment = 'Monthly fee: tariff ' || (t.name->>'en')`);
    await q.query(`UPDATE billing.payments p SET charge_kind = 'SERVICE_FEE', service_id = s.id, quantity = 1
      FROM billing.services s WHERE p.type = 'CHARGE' AND p.charge_kind IS NULL AND p.comment = 'Monthly fee: ' || (s.name->>'en')`);
    await q.query(`UPDATE billing.payments SET charge_kind = 'OTHER', quantity = 1,
        service_month = to_date(substring(comment FROM '^Invoice for ([A-Za-z]+ [0-9]{4})$'), 'FMMonth YYYY')
      WHERE type = 'CHARGE' AND charge_kind IS NULL AND comment ~ '^Invoice for [A-Za-z]+ [0-9]{4}$'`);
    await q.query(`UPDATE billing.payments SET charge_kind = 'OTHER', quantity = 1 WHERE type = 'CHARGE' AND charge_kind IS NULL`);
    await q.query(`UPDATE billing.payments SET service_month = date_trunc('month', paid_at AT TIME ZONE 'Asia/Almaty')::date
      WHERE type = 'CHARGE' AND service_month IS NULL`);

    await q.query(`UPDATE billing.payments SET channel = CASE
        WHEN comment ~* 'kaspi' THEN 'KASPI' WHEN comment ~* 'halyk' THEN 'HALYK' WHEN comment ~* 'kcell app' THEN 'KCELL_APP'
        WHEN comment ~* 'terminal' THEN 'TERMINAL' WHEN comment ~* '^payment order' THEN 'PAYMENT_ORDER' ELSE 'OTHER' END::billing.payment_channel,
        reference = substring(comment FROM '([0-9]{4,})\\s*$')
      WHERE type = 'PAYMENT'`);
    await q.query(`UPDATE billing.payments SET reason = CASE
        WHEN comment = 'Refund: duplicate charge' THEN 'DUPLICATE_CHARGE' WHEN comment = 'Refund: roaming charges recalculation' THEN 'ROAMING_RECALCULATION'
        WHEN comment = 'Compensation for service outage' THEN 'SERVICE_OUTAGE' WHEN comment = 'Balance correction' THEN 'BALANCE_CORRECTION'
        ELSE 'OTHER' END::billing.adjustment_reason
      WHERE type IN ('REFUND', 'ADJUSTMENT')`);

    await q.query(`ALTER TABLE billing.payments
      ADD CONSTRAINT payments_charge_period CHECK ((type = 'CHARGE') = (service_month IS NOT NULL AND charge_kind IS NOT NULL AND quantity IS NOT NULL)),
      ADD CONSTRAINT payments_month_start CHECK (service_month = date_trunc('month', service_month)::date),
      ADD CONSTRAINT payments_channel CHECK ((type = 'PAYMENT') = (channel IS NOT NULL)),
      ADD CONSTRAINT payments_reason CHECK ((type IN ('REFUND', 'ADJUSTMENT')) = (reason IS NOT NULL))`);
    await q.query(`CREATE INDEX payments_account_service_month_idx ON billing.payments (account_id, service_month) WHERE type = 'CHARGE'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.payments DROP COLUMN service_month, DROP COLUMN charge_kind, DROP COLUMN tariff_id,
      DROP COLUMN service_id, DROP COLUMN quantity, DROP COLUMN channel, DROP COLUMN reason, DROP COLUMN reference`);
    await q.query(`DROP TYPE billing.adjustment_reason`);
    await q.query(`DROP TYPE billing.payment_channel`);
    await q.query(`DROP TYPE billing.charge_kind`);
  }
}
