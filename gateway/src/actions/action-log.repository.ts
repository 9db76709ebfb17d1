import type { RequestDb } from '../core/db';
import type { ActionStatus as EntryStatus } from './action-log.entity';
import type { Period } from '../core/period';
import type { ActionCode, ActionLogRow, ActionStatus } from './action-log.type';

export interface ActionLogFilter {
  companyId: number;
  numberId: number | null;
  /** Also only actions on this number: the one with the MSISDN the caller asked for. */
  msisdnNumberId: number | null;
  period: Period | null;
  administratorId: number | null;
  status: ActionStatus | null;
  action: ActionCode | null;
  limit: number;
  after: [string, string] | null;
}

/** One page of a company's actions history, newest first, keyset-paged on (created_at, id). */
export async function listActions(db: RequestDb, f: ActionLogFilter): Promise<ActionLogRow[]> {
  const params: unknown[] = [f.companyId, f.limit];
  const where = ['l.company_id = $1'];
  const add = (value: unknown, condition: (p: string) => string) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (f.numberId !== null) add(f.numberId, (p) => `l.number_id = ${p}`);
  if (f.msisdnNumberId !== null) add(f.msisdnNumberId, (p) => `l.number_id = ${p}`);
  if (f.period !== null) {
    add(f.period.from, (p) => `l.created_at >= (${p}::date)::timestamp AT TIME ZONE 'Asia/Almaty'`);
    add(f.period.to, (p) => `l.created_at < (${p}::date + 1)::timestamp AT TIME ZONE 'Asia/Almaty'`);
  }
  if (f.administratorId !== null) add(f.administratorId, (p) => `l.administrator_id = ${p}`);
  if (f.status !== null) add(f.status, (p) => `l.status = ${p}::cabinet.action_status`);
  if (f.action !== null) add(f.action, (p) => `l.action = ${p}`);
  if (f.after !== null) {
    params.push(f.after[0], f.after[1]);
    where.push(`(l.created_at, l.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  return db.query<ActionLogRow>(
    `SELECT l.id::text, l.company_id AS "companyId", l.number_id AS "numberId", l.action, l.details, l.status,
       l.actor_name AS "actorName", l.actor_phone AS "actorPhone", l.administrator_id AS "administratorId", l.created_at AS "createdAt"
     FROM cabinet.action_log l
     WHERE ${where.join(' AND ')}
     ORDER BY l.created_at DESC, l.id DESC LIMIT $2`,
    params,
  );
}

export interface ActingAdministrator extends Record<string, unknown> {
  administratorId: number;
  name: string;
  phone: string;
}

/** Every administrator with at least one entry in the company's history, by name. */
export async function listActingAdministrators(db: RequestDb, companyId: number): Promise<ActingAdministrator[]> {
  return db.query<ActingAdministrator>(
    `SELECT a.id AS "administratorId", a.name, a.phone FROM cabinet.administrators a
     WHERE EXISTS (SELECT 1 FROM cabinet.action_log l WHERE l.administrator_id = a.id AND l.company_id = $1)
     ORDER BY a.name, a.id`,
    [companyId],
  );
}

/** Who acted, as the history shows them. */
export interface Actor {
  actorName: string;
  actorPhone: string | null;
  clientAddress: string;
  administratorId: number | null;
  apiKeyId: number | null;
}

export interface NewAction extends Actor {
  companyId: number | null;
  numberId: number | null;
  action: string;
  details: Record<string, string>;
  status: EntryStatus;
}

const INSERT = `INSERT INTO cabinet.action_log (company_id, number_id, action, details, status, actor_name, actor_phone, client_address,
  administrator_id, api_key_id)`;

/** Writes one entry; returns its id. */
export async function insertAction(db: RequestDb, entry: NewAction): Promise<string> {
  const [row] = await db.query<{ id: string }>(`${INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id::text`, [
    entry.companyId,
    entry.numberId,
    entry.action,
    JSON.stringify(entry.details),
    entry.status,
    entry.actorName,
    entry.actorPhone,
    entry.clientAddress,
    entry.administratorId,
    entry.apiKeyId,
  ]);
  return row.id;
}

/**
 * Writes the views not already written within `repeatSeconds` under the same key. Claiming the mark and writing
 * the entry is one statement: of concurrent requests for one view, the one that inserts or renews the mark writes
 * the entry; the others wait for it and find the mark fresh.
 */
export async function insertViews(
  db: RequestDb,
  views: readonly (Actor & { action: string; companyId: number; numberId: number | null; details: Record<string, string> })[],
  keys: readonly string[],
  repeatSeconds: number,
): Promise<void> {
  await db.query(
    `WITH v AS (
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::text[])
         AS v(company_id, number_id, action, details, actor_name, actor_phone, client_address, administrator_id, api_key_id, key)
     ), claimed AS (
       INSERT INTO cabinet.view_marks AS m (key, started_at, recorded) SELECT key, now(), true FROM v
       ON CONFLICT (key) DO UPDATE SET
         recorded = m.started_at <= now() - make_interval(secs => $11),
         started_at = CASE WHEN m.started_at <= now() - make_interval(secs => $11) THEN now() ELSE m.started_at END
       RETURNING key, recorded
     )
     ${INSERT}
     SELECT v.company_id, v.number_id, v.action, v.details, 'SUCCESS', v.actor_name, v.actor_phone, v.client_address::inet,
       v.administrator_id, v.api_key_id
     FROM v JOIN claimed c ON c.key = v.key WHERE c.recorded`,
    [
      views.map((v) => v.companyId),
      views.map((v) => v.numberId),
      views.map((v) => v.action),
      views.map((v) => JSON.stringify(v.details)),
      views.map((v) => v.actorName),
      views.map((v) => v.actorPhone),
      views.map((v) => v.clientAddress),
      views.map((v) => v.administratorId),
      views.map((v) => v.apiKeyId),
      keys,
      repeatSeconds,
    ],
  );
}

/** Records how an entry written In process ended; a failure's reason goes into its details. */
export async function settleAction(db: RequestDb, id: string, status: EntryStatus, error: string | null): Promise<void> {
  await db.query(
    `UPDATE cabinet.action_log SET status = $2,
       details = CASE WHEN $3::text IS NULL THEN details ELSE details || jsonb_build_object('error', $3::text) END
     WHERE id = $1`,
    [id, status, error],
  );
}
