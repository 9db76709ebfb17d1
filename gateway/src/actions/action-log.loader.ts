import type { RequestDb } from '../graphql/context';
import type { ActionLogRow } from './action-log.type';

export interface ActionLogFilter {
  companyId: number;
  numberId: number | null;
  limit: number;
  after: [string, string] | null;
}

export async function listActions(db: RequestDb, f: ActionLogFilter): Promise<ActionLogRow[]> {
  return db.query<ActionLogRow>(
    `SELECT id::text, company_id AS "companyId", number_id AS "numberId", action, details, status,
       actor_name AS "actorName", actor_phone AS "actorPhone", created_at AS "createdAt"
     FROM cabinet.action_log
     WHERE company_id = $1 AND ($2::int IS NULL OR number_id = $2)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::bigint))
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [f.companyId, f.numberId, f.limit, f.after?.[0] ?? null, f.after?.[1] ?? null],
  );
}
