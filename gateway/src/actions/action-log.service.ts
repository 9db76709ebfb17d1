import type { Context } from '../graphql/context';
import { toGlobalId } from '../graphql/ids';
import { checkPageSize, decodeCursor, encodeCursor, toPage, type Page } from '../graphql/paging';
import { listActions } from './action-log.loader';
import type { ActionLogRow, ActionLogType } from './action-log.type';
import { describeAction } from './action-text';

export const actionLogService = {
  /** Actions history of a company, or of one of its numbers, newest first. */
  async list(ctx: Context, companyId: number, numberId: number | null, first?: number, after?: string): Promise<Page<ActionLogType>> {
    const size = checkPageSize(first);
    const cursor = after === undefined ? null : (decodeCursor(after, ['string', 'string']) as [string, string]);
    const rows = await listActions(ctx.db, { companyId, numberId, limit: size + 1, after: cursor });
    const toEntry = (row: ActionLogRow): ActionLogType => ({
      id: toGlobalId('ActionLog', row.id),
      action: row.action,
      description: describeAction(row.action, row.details, ctx.language),
      status: row.status,
      createdAt: row.createdAt,
      actor: { name: row.actorName, phone: row.actorPhone },
      numberId: row.numberId,
    });
    return toPage(rows, size, cursor !== null, toEntry, (row) => encodeCursor([new Date(row.createdAt).toISOString(), row.id]));
  },
};
