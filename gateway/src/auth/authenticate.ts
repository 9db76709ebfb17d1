import { apiKeyService, liveApiKey } from '../api-keys';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import type { Principal } from '../core/principal';
import { liveSession, SESSION_COOKIE, SESSION_IDLE_MINUTES, sessions } from '../core/session';

/**
 * Who the request comes from: a partner's `Authorization: Bearer` key, else the session cookie.
 * A missing or invalid credential leaves the caller anonymous; services then refuse with UNAUTHENTICATED.
 */
export async function authenticate(ctx: Context): Promise<Principal | null> {
  const authorization = ctx.http.header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? apiKeyService.authenticate(ctx, match[1]) : null;
  }
  const token = ctx.http.cookie(SESSION_COOKIE);
  return token ? sessions.resolve(ctx, token) : null;
}

/**
 * Which of these principals are still signed in, by the same rules as `authenticate`: one statement for all of
 * them, however many (every open socket of a process is checked again with it). Anonymous is never live.
 */
export async function stillAuthenticated(db: RequestDb, principals: readonly Principal[]): Promise<(principal: Principal) => boolean> {
  const sessionIds = principals.flatMap((p) => (p.kind === 'administrator' ? [p.sessionId] : []));
  const keyIds = principals.flatMap((p) => (p.kind === 'apiKey' ? [p.apiKeyId] : []));
  const rows =
    sessionIds.length + keyIds.length === 0
      ? []
      : await db.query<{ id: string }>(
          `SELECT 's' || s.id AS id FROM cabinet.sessions s WHERE s.id = ANY($1::bigint[]) AND ${liveSession('s', '$3')}
           UNION ALL SELECT 'k' || k.id FROM cabinet.api_keys k WHERE k.id = ANY($2::int[]) AND ${liveApiKey('k')}`,
          [sessionIds, keyIds, SESSION_IDLE_MINUTES],
        );
  const live = new Set(rows.map((row) => row.id));
  return (principal) =>
    principal.kind === 'administrator' ? live.has(`s${principal.sessionId}`) : principal.kind === 'apiKey' ? live.has(`k${principal.apiKeyId}`) : false;
}

/**
 * Records the primary's WAL position now as where the principal's last change ends, on its session or key row, in
 * one statement once the change is committed: the row that `authenticate` reads each request then tells whether a
 * standby holds that change yet. The insert position is past every committed record, whatever synchronous_commit
 * says; `greatest` keeps it from moving back when two changes of one caller end at once on two processes.
 */
export async function recordWritePosition(db: RequestDb, principal: Principal): Promise<void> {
  if (principal.kind === 'administrator') {
    await db.query(`UPDATE cabinet.sessions SET write_lsn = greatest(write_lsn, pg_current_wal_insert_lsn()) WHERE id = $1`, [principal.sessionId]);
  } else if (principal.kind === 'apiKey') {
    await db.query(`UPDATE cabinet.api_keys SET write_lsn = greatest(write_lsn, pg_current_wal_insert_lsn()) WHERE id = $1`, [principal.apiKeyId]);
  }
}
