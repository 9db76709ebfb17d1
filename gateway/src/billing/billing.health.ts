import type { SqlRunner as Queryable } from '../core/db';

/** How many times the billing system's expected processing time a number may stay In process while nothing runs on it. */
export const STUCK_FACTOR = 3;

/**
 * Numbers In process for longer than `STUCK_FACTOR` × `expectedMs` with no operation being carried out on them:
 * a state nothing will ever end. At most `limit` of them, oldest first, and how many there are.
 */
export async function numbersStuckInProcess(db: Queryable, expectedMs: number, limit = 20): Promise<{ count: number; msisdns: string[] }> {
  const rows: { msisdn: string; count: number }[] = await db.query(
    `SELECT n.msisdn, count(*) OVER ()::int AS count FROM billing.numbers n
     WHERE n.state = 'IN_PROCESS' AND n.state_changed_at < now() - $1 * interval '1 millisecond'
       AND NOT EXISTS (SELECT 1 FROM cabinet.operations o WHERE o.number_id = n.id AND o.status = 'IN_PROCESS')
     ORDER BY n.state_changed_at, n.msisdn LIMIT $2`,
    [STUCK_FACTOR * expectedMs, limit],
  );
  return { count: rows[0]?.count ?? 0, msisdns: rows.map((r) => r.msisdn) };
}
