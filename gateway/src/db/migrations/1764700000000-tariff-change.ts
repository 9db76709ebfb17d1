import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Changing a number's tariff plan: the operation kind, the allowances each plan grants per month (they replace a
 * number's when it moves), and the plans of the catalogue each company may move its numbers to. The kinds stay a
 * PostgreSQL enum, as the other enums of the schema; a test compares it with the catalogue of operations.
 */
export class TariffChange1764700000000 implements MigrationInterface {
  name = 'TariffChange1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TYPE cabinet.operation_kind ADD VALUE IF NOT EXISTS 'CHANGE_TARIFF'`);
    await q.query(`CREATE TABLE billing.tariff_allowances (
      tariff_id integer NOT NULL REFERENCES billing.tariffs(id),
      kind billing.allowance_kind NOT NULL,
      is_bonus boolean NOT NULL,
      unlimited boolean NOT NULL,
      total bigint,
      unit billing.allowance_unit NOT NULL,
      PRIMARY KEY (tariff_id, kind, is_bonus)
    )`);
    await q.query(`CREATE TABLE billing.company_tariffs (
      company_id integer NOT NULL REFERENCES billing.companies(id),
      tariff_id integer NOT NULL REFERENCES billing.tariffs(id),
      PRIMARY KEY (company_id, tariff_id)
    )`);
    // A database seeded before: each plan grants what its numbers were granted, each company keeps the plans it uses.
    await q.query(`INSERT INTO billing.tariff_allowances (tariff_id, kind, is_bonus, unlimited, total, unit)
      SELECT n.tariff_id, a.kind, a.is_bonus, bool_or(a.unlimited), max(a.total), min(a.unit::text)::billing.allowance_unit
      FROM billing.allowances a JOIN billing.numbers n ON n.id = a.number_id GROUP BY n.tariff_id, a.kind, a.is_bonus`);
    await q.query(`INSERT INTO billing.company_tariffs (company_id, tariff_id) SELECT DISTINCT company_id, tariff_id FROM billing.numbers`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM cabinet.operations WHERE kind = 'CHANGE_TARIFF'`);
    await q.query(`DELETE FROM cabinet.action_log WHERE action = 'CHANGE_TARIFF'`);
    await q.query(`DROP TABLE billing.company_tariffs`);
    await q.query(`DROP TABLE billing.tariff_allowances`);
    // PostgreSQL cannot drop an enum value; the kind stays, unused.
  }
}
