import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Canary releases: a published release of a section that is live only for named administrators (by phone) or a
 * share of them, until it is promoted (then activated for everyone) or dropped. Ended canaries stay as history.
 */
export class ReleaseCanaries1764640000000 implements MigrationInterface {
  name = 'ReleaseCanaries1764640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.release_canaries (
      id bigserial PRIMARY KEY,
      section varchar(64) NOT NULL,
      release_id bigint NOT NULL REFERENCES cabinet.releases(id),
      administrator_phones varchar(20)[] NOT NULL DEFAULT '{}',
      percent smallint NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
      started_by varchar(200) NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      ended_by varchar(200),
      outcome varchar(20) CHECK (outcome IN ('promoted', 'dropped', 'replaced')),
      CHECK ((ended_at IS NULL) = (outcome IS NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX release_canaries_open_idx ON cabinet.release_canaries (section) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.release_canaries`);
  }
}
