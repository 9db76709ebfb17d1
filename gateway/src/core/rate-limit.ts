import type { RequestDb } from './db';
import { DomainError, ErrorCode } from './errors';

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

/** Attempts that pass for free, then a delay doubling from one second up to `maxDelaySeconds`. */
export interface Throttle {
  key: string;
  freeAttempts: number;
  maxDelaySeconds: number;
  /** Attempts older than this are forgotten. */
  forgetAfterSeconds: number;
}

/**
 * Counters in PostgreSQL, shared by every gateway process. Each check counts and decides in one statement
 * (the row is locked by `INSERT … ON CONFLICT`), so parallel requests cannot all pass between a check and an update.
 */
export const rateLimits = {
  /** Counts one hit in the fixed window; returns 0 when it is within `max`, else the seconds until the window ends. */
  async consume(db: RequestDb, limit: Limit): Promise<number> {
    const [row] = await db.query<{ hits: number; remaining: number }>(
      `INSERT INTO cabinet.rate_limits AS r (key, window_started_at, hits) VALUES ($1, clock_timestamp(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_started_at <= clock_timestamp() - make_interval(secs => $2) THEN 1 ELSE r.hits + 1 END,
         window_started_at = CASE WHEN r.window_started_at <= clock_timestamp() - make_interval(secs => $2)
           THEN clock_timestamp() ELSE r.window_started_at END
       RETURNING hits, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - clock_timestamp()))::int AS remaining`,
      [limit.key, limit.windowSeconds],
    );
    return row.hits <= limit.max ? 0 : Math.max(1, row.remaining);
  },

  /** Gives back a hit counted by {@link consume}, e.g. when the attempt succeeded. */
  async refund(db: RequestDb, key: string): Promise<void> {
    await db.query(`UPDATE cabinet.rate_limits SET hits = greatest(hits - 1, 0) WHERE key = $1`, [key]);
  },

  async reset(db: RequestDb, key: string): Promise<void> {
    await db.query(`DELETE FROM cabinet.rate_limits WHERE key = $1`, [key]);
  },

  /**
   * Claims one attempt of a throttle, counted as a failure until {@link clear} says it succeeded.
   * Returns 0 when the attempt may go ahead, else the seconds until the next one may.
   */
  async claim(db: RequestDb, throttle: Throttle): Promise<number> {
    const [claimed] = await db.query<{ failures: number }>(
      `WITH t(now) AS (SELECT clock_timestamp())
       INSERT INTO cabinet.throttles AS r (key, failures, next_attempt_at, updated_at)
       SELECT $1, 1, t.now + make_interval(secs => CASE WHEN $2 > 1 THEN 0 ELSE 1 END), t.now FROM t
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN r.updated_at <= clock_timestamp() - make_interval(secs => $4) THEN 1 ELSE r.failures + 1 END,
         next_attempt_at = clock_timestamp() + make_interval(secs => CASE
           WHEN r.updated_at <= clock_timestamp() - make_interval(secs => $4) OR r.failures + 1 < $2 THEN 0
           ELSE least($3, power(2, least(r.failures + 1 - $2, 30)))::int END),
         updated_at = clock_timestamp()
       WHERE r.updated_at <= clock_timestamp() - make_interval(secs => $4) OR r.failures < $2 OR r.next_attempt_at <= clock_timestamp()
       RETURNING failures`,
      [throttle.key, throttle.freeAttempts, throttle.maxDelaySeconds, throttle.forgetAfterSeconds],
    );
    if (claimed) return 0;
    const [held] = await db.query<{ wait: number }>(
      `SELECT ceil(extract(epoch FROM next_attempt_at - clock_timestamp()))::int AS wait FROM cabinet.throttles WHERE key = $1`,
      [throttle.key],
    );
    return Math.max(1, held?.wait ?? 1);
  },

  async clear(db: RequestDb, key: string): Promise<void> {
    await db.query(`DELETE FROM cabinet.throttles WHERE key = $1`, [key]);
  },
};
