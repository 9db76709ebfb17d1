import DataLoader from 'dataloader';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import type { ActionStatus } from './action-log.entity';
import { insertAction, insertViews, type Actor } from './action-log.repository';

export { settleAction } from './action-log.repository';

export interface ActionEntry {
  action: string;
  status: ActionStatus;
  companyId?: number | null;
  numberId?: number | null;
  details?: Record<string, string>;
  /** For anonymous calls (a failed login): the phone that was tried. */
  phone?: string;
}

function actorOf(ctx: Context, phone?: string): Actor {
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
      await insertViews(db, views, views.map(viewKey), VIEW_REPEAT_SECONDS);
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
