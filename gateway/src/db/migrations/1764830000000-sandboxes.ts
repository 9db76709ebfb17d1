import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sandbox is a company of the simulated billing system that a real company owns (`sandbox_of`): it has no grants,
 * so no administrator lists it, and only its own keys reach it. `sandbox_no` numbers the generated identifiers of
 * its fleet (BIN, MSISDNs, ICCIDs, account numbers), so that they never meet a real one; `sandbox_delay_ms` is how
 * long the simulator takes for its operations. Cards of a sandbox's own stock carry `stock_company_id`; the
 * operator's stock has none.
 */
export class Sandboxes1764830000000 implements MigrationInterface {
  name = 'Sandboxes1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE billing.sandbox_no_seq MAXVALUE 99999`);
    await q.query(`ALTER TABLE billing.companies
      ADD COLUMN sandbox_of integer REFERENCES billing.companies(id),
      ADD COLUMN sandbox_no integer UNIQUE,
      ADD COLUMN sandbox_delay_ms integer CHECK (sandbox_delay_ms BETWEEN 0 AND 600000),
      ADD CONSTRAINT companies_sandbox_check CHECK ((sandbox_of IS NULL) = (sandbox_no IS NULL) AND (sandbox_of IS NULL) = (sandbox_delay_ms IS NULL))`);
    await q.query(`CREATE INDEX companies_sandbox_of_idx ON billing.companies (sandbox_of) WHERE sandbox_of IS NOT NULL`);
    await q.query(`ALTER TABLE billing.sim_cards ADD COLUMN stock_company_id integer REFERENCES billing.companies(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.sim_cards DROP COLUMN stock_company_id`);
    await q.query(
      `ALTER TABLE billing.companies DROP CONSTRAINT companies_sandbox_check, DROP COLUMN sandbox_delay_ms, DROP COLUMN sandbox_no, DROP COLUMN sandbox_of`,
    );
    await q.query(`DROP SEQUENCE billing.sandbox_no_seq`);
  }
}
