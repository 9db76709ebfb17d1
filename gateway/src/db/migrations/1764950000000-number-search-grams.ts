import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A search structure for "a company's numbers containing these digits, in number order": every four-digit fragment
 * of every number (`billing.number_grams`, ordered by company, fragment and number) and how many numbers of a
 * company hold each fragment (`billing.number_gram_counts`). A search of 4–10 digits walks the entries of its
 * rarest fragment in number order and keeps the numbers that contain all of its digits, so that it stops at the
 * page's last number — whatever PostgreSQL estimates of a `LIKE '%…%'` (see `billing.numbers_containing`).
 * Triggers on `billing.numbers` keep both up to date in the statement that changes a number.
 */
/** The fragments of the numbers of `relation` (with `company_id`, `msisdn`, `id`), each once per number. */
const gramsOf = (relation: string) =>
  `SELECT DISTINCT n.company_id, substr(n.msisdn, p, 4)::char(4), n.msisdn, n.id FROM ${relation} n, generate_series(1, length(n.msisdn) - 3) p`;

export class NumberSearchGrams1764950000000 implements MigrationInterface {
  name = 'NumberSearchGrams1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE billing.number_grams (
      company_id integer NOT NULL,
      gram char(4) NOT NULL,
      msisdn varchar(11) NOT NULL,
      number_id integer NOT NULL REFERENCES billing.numbers(id) ON DELETE CASCADE,
      PRIMARY KEY (company_id, gram, msisdn)
    )`);
    await q.query(`CREATE INDEX number_grams_number_idx ON billing.number_grams (number_id)`);
    await q.query(`CREATE TABLE billing.number_gram_counts (
      company_id integer NOT NULL,
      gram char(4) NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (company_id, gram)
    )`);

    await q.query(`CREATE FUNCTION billing.count_grams() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO billing.number_gram_counts (company_id, gram, n)
            SELECT company_id, gram, count(*) FROM new_grams GROUP BY 1, 2 ORDER BY 1, 2
            ON CONFLICT (company_id, gram) DO UPDATE SET n = billing.number_gram_counts.n + EXCLUDED.n;
        ELSE
          UPDATE billing.number_gram_counts c SET n = c.n - d.n
            FROM (SELECT company_id, gram, count(*)::int AS n FROM old_grams GROUP BY 1, 2) d
            WHERE c.company_id = d.company_id AND c.gram = d.gram;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER number_grams_counted_in AFTER INSERT ON billing.number_grams
      REFERENCING NEW TABLE AS new_grams FOR EACH STATEMENT EXECUTE FUNCTION billing.count_grams()`);
    await q.query(`CREATE TRIGGER number_grams_counted_out AFTER DELETE ON billing.number_grams
      REFERENCING OLD TABLE AS old_grams FOR EACH STATEMENT EXECUTE FUNCTION billing.count_grams()`);

    // New numbers get their fragments; a number whose MSISDN or company changes gets them anew (deleted ones
    // lose theirs by the foreign key).
    await q.query(`CREATE FUNCTION billing.index_number_grams() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO billing.number_grams ${gramsOf('new_numbers')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER numbers_grams_in AFTER INSERT ON billing.numbers
      REFERENCING NEW TABLE AS new_numbers FOR EACH STATEMENT EXECUTE FUNCTION billing.index_number_grams()`);
    await q.query(`CREATE FUNCTION billing.reindex_number_grams() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM billing.number_grams WHERE number_id = NEW.id;
        INSERT INTO billing.number_grams ${gramsOf('(SELECT NEW.company_id, NEW.msisdn, NEW.id)')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER numbers_grams_changed AFTER UPDATE OF msisdn, company_id ON billing.numbers FOR EACH ROW
      WHEN (OLD.msisdn IS DISTINCT FROM NEW.msisdn OR OLD.company_id IS DISTINCT FROM NEW.company_id)
      EXECUTE FUNCTION billing.reindex_number_grams()`);
    await q.query(`INSERT INTO billing.number_grams ${gramsOf('billing.numbers')}`);

    // The IDs of a page of a company's numbers that contain `digits` (4 to 11 of them), in number order, after
    // `after`, in `state` when given: the entries of the digits' rarest fragment, walked in number order. The
    // statement is planned with the fragment known (EXECUTE), so that PostgreSQL takes that walk and stops early.
    await q.query(`CREATE FUNCTION billing.numbers_containing(p_company integer, p_digits text, p_state billing.number_state, p_after text, p_limit integer)
      RETURNS SETOF integer LANGUAGE plpgsql STABLE AS $$
      DECLARE
        rarest char(4);
      BEGIN
        SELECT f.gram INTO rarest
          FROM (SELECT substr(p_digits, i, 4)::char(4) AS gram, i FROM generate_series(1, length(p_digits) - 3) i) f
          LEFT JOIN billing.number_gram_counts c ON c.company_id = p_company AND c.gram = f.gram
          ORDER BY coalesce(c.n, 0), f.i LIMIT 1;
        RETURN QUERY EXECUTE
          'SELECT g.number_id FROM billing.number_grams g'
          || CASE WHEN p_state IS NULL THEN '' ELSE ' JOIN billing.numbers n ON n.id = g.number_id AND n.state = $4' END
          || ' WHERE g.company_id = $1 AND g.gram = $2 AND g.msisdn LIKE $3'
          || CASE WHEN p_after IS NULL THEN '' ELSE ' AND g.msisdn > $5' END
          || ' ORDER BY g.msisdn LIMIT $6'
          USING p_company, rarest, '%' || p_digits || '%', p_state, p_after, p_limit;
      END $$`);
    await q.query(`ANALYZE billing.number_grams, billing.number_gram_counts`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION billing.numbers_containing(integer, text, billing.number_state, text, integer)`);
    await q.query(`DROP TRIGGER numbers_grams_changed ON billing.numbers`);
    await q.query(`DROP TRIGGER numbers_grams_in ON billing.numbers`);
    await q.query(`DROP FUNCTION billing.reindex_number_grams()`);
    await q.query(`DROP FUNCTION billing.index_number_grams()`);
    await q.query(`DROP TABLE billing.number_gram_counts`);
    await q.query(`DROP TABLE billing.number_grams`);
    await q.query(`DROP FUNCTION billing.count_grams()`);
  }
}
