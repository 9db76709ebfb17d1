import type { PgBoss } from 'pg-boss';
import { asJobDb, type RequestDb } from '../core/db';

export const OPERATION_QUEUE = 'number-operation';

export interface OperationJob {
  operationId: string;
}

/**
 * What an operation's success makes happen outside the billing system (the secret code's SMS). The job is written in
 * the transaction that records the success, so the effect follows every success, a crash's included, and no failure.
 */
export const OPERATION_EFFECT_QUEUE = 'number-operation-effect';

export type OperationEffectJob = OperationJob;

/** Where accepted operations wait for the billing system. Enqueuing joins the caller's transaction. */
export interface OperationQueue {
  enqueue(db: RequestDb, operationId: string): Promise<void>;
}

export interface QueueTimings {
  /** How long a worker may hold a job before another may take it (a killed worker's job comes back then). */
  expireInSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
}

export const DEFAULT_QUEUE_TIMINGS: QueueTimings = { expireInSeconds: 300, retryLimit: 10, retryDelaySeconds: 5 };

export async function createOperationQueue(boss: PgBoss, timings: QueueTimings = DEFAULT_QUEUE_TIMINGS): Promise<OperationQueue> {
  if (!(await boss.getQueue(OPERATION_QUEUE))) {
    await boss.createQueue(OPERATION_QUEUE, {
      expireInSeconds: timings.expireInSeconds,
      retryLimit: timings.retryLimit,
      retryDelay: timings.retryDelaySeconds,
    });
  }
  if (!(await boss.getQueue(OPERATION_EFFECT_QUEUE))) {
    await boss.createQueue(OPERATION_EFFECT_QUEUE, {
      expireInSeconds: timings.expireInSeconds,
      retryLimit: timings.retryLimit,
      retryDelay: timings.retryDelaySeconds,
    });
  }
  return {
    async enqueue(db, operationId) {
      const job: OperationJob = { operationId };
      await boss.send(OPERATION_QUEUE, job, {
        singletonKey: `operation-${operationId}`,
        db: asJobDb(db),
      });
    },
  };
}

declare module '../core/context' {
  interface Ports {
    operations: OperationQueue;
  }
}
