import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Views of sensitive data are one entry of the actions history however many requests a page sends for them:
 * a mark per viewer and view, claimed atomically, tells whether a request starts a new view. Services get the
 * address of their page on the operator's site, shown in the number profile.
 */
export class ViewMarks1764630000000 implements MigrationInterface {
  name = 'ViewMarks1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.view_marks (
      key text PRIMARY KEY,
      started_at timestamptz NOT NULL,
      recorded boolean NOT NULL
    )`);
    await q.query(`ALTER TABLE billing.services ADD COLUMN info_url text CHECK (info_url ~ '^https://')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.services DROP COLUMN info_url`);
    await q.query(`DROP TABLE cabinet.view_marks`);
  }
}
