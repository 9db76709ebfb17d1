import type { RequestDb } from '../graphql/context';
import { DomainError, ErrorCode } from '../graphql/errors';

export class RateLimitedError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
  }
}

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Fixed-window counters in PostgreSQL, shared by every gateway process. */
export const rateLimits = {
  /** Seconds until the key accepts hits again, or 0 when it is under its limit. */
  async blockedFor(db: RequestDb, limit: Limit): Promise<number> {
    const [row] = await db.query<{ hits: number; remaining: number }>(
      `SELECT hits, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - now()))::int AS remaining
       FROM cabinet.rate_limits WHERE key = $1 AND window_started_at > now() - make_interval(secs => $2)`,
      [limit.key, limit.windowSeconds],
    );
    return row && row.hits >= limit.max ? Math.max(1, row.remaining) : 0;
  },

  async hit(db: RequestDb, limit: Omit<Limit, 'max'>): Promise<number> {
    const [row] = await db.query<{ hits: number }>(
      `INSERT INTO cabinet.rate_limits AS r (key, window_started_at, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE r.hits + 1 END,
         window_started_at = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE r.window_started_at END
       RETURNING hits`,
      [limit.key, limit.windowSeconds],
    );
    return row.hits;
  },

  async reset(db: RequestDb, key: string): Promise<void> {
    await db.query(`DELETE FROM cabinet.rate_limits WHERE key = $1`, [key]);
  },
};
