import type { SqlRunner } from '../core/db';
/** Rows for every statement, UPDATE/DELETE … RETURNING included (a RequestDb). */
export type { SqlRunner };

export interface RegistrationRequestRow {
  id: number;
  bin: string;
  name: string;
  phone: string;
  email: string;
  status: string;
  createdAt: Date;
}

export async function findAdministratorByPhone(db: SqlRunner, phone: string): Promise<{ id: number; name: string } | null> {
  const [administrator] = await db.query(`SELECT id, name FROM cabinet.administrators WHERE phone = $1 AND removed_at IS NULL`, [phone]);
  return administrator ?? null;
}

export async function insertGrant(db: SqlRunner, administratorId: number, companyId: number): Promise<void> {
  await db.query(`INSERT INTO cabinet.grants (administrator_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [administratorId, companyId]);
}

/** Removes the grant and notifies `channel` in one statement, so the grant cannot go without the sockets hearing of it; false when there was none. */
export async function deleteGrantNotifying(db: SqlRunner, administratorId: number, companyId: number, channel: string, notification: string): Promise<boolean> {
  const removed = await db.query(
    `WITH removed AS (DELETE FROM cabinet.grants WHERE administrator_id = $1 AND company_id = $2 RETURNING company_id)
     SELECT company_id, pg_notify($3, $4) FROM removed`,
    [administratorId, companyId, channel, notification],
  );
  return removed.length > 0;
}

/**
 * Removes the administrator in one statement: no grant, session, trusted browser, open recovery or password is left,
 * and `channel` is notified so that every process closes their sockets; the row stays for the actions history.
 * Null when there is no such administrator, or they were removed already.
 */
export async function removeAdministratorNotifying(
  db: SqlRunner,
  administratorId: number,
  channel: string,
  notification: string,
): Promise<{ grants: number; sessions: number } | null> {
  const [removed] = await db.query(
    `WITH removed AS (
       UPDATE cabinet.administrators SET removed_at = now(), password_hash = NULL WHERE id = $1 AND removed_at IS NULL RETURNING id
     ), grants AS (
       DELETE FROM cabinet.grants WHERE administrator_id IN (SELECT id FROM removed) RETURNING company_id
     ), sessions AS (
       UPDATE cabinet.sessions SET revoked_at = now() WHERE administrator_id IN (SELECT id FROM removed) AND revoked_at IS NULL RETURNING id
     ), devices AS (
       DELETE FROM cabinet.trusted_devices WHERE administrator_id IN (SELECT id FROM removed) RETURNING 1
     ), recoveries AS (
       UPDATE cabinet.recoveries SET voided_at = now() WHERE administrator_id IN (SELECT id FROM removed) AND finished_at IS NULL AND voided_at IS NULL
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM grants)::int AS grants, (SELECT count(*) FROM sessions)::int AS sessions, pg_notify($2, $3) FROM removed`,
    [administratorId, channel, notification],
  );
  return removed ? { grants: removed.grants, sessions: removed.sessions } : null;
}

/** Registration requests in `status` ('ALL' for every one), oldest first. */
export function listRequests(db: SqlRunner, status: string): Promise<RegistrationRequestRow[]> {
  return db.query(
    `SELECT id, bin, name, phone, email, status, created_at AS "createdAt" FROM cabinet.registration_requests
     WHERE $1 = 'ALL' OR status::text = $1 ORDER BY id`,
    [status],
  );
}

export async function registrationRequest(db: SqlRunner, id: number): Promise<Omit<RegistrationRequestRow, 'createdAt'> | null> {
  const [request] = await db.query(`SELECT id, bin, name, phone, email, status FROM cabinet.registration_requests WHERE id = $1`, [id]);
  return request ?? null;
}

/** The administrator with the phone, created (without a password) if new or back if removed; answers their id. */
export async function upsertAdministrator(db: SqlRunner, person: { name: string; phone: string; email: string }): Promise<number> {
  const [administrator] = await db.query(
    `INSERT INTO cabinet.administrators (name, phone, email) VALUES ($1, $2, $3)
     ON CONFLICT (phone) DO UPDATE SET removed_at = NULL RETURNING id`,
    [person.name, person.phone, person.email],
  );
  return administrator.id;
}

export async function approveRequest(db: SqlRunner, id: number): Promise<void> {
  await db.query(`UPDATE cabinet.registration_requests SET status = 'APPROVED', decided_at = now() WHERE id = $1`, [id]);
}

/** Rejects a pending request; false when there is no pending request with the id. */
export async function rejectRequest(db: SqlRunner, id: number): Promise<boolean> {
  const updated = await db.query(
    `UPDATE cabinet.registration_requests SET status = 'REJECTED', decided_at = now() WHERE id = $1 AND status = 'PENDING' RETURNING id`,
    [id],
  );
  return updated.length > 0;
}

export async function insertOperatorAction(
  db: SqlRunner,
  entry: { actor: string; action: string; section: string; version: string; details: Record<string, unknown> },
): Promise<void> {
  await db.query(`INSERT INTO cabinet.operator_actions (actor, action, section, version, details) VALUES ($1, $2, $3, $4, $5)`, [
    entry.actor,
    entry.action,
    entry.section,
    entry.version,
    JSON.stringify(entry.details),
  ]);
}

export function latestOperatorActions<T>(db: SqlRunner, limit: number): Promise<T[]> {
  return db.query(`SELECT at, actor, action, section, version, details FROM cabinet.operator_actions ORDER BY at DESC, id DESC LIMIT $1`, [limit]);
}
