import type { PgBoss } from 'pg-boss';
import { asJobDb, type RequestDb } from '../core/db';
import type { QueueTimings } from '../operations';

export const BULK_QUEUE = 'bulk-operation';

export interface BulkJob {
  bulkOperationId: string;
}

/**
 * Where a fleet operation's driver job waits. The driver hands the operation's items to the billing system under the
 * shared gate and finishes the operation; sending joins the caller's transaction.
 */
export interface BulkQueue {
  /** Drives the operation now, or once at `startAfter`. */
  enqueue(db: Pick<RequestDb, 'query'>, bulkOperationId: string, startAfter?: Date | null): Promise<void>;
}

let registered: BulkQueue | undefined;

/** The queue this process started (`beginBulkOperation` sends drivers there); undefined before. */
export function registeredBulkQueue(): BulkQueue | undefined {
  return registered;
}

export async function createBulkQueue(boss: PgBoss, timings: QueueTimings): Promise<BulkQueue> {
  if (!(await boss.getQueue(BULK_QUEUE))) {
    await boss.createQueue(BULK_QUEUE, {
      expireInSeconds: timings.expireInSeconds,
      retryLimit: 1000,
      retryDelay: timings.retryDelaySeconds,
    });
  }
  registered = {
    async enqueue(db, bulkOperationId, startAfter) {
      const job: BulkJob = { bulkOperationId };
      await boss.send(BULK_QUEUE, job, {
        ...(startAfter ? { startAfter } : {}),
        db: asJobDb(db),
      });
    },
  };
  return registered;
}

declare module '../core/context' {
  interface Ports {
    bulk: BulkQueue;
  }
}
