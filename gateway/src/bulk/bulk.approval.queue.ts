import type { PgBoss } from 'pg-boss';
import { asJobDb, type RequestDb } from '../core/db';

/** How long a request waits for a second administrator before it expires. */
export const APPROVAL_WINDOW_HOURS = 24;

/** Who asked for an operation, as four eyes count them: the administrator, or the administrator who created the key. */
export const REQUESTER = `coalesce(b.administrator_id, (SELECT k.created_by FROM cabinet.api_keys k WHERE k.id = b.api_key_id))`;

/** The queue of a request's two moments: the e-mail to the other administrators at once, the expiry a day later. */
export const APPROVAL_QUEUE = 'bulk-approval';

export interface ApprovalJob {
  bulkOperationId: string;
  step: 'REQUESTED' | 'EXPIRY';
}

/** Sends a request's moment to the workers, in the caller's transaction. */
export interface ApprovalQueue {
  send(db: Pick<RequestDb, 'query'>, job: ApprovalJob, at?: Date): Promise<void>;
}

declare module '../core/context' {
  interface Ports {
    approvals: ApprovalQueue;
  }
}

export async function createApprovalQueue(boss: PgBoss): Promise<ApprovalQueue> {
  if (!(await boss.getQueue(APPROVAL_QUEUE))) {
    await boss.createQueue(APPROVAL_QUEUE, { expireInSeconds: 300, retryLimit: 20, retryDelay: 5, retryBackoff: true });
  }
  return {
    async send(db, job, at) {
      await boss.send(APPROVAL_QUEUE, job, {
        ...(at ? { startAfter: at } : {}),
        singletonKey: `${job.step}-${job.bulkOperationId}`,
        db: asJobDb(db),
      });
    },
  };
}

/**
 * Asks the company's other administrators (by e-mail, at once) and sets the request's expiry; in the transaction
 * that writes the operation AWAITING_APPROVAL.
 */
export async function requestApproval(db: Pick<RequestDb, 'query'>, approvals: ApprovalQueue, id: string, requestedAt: Date): Promise<void> {
  await approvals.send(db, { bulkOperationId: id, step: 'REQUESTED' });
  await approvals.send(db, { bulkOperationId: id, step: 'EXPIRY' }, new Date(requestedAt.getTime() + APPROVAL_WINDOW_HOURS * 3_600_000));
}
