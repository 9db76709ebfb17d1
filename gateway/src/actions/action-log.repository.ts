import type { RequestDb } from '../core/db';
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
