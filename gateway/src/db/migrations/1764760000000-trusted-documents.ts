import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The portal's own GraphQL documents by sha256, as the sections' releases ship them: the kit sends a hash instead of
 * a document, and with TRUSTED_DOCUMENTS browser sessions may send nothing else. Rows are never changed: a hash
 * names one text; the release that brought it first is kept for the record.
 */
export class TrustedDocuments1764760000000 implements MigrationInterface {
  name = 'TrustedDocuments1764760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.trusted_documents (
      hash varchar(71) PRIMARY KEY CHECK (hash ~ '^sha256:[0-9a-f]{64}$'),
      document text NOT NULL,
      release_id bigint NOT NULL REFERENCES cabinet.releases(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.trusted_documents`);
  }
}
