import DataLoader from 'dataloader';
import type { Context } from './context';
import type { RequestDb } from './db';

/** How an entry of the actions history stands: written In process, then settled, or written settled. */
export type ActionStatus = 'IN_PROCESS' | 'SUCCESS' | 'FAILURE';

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
  status: ActionStatus;
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
export async function settleAction(db: RequestDb, id: string, status: ActionStatus, error: string | null): Promise<void> {
  await db.query(
    `UPDATE cabinet.action_log SET status = $2,
       details = CASE WHEN $3::text IS NULL THEN details ELSE details || jsonb_build_object('error', $3::text) END
     WHERE id = $1`,
    [id, status, error],
  );
}

export interface ActionEntry {
  action: string;
  status: ActionStatus;
  companyId?: number | null;
  numberId?: number | null;
  details?: Record<string, string>;
  /** For anonymous calls (a failed login): the phone that was tried. */
  phone?: string;
}

/** Who the calling principal is, as the history names them. */
export function actorOf(ctx: Context, phone?: string): Actor {
  const p = ctx.principal;
  return {
    actorName: p.kind === 'administrator' ? p.name : p.kind === 'apiKey' ? `API key “${p.name}”` : '—',
    actorPhone: p.kind === 'administrator' ? p.phone : phone && /^7\d{10}$/.test(phone) ? phone : null,
    clientAddress: ctx.http.clientAddress,
    administratorId: p.kind === 'administrator' ? p.administratorId : null,
    apiKeyId: p.kind === 'apiKey' ? p.apiKeyId : null,
  };
}

/** Writes one entry of the actions history for the calling principal, with the client's address; returns its id. */
export async function recordAction(ctx: Context, entry: ActionEntry): Promise<string> {
  return insertAction(ctx.db, {
    companyId: entry.companyId ?? null,
    numberId: entry.numberId ?? null,
    action: entry.action,
    details: entry.details ?? {},
    status: entry.status,
    ...actorOf(ctx, entry.phone),
  });
}

export interface ViewEntry {
  action: string;
  companyId: number;
  numberId: number | null;
  details: Record<string, string>;
}

type PendingView = ViewEntry & Actor;

/** A view asked for again by the same viewer within this many seconds (the page's other queries, its pages, a refetch) is the same view. */
export const VIEW_REPEAT_SECONDS = 60;

const viewKey = (v: PendingView) => JSON.stringify([v.action, v.companyId, v.numberId, v.details, v.administratorId, v.apiKeyId]);

const viewLog = (db: RequestDb) =>
  new DataLoader<PendingView, true, string>(
    async (views) => {
      // A write, also when the query's reads come from a standby.
      await insertViews(db.primary, views, views.map(viewKey), VIEW_REPEAT_SECONDS);
      return views.map(() => true as const);
    },
    // The actor is part of the key: loaders may be shared by the executions of one event for many subscribers.
    { cacheKeyFn: viewKey },
  );

/**
 * Records that sensitive data was shown (usage details, payment history). The views of one request are
 * written in one statement; the same view asked for again within `VIEW_REPEAT_SECONDS` by the same viewer, in
 * this request or another (e.g. `usage` and `usageTotals` sent apart), is not written again.
 */
export async function recordView(ctx: Context, view: ViewEntry): Promise<void> {
  await ctx.loader(viewLog).load({ ...view, ...actorOf(ctx) });
}
