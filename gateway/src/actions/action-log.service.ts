import { parsePhone } from '../auth/auth.validation';
import type { Context } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { toGlobalId } from '../graphql/ids';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../graphql/paging';
import { resolvePeriod } from '../graphql/period';
import { listActions } from './action-log.loader';
import type { ActionLogRow, ActionLogType, ActionStatus } from './action-log.type';
import { describeAction } from './action-text';

export interface ActionLogQuery {
  /** With neither bound the whole history; with one, the other defaults as for every period (to: today, from: a month before). */
  from?: string | null;
  to?: string | null;
  numberId?: number | null;
  msisdn?: string | null;
  administratorId?: number | null;
  status?: ActionStatus | null;
  action?: string | null;
  first?: number;
  after?: string;
}

export const actionLogService = {
  /** Actions history of a company, or of one of its numbers, newest first. The caller has been granted the company. */
  async list(ctx: Context, companyId: number, query: ActionLogQuery): Promise<Page<ActionLogType>> {
    const size = checkPageSize(query.first);
    const period = query.from || query.to ? resolvePeriod(query.from, query.to) : null;
    const msisdn = query.msisdn ? parsePhone(query.msisdn, 'msisdn') : null;
    const action = query.action ?? null;
    if (action !== null && !/^[A-Z_]{1,64}$/.test(action)) throw new BadUserInputError('action', 'action must be an action code such as BLOCK_NUMBER');
    const cursor = decodeAfter(query.after, ['timestamp', 'bigint']) as [string, string] | null;
    const rows = await listActions(ctx.db, {
      companyId,
      numberId: query.numberId ?? null,
      msisdn,
      period,
      administratorId: query.administratorId ?? null,
      status: query.status ?? null,
      action,
      limit: size + 1,
      after: cursor,
    });
    const toEntry = (row: ActionLogRow): ActionLogType => ({
      id: toGlobalId('ActionLog', row.id),
      action: row.action,
      description: describeAction(row.action, row.details, ctx.language),
      status: row.status,
      createdAt: row.createdAt,
      actor: {
        name: row.actorName,
        phone: row.actorPhone,
        administratorId: row.administratorId === null ? null : toGlobalId('Administrator', row.administratorId),
      },
      numberId: row.numberId,
    });
    return toPage(rows, size, cursor !== null, toEntry, (row) => encodeCursor([new Date(row.createdAt).toISOString(), row.id]));
  },
};
