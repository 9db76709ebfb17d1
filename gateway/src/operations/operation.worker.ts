import type { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import { billing } from '../billing/billing.adapter';
import type { NumberState } from '../billing/billing.entities';
import { BillingRejected, type BillingOperation, type BillingResult, type BillingSystem } from '../billing/billing.port';
import { RequestDb } from '../core/db';
import { type EventPublisher } from '../core/events';
import type { Logger } from '../core/logger';
import type { SmsSender } from '../delivery/sms';
import { operationDefinition } from './operation.catalogue';
import { OPERATION_QUEUE, type OperationJob } from './operation.queue';

export interface WorkerDeps {
  boss: PgBoss;
  dataSource: DataSource;
  billing: BillingSystem;
  events: Pick<EventPublisher, 'publish'>;
  sms: SmsSender;
  log: Logger;
}

interface LockedOperation extends BillingOperation {
  companyId: number;
  status: string;
  previousState: NumberState | null;
  actionLogId: string | null;
  bulkOperationId: string | null;
}

/**
 * Finishes one operation: waits for the billing system, then in ONE transaction applies it, records the
 * outcome on the operation and in the actions log, sets the number's state and publishes the events.
 * An operation that is no longer In process is left alone, so a retried job changes nothing twice.
 * An item of a fleet operation (`bulk_operation_id`) is finished in the same transaction and publishes no per-number
 * events: the fleet operation's progress stands for them.
 */
export async function processOperation(deps: WorkerDeps, operationId: string): Promise<'done' | 'skipped'> {
  const peek = await deps.dataSource.query(`SELECT status, kind, number_id AS "numberId", params FROM cabinet.operations WHERE id = $1`, [operationId]);
  if (peek.length === 0 || peek[0].status !== 'IN_PROCESS') return 'skipped';
  await deps.billing.processingDelay(new RequestDb(deps.dataSource), { id: operationId, ...peek[0] });

  const finish = async (decide: (db: RequestDb, op: LockedOperation) => Promise<BillingResult>) =>
    deps.dataSource.transaction(async (manager) => {
      const db = new RequestDb(manager.queryRunner!);
      const [op] = await db.query<LockedOperation>(
        `SELECT o.id::text, o.company_id AS "companyId", o.number_id AS "numberId", o.kind, o.params, o.status,
           o.previous_state AS "previousState", o.action_log_id::text AS "actionLogId",
           o.bulk_operation_id::text AS "bulkOperationId"
         FROM cabinet.operations o WHERE o.id = $1 FOR UPDATE OF o`,
        [operationId],
      );
      if (!op || op.status !== 'IN_PROCESS') return null;
      const result = await decide(db, op);
      const held = operationDefinition(op.kind).holdsNumber;
      const status = result.ok ? 'SUCCESS' : 'FAILURE';
      await db.query(`UPDATE cabinet.operations SET status = $2, failure_reason = $3, finished_at = now() WHERE id = $1`, [
        op.id,
        status,
        result.ok ? null : result.reason,
      ]);
      if (op.actionLogId) {
        await db.query(
          `UPDATE cabinet.action_log SET status = $2, details = CASE WHEN $3::text IS NULL THEN details ELSE details || jsonb_build_object('error', $3::text) END
           WHERE id = $1`,
          [op.actionLogId, status, result.ok ? null : result.reason],
        );
      }
      const nextState = held ? (result.ok ? held.after : op.previousState) : undefined;
      if (nextState) {
        await billing.releaseNumber(db, op.numberId, nextState, result.ok);
      }
      if (op.bulkOperationId) {
        // An item of a fleet operation finishes with its operation; its progress is published for the whole job, coalesced.
        await db.query(`UPDATE cabinet.bulk_items SET status = $2, reason = $3, finished_at = now() WHERE operation_id = $1`, [
          op.id,
          status,
          result.ok ? null : result.reason,
        ]);
        return { op, result };
      }
      await deps.events.publish(db, { topic: 'OPERATION_CHANGED', companyId: op.companyId, payload: { operationId: op.id, numberId: op.numberId } });
      if (held || result.ok) {
        await deps.events.publish(db, { topic: 'NUMBER_CHANGED', companyId: op.companyId, payload: { numberId: op.numberId, state: nextState ?? null } });
      }
      return { op, result };
    });

  let outcome: Awaited<ReturnType<typeof finish>>;
  try {
    outcome = await finish((db, op) => deps.billing.apply(db, op));
  } catch (error) {
    if (!(error instanceof BillingRejected)) throw error;
    outcome = await finish(async () => ({ ok: false, reason: error.reason }));
  }
  if (!outcome) return 'skipped';
  if (!outcome.op.bulkOperationId) deps.log.info({ operationId, kind: outcome.op.kind, ok: outcome.result.ok }, 'operation finished');
  const definition = operationDefinition(outcome.op.kind);
  if (outcome.result.ok && definition.succeeded) {
    const [number] = await billing.numbers(new RequestDb(deps.dataSource), [outcome.op.numberId]);
    await definition.succeeded(deps, { msisdn: number!.msisdn, params: outcome.op.params });
  }
  return 'done';
}

/**
 * Works the operations queue in this process until `boss.stop()`. A job mostly waits for the billing system
 * (1–2 minutes in the real one), so jobs are fetched in batches and waited for side by side: a few busy slots must
 * not hold back every other company's operations. A batch with a failed job is retried as a whole; the jobs of it
 * that were applied are skipped then (an operation no longer In process is not applied again).
 */
export async function startOperationWorker(deps: WorkerDeps, { batchSize = 25, concurrency = 2 } = {}): Promise<void> {
  await deps.boss.work<OperationJob>(OPERATION_QUEUE, { batchSize, localConcurrency: concurrency, pollingIntervalSeconds: 0.5 }, async (jobs) => {
    const outcomes = await Promise.allSettled(jobs.map((job) => processOperation(deps, job.data.operationId)));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  });
}
