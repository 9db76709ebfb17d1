import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The front-end release registry: every published build of a section (mf-shell, mf-numbers, …) with its files,
 * stored in the database so that every gateway process serves the same; activations record which release of
 * each section is live, newest first, so that a rollback returns to the one before.
 */
export class Releases1763810000000 implements MigrationInterface {
  name = 'Releases1763810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.releases (
      id bigserial PRIMARY KEY,
      section varchar(64) NOT NULL CHECK (section ~ '^mf-[a-z][a-z0-9-]*$'),
      version varchar(100) NOT NULL,
      manifest jsonb NOT NULL,
      published_by varchar(200) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (section, version)
    )`);
    await q.query(`CREATE TABLE cabinet.release_blobs (
      sha256 char(64) PRIMARY KEY,
      content bytea NOT NULL,
      content_gzip bytea,
      size integer NOT NULL
    )`);
    await q.query(`CREATE TABLE cabinet.release_files (
      release_id bigint NOT NULL REFERENCES cabinet.releases(id) ON DELETE CASCADE,
      path varchar(300) NOT NULL,
      sha256 char(64) NOT NULL REFERENCES cabinet.release_blobs(sha256),
      content_type varchar(100) NOT NULL,
      PRIMARY KEY (release_id, path)
    )`);
    await q.query(`CREATE INDEX release_files_path_idx ON cabinet.release_files (path)`);
    await q.query(`CREATE TABLE cabinet.release_activations (
      id bigserial PRIMARY KEY,
      section varchar(64) NOT NULL,
      release_id bigint NOT NULL REFERENCES cabinet.releases(id),
      activated_by varchar(200) NOT NULL,
      activated_at timestamptz NOT NULL DEFAULT now(),
      rolled_back_at timestamptz,
      rolled_back_by varchar(200)
    )`);
    await q.query(`CREATE INDEX release_activations_live_idx ON cabinet.release_activations (section, id DESC) WHERE rolled_back_at IS NULL`);
    await q.query(`CREATE VIEW cabinet.active_releases AS
      SELECT DISTINCT ON (a.section) a.section, a.release_id, a.activated_at
      FROM cabinet.release_activations a WHERE a.rolled_back_at IS NULL ORDER BY a.section, a.id DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW cabinet.active_releases`);
    await q.query(`DROP TABLE cabinet.release_activations`);
    await q.query(`DROP TABLE cabinet.release_files`);
    await q.query(`DROP TABLE cabinet.release_blobs`);
    await q.query(`DROP TABLE cabinet.releases`);
  }
}
