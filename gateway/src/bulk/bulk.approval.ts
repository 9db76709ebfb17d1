import { requireAdministrator } from '../core/access';
import { recordAction } from '../core/action-recorder';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import { BadUserInputError, ConflictError, DomainError, ErrorCode } from '../core/errors';
import type { Language } from '../core/language';
import type { OperationKind } from '../operations';
import { APPROVAL_WINDOW_HOURS, REQUESTER } from './bulk.approval.queue';
import { companyOfBulk } from './bulk.schedule';
import { beginBulkOperation, BULK_OPERATION_CHANGED } from './bulk.service';

const COMMENT_LENGTH = 1000;

/** The history entry of a request that expired undecided (written by its job, with no actor). */
const EXPIRY_ENTRY = { action: 'BULK_APPROVAL_EXPIRED' } as const;

function parseComment(value: string | null | undefined, required: boolean): string | null {
  const comment = (value ?? '').trim();
  if (required && comment === '') throw new BadUserInputError('comment', 'Say why the operation is rejected');
  if (comment.length > COMMENT_LENGTH) throw new BadUserInputError('comment', `The comment is longer than ${COMMENT_LENGTH} characters`);
  return comment === '' ? null : comment;
}

/** Items not handed over end CANCELLED when the operation ends before it runs (rejected, expired). */
async function closeItems(db: RequestDb, id: string): Promise<void> {
  await db.query(`UPDATE cabinet.bulk_items SET status = 'CANCELLED', finished_at = now() WHERE bulk_operation_id = $1 AND status = 'PENDING'`, [id]);
}

/** The job's own entry of the actions history takes the outcome of an operation that never ran. */
async function settleHistory(db: RequestDb, id: string): Promise<void> {
  await db.query(
    `UPDATE cabinet.action_log l SET status = 'FAILURE', details = l.details || jsonb_build_object('outcome', b.status::text)
     FROM cabinet.bulk_operations b WHERE b.id = $1 AND l.id = b.action_log_id`,
    [id],
  );
}

/**
 * A second administrator approves or rejects an operation waiting for approval. The requester cannot decide their
 * own request (nor through a key they created), partner keys cannot decide at all, and a request older than
 * APPROVAL_WINDOW_HOURS has expired. The decision is one conditional UPDATE: of two administrators deciding at once,
 * one decides and the other is told it was decided.
 */
export async function decideBulkOperation(ctx: Context, id: string, approve: boolean, commentInput: string | null | undefined): Promise<void> {
  const companyId = await companyOfBulk(ctx, id);
  const administrator = requireAdministrator(ctx);
  const comment = parseComment(commentInput, !approve);
  await ctx.transaction(async () => {
    const [decided] = await ctx.db.query<{ startAt: Date | null; scheduled: boolean }>(
      `UPDATE cabinet.bulk_operations b SET decided_by = $2, decided_at = now(), decision_comment = $3,
         status = CASE WHEN NOT $4 THEN 'REJECTED' WHEN b.start_at > now() THEN 'SCHEDULED' ELSE b.status END::cabinet.bulk_status,
         finished_at = CASE WHEN $4 THEN NULL ELSE now() END
       WHERE b.id = $1 AND b.status = 'AWAITING_APPROVAL' AND b.created_at > now() - make_interval(hours => $5)
         AND ${REQUESTER} IS DISTINCT FROM $2
       RETURNING b.start_at AS "startAt", b.status = 'SCHEDULED' AS scheduled`,
      [id, administrator.administratorId, comment, approve, APPROVAL_WINDOW_HOURS],
    );
    if (!decided) return refusal(ctx.db, id, administrator.administratorId);
    if (!approve) {
      await closeItems(ctx.db, id);
      await settleHistory(ctx.db, id);
    } else if (decided.scheduled) {
      await ctx.ports.bulk.enqueue(ctx.db, id, new Date(decided.startAt!));
    } else {
      await beginBulkOperation(ctx.db, id, { log: ctx.log });
    }
    const entryId = await recordAction(ctx, {
      ...(approve ? { action: 'BULK_APPROVED' } : { action: 'BULK_REJECTED' }),
      companyId,
      status: 'SUCCESS',
      details: { bulkOperationId: id, ...(comment ? { comment } : {}) },
    });
    await ctx.db.query(`UPDATE cabinet.action_log SET bulk_operation_id = $2 WHERE id = $1`, [entryId, id]);
    await ctx.ports.events?.publish(ctx.db, { topic: BULK_OPERATION_CHANGED, companyId, payload: { bulkOperationId: id } });
  });
}

