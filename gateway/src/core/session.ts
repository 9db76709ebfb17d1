import { UnauthenticatedError } from './access';
import type { Context } from './context';
import type { Language } from './language';
import { ADMINISTRATOR_CHANGED, SESSION_ENDED, type SessionEndedPayload } from './events';
import type { Principal } from './principal';
import type { SessionCache } from './session-cache';
import { newToken, tokenHash } from './token';

declare module './context' {
  interface Ports {
    /** Sessions looked up lately, in this process (none with a standby for reads: see `sessions.resolve`). */
    sessionCache?: SessionCache;
  }
}

export const SESSION_COOKIE = 'cabinet_session';
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_ABSOLUTE_HOURS = 12;
/** last_seen_at is written at most this often, so that reads do not turn into writes. */
const TOUCH_EVERY_SECONDS = 60;

interface SessionRow {
  sessionId: string;
  administratorId: number;
  name: string;
  phone: string;
  language: Language;
  companyIds: number[] | null;
  stale: boolean;
  writeLsn: string | null;
  liveForMs: number;
}

export interface SessionInfoRow extends Record<string, unknown> {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  clientAddress: string | null;
  userAgent: string | null;
}

/**
 * The one rule of a live session, as a condition on the sessions row `alias`: not ended, not past its absolute
 * expiry, and used within the idle timeout, whose minutes are the parameter `idleMinutes` (SESSION_IDLE_MINUTES).
 */
export function liveSession(alias: string, idleMinutes: string): string {
  return `${alias}.revoked_at IS NULL AND ${alias}.expires_at > now() AND ${alias}.last_seen_at > now() - make_interval(mins => ${idleMinutes})`;
}

/** Tells every process (and this one's cache at once) that sessions ended. */
async function publishEnded(ctx: Context, payload: SessionEndedPayload): Promise<void> {
  ctx.ports.sessionCache?.ended(payload);
  await ctx.ports.events?.publish(ctx.db, { topic: SESSION_ENDED, companyId: null, payload: { ...payload } });
}

