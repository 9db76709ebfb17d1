import type { Context } from '../graphql/context';
import type { ActionStatus } from './action-log.entity';

export interface ActionEntry {
  action: string;
  status: ActionStatus;
  companyId?: number | null;
  numberId?: number | null;
  details?: Record<string, string>;
  /** For anonymous calls (a failed login): the phone that was tried. */
  phone?: string;
}

/** Writes one entry of the actions history for the calling principal, with the client's address. */
export async function recordAction(ctx: Context, entry: ActionEntry): Promise<void> {
  const p = ctx.principal;
  const actorName = p.kind === 'administrator' ? p.name : p.kind === 'apiKey' ? `API key “${p.name}”` : '—';
  const actorPhone = p.kind === 'administrator' ? p.phone : entry.phone && /^7\d{10}$/.test(entry.phone) ? entry.phone : null;
  await ctx.db.query(
    `INSERT INTO cabinet.action_log (company_id, number_id, action, details, status, actor_name, actor_phone, client_address,
       administrator_id, api_key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      entry.companyId ?? null,
      entry.numberId ?? null,
      entry.action,
      JSON.stringify(entry.details ?? {}),
      entry.status,
      actorName,
      actorPhone,
      ctx.http.clientAddress,
      p.kind === 'administrator' ? p.administratorId : null,
      p.kind === 'apiKey' ? p.apiKeyId : null,
    ],
  );
}
