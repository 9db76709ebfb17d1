import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log (an outbox): every company event is written here in the transaction of its change, so that
 * subscribers and partners read what committed, in order, and resume from a cursor after a disconnect.
 * A company's events are numbered by `position` 1, 2, 3… under the row lock of `event_heads`, held to commit:
 * they commit in position order and a rolled-back event gives its position back, so a reader that has seen
 * position P has seen everything before it. `pruned_through` is the last position retention has removed.
 */
export class EventLog1764740000000 implements MigrationInterface {
  name = 'EventLog1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cabinet.event_heads (
      company_id integer PRIMARY KEY,
      last_position bigint NOT NULL,
      pruned_through bigint NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE TABLE cabinet.events (
      id bigserial PRIMARY KEY,
      company_id integer NOT NULL,
      position bigint NOT NULL,
      topic varchar(64) NOT NULL,
      sequence bigint NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, position)
    )`);
    await q.query(`CREATE INDEX events_created_idx ON cabinet.events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cabinet.events`);
    await q.query(`DROP TABLE cabinet.event_heads`);
  }
}