export const sessions = {
  /** Starts a session for the administrator and hands its token to the browser as an httpOnly cookie. */
  async start(ctx: Context, administratorId: number): Promise<string> {
    const token = newToken();
    const [row] = await ctx.db.query<{ id: string }>(
      `INSERT INTO cabinet.sessions (token_hash, administrator_id, expires_at, client_address, user_agent)
       VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5) RETURNING id::text`,
      [tokenHash(token), administratorId, SESSION_ABSOLUTE_HOURS, ctx.http.clientAddress, ctx.http.userAgent?.slice(0, 500) ?? null],
    );
    ctx.http.setCookie(SESSION_COOKIE, token, SESSION_ABSOLUTE_HOURS * 3600);
    return row.id;
  },

  /**
   * The administrator behind a session cookie, if the session is live (not revoked, idle or expired). A session
   * looked up lately answers from the process's cache (`ports.sessionCache`), which every end of a session empties
   * at once; with a standby for reads there is none, as the row's write position must be read each time.
   */
  async resolve(ctx: Context, token: string): Promise<Principal | null> {
    const hash = tokenHash(token);
    const key = hash.toString('base64');
    const cache = ctx.ports.sessionCache;
    const cached = cache?.get(key);
    if (cached) return cached;
    const [row] = await ctx.db.query<SessionRow>(
      `SELECT s.id::text AS "sessionId", a.id AS "administratorId", a.name, a.phone, a.language,
         (SELECT array_agg(g.company_id) FROM cabinet.grants g WHERE g.administrator_id = a.id) AS "companyIds",
         s.last_seen_at < now() - make_interval(secs => $3) AS stale, s.write_lsn::text AS "writeLsn",
         extract(epoch FROM s.expires_at - now())::float8 * 1000 AS "liveForMs"
       FROM cabinet.sessions s JOIN cabinet.administrators a ON a.id = s.administrator_id
       WHERE s.token_hash = $1 AND a.removed_at IS NULL AND ${liveSession('s', '$2')}`,
      [hash, SESSION_IDLE_MINUTES, TOUCH_EVERY_SECONDS],
    );
    if (!row) return null;
    if (row.stale) await ctx.db.query(`UPDATE cabinet.sessions SET last_seen_at = now() WHERE id = $1`, [row.sessionId]);
    const principal: Principal = {
      kind: 'administrator',
      administratorId: row.administratorId,
      sessionId: row.sessionId,
      name: row.name,
      phone: row.phone,
      language: row.language,
      companyIds: new Set(row.companyIds ?? []),
      writeLsn: row.writeLsn,
    };
    cache?.set(key, principal, row.liveForMs);
    return principal;
  },

  async end(ctx: Context, sessionId: string): Promise<void> {
    const [ended] = await ctx.db.query<{ administratorId: number }>(
      `UPDATE cabinet.sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING administrator_id AS "administratorId"`,
      [sessionId],
    );
    if (ended) await publishEnded(ctx, { administratorId: ended.administratorId, sessionId });
    ctx.http.clearCookie(SESSION_COOKIE);
  },

  /** The administrator's live sessions, the most recently used first. */
  async list(ctx: Context, administratorId: number): Promise<SessionInfoRow[]> {
    return ctx.db.query<SessionInfoRow>(
      `SELECT id::text, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt",
         host(client_address) AS "clientAddress", user_agent AS "userAgent"
       FROM cabinet.sessions s
       WHERE administrator_id = $1 AND ${liveSession('s', '$2')}
       ORDER BY last_seen_at DESC, id DESC LIMIT 100`,
      [administratorId, SESSION_IDLE_MINUTES],
    );
  },

  /** Ends one live session of the administrator (not necessarily the current one); false when there is none. */
  async endOne(ctx: Context, administratorId: number, sessionId: string): Promise<boolean> {
    const [ended] = await ctx.db.query<{ id: string }>(
      `UPDATE cabinet.sessions SET revoked_at = now() WHERE id = $1 AND administrator_id = $2 AND revoked_at IS NULL RETURNING id::text`,
      [sessionId, administratorId],
    );
    if (ended) await publishEnded(ctx, { administratorId, sessionId });
    return Boolean(ended);
  },

  /**
   * Gives the live session a new token, sent as the cookie, and leaves it otherwise as it was (a password change):
   * the old token opens nothing any more, while the session's sockets stay open, as it has not ended. Every
   * process forgets what it cached under the old token. UNAUTHENTICATED when the session ended meanwhile.
   */
  async renew(ctx: Context, administratorId: number, sessionId: string): Promise<void> {
    const token = newToken();
    const [renewed] = await ctx.db.query<{ liveForSeconds: number }>(
      `UPDATE cabinet.sessions s SET token_hash = $3 WHERE id = $1 AND administrator_id = $2 AND ${liveSession('s', '$4')}
       RETURNING floor(extract(epoch FROM s.expires_at - now()))::int AS "liveForSeconds"`,
      [sessionId, administratorId, tokenHash(token), SESSION_IDLE_MINUTES],
    );
    if (!renewed) throw new UnauthenticatedError();
    ctx.http.setCookie(SESSION_COOKIE, token, renewed.liveForSeconds);
    await sessions.changed(ctx, administratorId);
  },

  /** Ends every session of the administrator but the current one ("sign out everywhere else"); returns how many. */
  async endOthers(ctx: Context, administratorId: number, currentSessionId: string): Promise<number> {
    const ended = await ctx.db.query(
      `UPDATE cabinet.sessions SET revoked_at = now() WHERE administrator_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id`,
      [administratorId, currentSessionId],
    );
    if (ended.length > 0) await publishEnded(ctx, { administratorId, sessionId: null, exceptSessionId: currentSessionId });
    return ended.length;
  },

  /** The administrator's grants or language changed: every process reads their sessions afresh. */
  async changed(ctx: Context, administratorId: number): Promise<void> {
    ctx.ports.sessionCache?.forget(administratorId);
    await ctx.ports.events?.publish(ctx.db, { topic: ADMINISTRATOR_CHANGED, companyId: null, payload: { administratorId } });
  },

  /** Ends every session of the administrator (password recovery). */
  async endAll(ctx: Context, administratorId: number): Promise<void> {
    await ctx.db.query(`UPDATE cabinet.sessions SET revoked_at = now() WHERE administrator_id = $1 AND revoked_at IS NULL`, [administratorId]);
    await publishEnded(ctx, { administratorId, sessionId: null });
  },
};
