import type { SqlRunner } from './db';
import { BadUserInputError, DomainError, ErrorCode } from './errors';

/** A connection or transaction the log is read or written in: `RequestDb`, a TypeORM `DataSource` or query runner. */
export type EventLogDb = SqlRunner;

/** A company event as the log keeps it. */
export interface LoggedEvent {
  companyId: number;
  /** The company's events across topics: 1, 2, 3… in commit order, with no gaps. */
  position: number;
  topic: string;
  /** The company's events of this topic: 1, 2, 3… */
  sequence: number;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** How far a company's log goes: the last position written, and the last one retention removed. */
export interface LogHead {
  last: number;
  prunedThrough: number;
}

/** Events of a company older than the log keeps: the client has to refetch what it shows. */
export class CursorExpiredError extends DomainError {
  constructor() {
    super(ErrorCode.CURSOR_EXPIRED, 'The cursor is older than the event log keeps (or not from this log): refetch, then follow from a new cursor');
  }
}

const columns = (e = 'events') =>
  `${e}.company_id AS "companyId", ${e}.position::int AS position, ${e}.topic, ${e}.sequence::int AS sequence, ${e}.payload, ${e}.created_at AS "occurredAt"`;

/** A cursor names a place in one company's log; opaque to clients (base64url of `Event:companyId:position`). */
export function encodeCursor(companyId: number, position: number): string {
  return Buffer.from(`Event:${companyId}:${position}`).toString('base64url');
}

/** The position a cursor of this company's log stands at, or a refusal of the argument that carried it. */
export function decodeCursor(cursor: string, companyId: number, argument = 'after'): number {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const match = /^Event:(\d{1,10}):(\d{1,15})$/.exec(decoded);
  if (!match || Number(match[1]) !== companyId) throw new BadUserInputError(argument, `${argument} is not a cursor of this company’s events`);
  return Number(match[2]);
}

export const eventLog = {
  /**
   * Writes a company event in the caller's transaction and numbers it. The head row stays locked to commit, so a
   * company's events commit in position order; the topic's sequence is taken after it (one lock order, no deadlock).
   * With `notify`, the statement also sends the NOTIFY that tells the log's followers, at the commit.
   */
  async append(
    db: EventLogDb,
    event: { companyId: number; topic: string; payload: Record<string, unknown> },
    notify?: { channel: string },
  ): Promise<{ position: number; sequence: number }> {
    const [row] = await db.query(
      `WITH head AS (
         INSERT INTO cabinet.event_heads (company_id, last_position) VALUES ($1, 1)
         ON CONFLICT (company_id) DO UPDATE SET last_position = event_heads.last_position + 1
         RETURNING last_position
       ), topic AS (
         INSERT INTO cabinet.event_sequences (company_id, topic, last_sequence) SELECT $1, $2, 1 FROM head
         ON CONFLICT (company_id, topic) DO UPDATE SET last_sequence = event_sequences.last_sequence + 1
         RETURNING last_sequence
       ), logged AS (
         INSERT INTO cabinet.events (company_id, position, topic, sequence, payload)
         SELECT $1, head.last_position, $2, topic.last_sequence, $3::jsonb FROM head, topic
         RETURNING position, sequence
       )
       SELECT position::int AS position, sequence::int AS sequence${
         notify ? `, pg_notify($4, json_build_object('companyId', $1::int, 'position', position)::text)` : ''
       } FROM logged`,
      [event.companyId, event.topic, JSON.stringify(event.payload), ...(notify ? [notify.channel] : [])],
    );
    return { position: row.position, sequence: row.sequence };
  },

  async head(db: EventLogDb, companyId: number): Promise<LogHead> {
    const [row] = await db.query(`SELECT last_position::int AS last, pruned_through::int AS "prunedThrough" FROM cabinet.event_heads WHERE company_id = $1`, [
      companyId,
    ]);
    return row ?? { last: 0, prunedThrough: 0 };
  },

  /** A company's events after a position, of every topic, in order. */
  read(db: EventLogDb, companyId: number, after: number, limit: number): Promise<LoggedEvent[]> {
    return db.query(`SELECT ${columns()} FROM cabinet.events WHERE company_id = $1 AND position > $2 ORDER BY position LIMIT $3`, [companyId, after, limit]);
  },

  /** For each company, at most `limit` of its events after its position: one statement for every company a process follows. */
  readMany(db: EventLogDb, after: ReadonlyMap<number, number>, limit: number): Promise<LoggedEvent[]> {
    return db.query(
      `SELECT ${columns('e')}
       FROM unnest($1::int[], $2::bigint[]) AS c(company_id, after)
       CROSS JOIN LATERAL (SELECT * FROM cabinet.events e WHERE e.company_id = c.company_id AND e.position > c.after ORDER BY e.position LIMIT $3) e
       ORDER BY e.company_id, e.position`,
      [[...after.keys()], [...after.values()], limit],
    );
  },

  /**
   * A page of a company's events after a position, of some topics, read in one snapshot with the head: `head` is the
   * last position the page could have reached, so that a client at the end may follow from it without missing any.
   */
  async page(
    db: EventLogDb,
    companyId: number,
    after: number,
    topics: readonly string[] | null,
    limit: number,
  ): Promise<{ head: LogHead; events: LoggedEvent[] }> {
    const rows: (LoggedEvent & { last: number | null; prunedThrough: number | null })[] = await db.query(
      `WITH head AS (SELECT last_position, pruned_through FROM cabinet.event_heads WHERE company_id = $1)
       SELECT h.last_position::int AS last, h.pruned_through::int AS "prunedThrough", e.*
       FROM (SELECT 1) one
       LEFT JOIN head h ON true
       LEFT JOIN LATERAL (
         SELECT ${columns()} FROM cabinet.events
         WHERE company_id = $1 AND position > $2 AND position <= h.last_position AND ($3::text[] IS NULL OR topic = ANY($3))
         ORDER BY position LIMIT $4
       ) e ON true`,
      [companyId, after, topics, limit],
    );
    const head = { last: rows[0]?.last ?? 0, prunedThrough: rows[0]?.prunedThrough ?? 0 };
    const events = rows.filter((row) => row.position !== null).map(({ last: _l, prunedThrough: _p, ...event }) => event as LoggedEvent);
    return { head, events };
  },

  /** Removes events older than the retention, a batch at a time, and records how far each company's log was cut. */
  async prune(db: EventLogDb, retentionDays: number, batch = 10_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const [row] = await db.query(
        `WITH gone AS (
           DELETE FROM cabinet.events WHERE id IN (
             SELECT id FROM cabinet.events WHERE created_at < now() - make_interval(days => $1) ORDER BY created_at LIMIT $2
           ) RETURNING company_id, position
         ), cut AS (
           UPDATE cabinet.event_heads h SET pruned_through = greatest(h.pruned_through, g.through)
           FROM (SELECT company_id, max(position) AS through FROM gone GROUP BY company_id) g
           WHERE h.company_id = g.company_id
         )
         SELECT count(*)::int AS count FROM gone`,
        [retentionDays, batch],
      );
      removed += row.count;
      if (row.count < batch) return removed;
    }
  },
};