/** Why a decision changed nothing: the requester's own, expired, or already decided. */
async function refusal(db: RequestDb, id: string, administratorId: number): Promise<never> {
  const [row] = await db.query<{ status: string; own: boolean; expired: boolean }>(
    `SELECT b.status, ${REQUESTER} = $2 AS own, b.created_at <= now() - make_interval(hours => $3) AS expired FROM cabinet.bulk_operations b WHERE b.id = $1`,
    [id, administratorId, APPROVAL_WINDOW_HOURS],
  );
  if (row.status === 'AWAITING_APPROVAL' && row.own) {
    throw new DomainError(ErrorCode.SELF_APPROVAL, 'Another administrator of the company must decide on your own request');
  }
  if (row.status === 'EXPIRED' || (row.status === 'AWAITING_APPROVAL' && row.expired)) {
    throw new DomainError(ErrorCode.APPROVAL_EXPIRED, `The request waited more than ${APPROVAL_WINDOW_HOURS} hours and has expired; ask again`);
  }
  throw new ConflictError('The request has already been decided');
}

/**
 * Ends a request nobody decided in time. Run by its job APPROVAL_WINDOW_HOURS after the request; a request decided
 * meanwhile is left alone.
 */
export async function expireApproval(db: RequestDb, id: string, publish: (db: RequestDb, companyId: number) => Promise<void>): Promise<boolean> {
  const [expired] = await db.query<{ companyId: number }>(
    `UPDATE cabinet.bulk_operations SET status = 'EXPIRED', finished_at = now()
     WHERE id = $1 AND status = 'AWAITING_APPROVAL' AND created_at <= now() - make_interval(hours => $2) RETURNING company_id AS "companyId"`,
    [id, APPROVAL_WINDOW_HOURS],
  );
  if (!expired) return false;
  await closeItems(db, id);
  await settleHistory(db, id);
  await db.query(
    `INSERT INTO cabinet.action_log (company_id, action, details, status, actor_name, bulk_operation_id)
     VALUES ($1, $3, jsonb_build_object('bulkOperationId', $2::text), 'SUCCESS', '—', $2::bigint)`,
    [expired.companyId, id, EXPIRY_ENTRY.action],
  );
  await publish(db, expired.companyId);
  return true;
}

/** Whom a request is e-mailed to: the company's other administrators, with the request's facts. */
export async function approvalAudience(
  db: Pick<RequestDb, 'query'>,
  id: string,
): Promise<{ request: ApprovalRequestFacts; readers: { email: string; language: Language }[] } | null> {
  const [request] = await db.query<ApprovalRequestFacts & { status: string; requester: number | null }>(
    `SELECT b.company_id AS "companyId", b.kind::text, b.actor_name AS "actorName", b.status::text, ${REQUESTER} AS requester,
       (SELECT count(*)::int FROM cabinet.bulk_items i WHERE i.bulk_operation_id = b.id AND i.status = 'PENDING') AS pending
     FROM cabinet.bulk_operations b WHERE b.id = $1`,
    [id],
  );
  if (!request || request.status !== 'AWAITING_APPROVAL') return null;
  const readers = await db.query<{ email: string; language: Language }>(
    `SELECT a.email, a.language::text AS language FROM cabinet.grants g JOIN cabinet.administrators a ON a.id = g.administrator_id
     WHERE g.company_id = $1 AND a.id IS DISTINCT FROM $2 ORDER BY a.id`,
    [request.companyId, request.requester],
  );
  return { request, readers };
}

export interface ApprovalRequestFacts {
  companyId: number;
  kind: OperationKind;
  actorName: string;
  /** The numbers it will change. */
  pending: number;
}
