import { requireOperate } from '../core/access';
import { recordAction } from '../core/action-recorder';
import type { Context } from '../core/context';
import { ConflictError, NotFoundError } from '../core/errors';
import { BULK_OPERATION_CHANGED, checkStartAt } from './bulk.service';

/** The operation's company, checked against the caller's grants (OPERATE); NOT_FOUND for one of another company. */
export async function companyOfBulk(ctx: Context, id: string): Promise<number> {
  const [row] = await ctx.db.query<{ companyId: number }>(`SELECT company_id AS "companyId" FROM cabinet.bulk_operations WHERE id = $1`, [id]);
  if (!row) throw new NotFoundError('BulkOperation');
  requireOperate(ctx, row.companyId, 'BulkOperation');
  return row.companyId;
}

/**
 * Moves an operation that has not started (scheduled, or waiting for approval) to another start time. A scheduled
 * one gets a driver job at the new time; the job of the old time still fires, finds the operation not due and
 * leaves it. Once it has started, CONFLICT.
 */
export async function rescheduleBulkOperation(ctx: Context, id: string, startAtInput: Date): Promise<void> {
  const companyId = await companyOfBulk(ctx, id);
  const startAt = checkStartAt(startAtInput)!;
  await ctx.transaction(async () => {
    const [row] = await ctx.db.query<{ status: string; was: Date | null }>(
      `UPDATE cabinet.bulk_operations b SET start_at = $2 FROM (SELECT id, start_at FROM cabinet.bulk_operations WHERE id = $1 FOR UPDATE) old
       WHERE b.id = old.id AND b.status IN ('SCHEDULED', 'AWAITING_APPROVAL') RETURNING b.status, old.start_at AS was`,
      [id, startAt],
    );
    if (!row) throw new ConflictError('The operation has started or ended: only an operation that has not started can be moved');
    if (row.status === 'SCHEDULED') await ctx.ports.bulk.enqueue(ctx.db, id, startAt);
    const entryId = await recordAction(ctx, {
      action: 'BULK_RESCHEDULED',
      companyId,
      status: 'SUCCESS',
      details: { bulkOperationId: id, startAt: startAt.toISOString(), was: row.was ? new Date(row.was).toISOString() : '' },
    });
    await ctx.db.query(`UPDATE cabinet.action_log SET bulk_operation_id = $2 WHERE id = $1`, [entryId, id]);
    await ctx.ports.events?.publish(ctx.db, { topic: BULK_OPERATION_CHANGED, companyId, payload: { bulkOperationId: id } });
  });
}
