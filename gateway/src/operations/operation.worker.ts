import type { JobResult, PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import { billing, BillingRejected, type BillingOperation, type BillingResult, type BillingSystem, type NumberState } from '../billing';
import { asJobDb, RequestDb } from '../core/db';
import { type EventPublisher } from '../core/events';
import type { Logger } from '../core/logger';
import type { SmsSender } from '../delivery';
import { operationDefinition } from './operation.catalogue';
import { OPERATION_EFFECT_QUEUE, OPERATION_QUEUE, type OperationEffectJob, type OperationJob } from './operation.queue';

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
 * Records the outcomes of a transaction's operations, set-based: on the operations, their history entries and their
 * fleet items; then per operation the held number's state and, outside fleet operations, the events.
 */
async function record(deps: WorkerDeps, db: RequestDb, done: readonly { op: LockedOperation; result: BillingResult }[]): Promise<void> {
  const status = (r: BillingResult) => (r.ok ? 'SUCCESS' : 'FAILURE');
  const reason = (r: BillingResult) => (r.ok ? null : r.reason);
  await db.query(
    `UPDATE cabinet.operations o SET status = t.status::cabinet.action_status, failure_reason = t.reason, finished_at = now()
     FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, status, reason) WHERE o.id = t.id`,
    [done.map((d) => d.op.id), done.map((d) => status(d.result)), done.map((d) => reason(d.result))],
  );
  const logged = done.filter((d) => d.op.actionLogId);
  if (logged.length > 0) {
    await db.query(
      `UPDATE cabinet.action_log l SET status = t.status::cabinet.action_status,
         details = CASE WHEN t.reason IS NULL THEN l.details ELSE l.details || jsonb_build_object('error', t.reason) END
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, status, reason) WHERE l.id = t.id`,
      [logged.map((d) => d.op.actionLogId), logged.map((d) => status(d.result)), logged.map((d) => reason(d.result))],
    );
  }
  const items = done.filter((d) => d.op.bulkOperationId);
  if (items.length > 0) {
    // An item of a fleet operation finishes with its operation; its progress is published for the whole job, coalesced.
    await db.query(
      `UPDATE cabinet.bulk_items i SET status = t.status::cabinet.bulk_item_status, reason = t.reason, finished_at = now()
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, status, reason) WHERE i.operation_id = t.id`,
      [items.map((d) => d.op.id), items.map((d) => status(d.result)), items.map((d) => reason(d.result))],
    );
  }
  for (const { op, result } of done) {
    const held = operationDefinition(op.kind).holdsNumber;
    const nextState = held ? (result.ok ? held.after : op.previousState) : undefined;
    if (nextState) await billing.releaseNumber(db, op.numberId, nextState, result.ok);
    if (op.bulkOperationId) continue;
    await deps.events.publish(db, { topic: 'OPERATION_CHANGED', companyId: op.companyId, payload: { operationId: op.id, numberId: op.numberId } });
    if (held || result.ok) {
      await deps.events.publish(db, { topic: 'NUMBER_CHANGED', companyId: op.companyId, payload: { numberId: op.numberId, state: nextState ?? null } });
    }
  }
}

/**
 * Applies the locked operations one after the other. A refusal found half-way (`BillingRejected`) must undo that
 * operation's changes and no other's: the batch runs under one savepoint, and when a refusal comes it is rolled back
 * whole and applied again with a savepoint per operation. `apply` works only through `db`, so what was rolled back
 * never happened; refusals are rare, and the batch is two statements more than its operations, not two per operation.
 */
async function applyAll(deps: WorkerDeps, db: RequestDb, ops: readonly LockedOperation[]): Promise<{ op: LockedOperation; result: BillingResult }[]> {
  const live = ops.filter((op) => op.status === 'IN_PROCESS');
  await db.query(`SAVEPOINT operations`);
  try {
    const done: { op: LockedOperation; result: BillingResult }[] = [];
    for (const op of live) done.push({ op, result: await deps.billing.apply(db, op, live) });
    await db.query(`RELEASE SAVEPOINT operations`);
    return done;
  } catch (error) {
    if (!(error instanceof BillingRejected)) throw error;
    await db.query(`ROLLBACK TO SAVEPOINT operations`);
  }
  const done: { op: LockedOperation; result: BillingResult }[] = [];
  for (const op of live) {
    let result: BillingResult;
    await db.query(`SAVEPOINT operation`);
    try {
      result = await deps.billing.apply(db, op, live);
      await db.query(`RELEASE SAVEPOINT operation`);
    } catch (error) {
      if (!(error instanceof BillingRejected)) throw error;
      await db.query(`ROLLBACK TO SAVEPOINT operation`);
      result = { ok: false, reason: error.reason };
    }
    done.push({ op, result });
  }
  return done;
}

/**
 * Finishes operations: waits for the billing system, then in ONE transaction applies each (a refusal found
 * half-way rolls back only that one, see `applyAll`), records the outcome on the operation and in the
 * actions log, sets the number's state, publishes the events and writes the jobs of the effects (an SMS). An operation
 * that is no longer In process is left alone, so a retried job changes nothing twice. An item of a fleet operation
 * (`bulk_operation_id`) is finished in the same transaction and publishes no per-number events: the fleet operation's
 * progress stands for them. Several operations in one transaction share its commit: a fleet operation's items are
 * finished a batch at a time.
 */
export async function processOperations(deps: WorkerDeps, operationIds: readonly string[]): Promise<number> {
  const peek: (BillingOperation & { status: string })[] = await deps.dataSource.query(
    `SELECT id::text, status, kind, number_id AS "numberId", params FROM cabinet.operations WHERE id = ANY($1::bigint[])`,
    [operationIds],
  );
  const live = peek.filter((op) => op.status === 'IN_PROCESS');
  if (live.length === 0) return 0;
  const session = new RequestDb(deps.dataSource);
  await Promise.all(live.map(({ status: _status, ...op }) => deps.billing.processingDelay(session, op)));

  const finished = await deps.dataSource.transaction(async (manager) => {
    const db = new RequestDb(manager.queryRunner!);
    // In id order: two batches sharing operations never wait for each other in a cycle.
    const ops = await db.query<LockedOperation>(
      `SELECT o.id::text, o.company_id AS "companyId", o.number_id AS "numberId", o.kind, o.params, o.status,
         o.previous_state AS "previousState", o.action_log_id::text AS "actionLogId", o.bulk_operation_id::text AS "bulkOperationId"
       FROM cabinet.operations o WHERE o.id = ANY($1::bigint[]) AND o.status = 'IN_PROCESS' ORDER BY o.id FOR UPDATE OF o`,
      [live.map((op) => op.id)],
    );
    const done = await applyAll(deps, db, ops);
    if (done.length > 0) {
      await record(deps, db, done);
      await enqueueEffects(deps, db, done);
    }
    return done;
  });

  for (const { op, result } of finished) {
    if (!op.bulkOperationId) deps.log.info({ operationId: op.id, kind: op.kind, ok: result.ok }, 'operation finished');
  }
  return finished.length;
}

/** Writes, in the recording transaction, one effect job per succeeded operation whose kind has an effect (one statement). */
async function enqueueEffects(deps: WorkerDeps, db: RequestDb, done: readonly { op: LockedOperation; result: BillingResult }[]): Promise<void> {
  const effects = done.filter(({ op, result }) => result.ok && operationDefinition(op.kind).succeeded);
  if (effects.length === 0) return;
  const jobs = effects.map(({ op }): { data: OperationEffectJob } => ({ data: { operationId: op.id } }));
  await deps.boss.insert(OPERATION_EFFECT_QUEUE, jobs, { db: asJobDb(db) });
}

/**
 * Makes succeeded operations' effects happen (see `OPERATION_EFFECT_QUEUE`): the operations and their numbers are read
 * in one statement each, then the effects go out one after the other. Resolves, in the order of `operationIds`, with
 * each one's error, or null when it went out or had nothing to do. A job retried after its SMS went out but before it
 * was marked done sends it again: an SMSC takes no idempotency key, and a code sent twice beats one never sent.
 */
export async function processOperationEffects(deps: WorkerDeps, operationIds: readonly string[]): Promise<(Error | null)[]> {
  const db = new RequestDb(deps.dataSource);
  const ops = await db.query<BillingOperation>(
    `SELECT id::text, kind, number_id AS "numberId", params FROM cabinet.operations WHERE id = ANY($1::bigint[]) AND status = 'SUCCESS'`,
    [[...new Set(operationIds)]],
  );
  const byId = new Map(ops.map((op) => [op.id, op]));
  const numberIds = [...new Set(ops.map((op) => op.numberId))];
  const numbers = new Map((await billing.numbers(db, numberIds)).map((number, i) => [numberIds[i], number]));
  const errors: (Error | null)[] = [];
  for (const id of operationIds) {
    const op = byId.get(id);
    const succeeded = op && operationDefinition(op.kind).succeeded;
    const number = op && numbers.get(op.numberId);
    try {
      if (succeeded && number) await succeeded(deps, { msisdn: number.msisdn, params: op.params });
      errors.push(null);
    } catch (error) {
      errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return errors;
}

/** Finishes one operation (see `processOperations`). */
export async function processOperation(deps: WorkerDeps, operationId: string): Promise<'done' | 'skipped'> {
  return (await processOperations(deps, [operationId])) > 0 ? 'done' : 'skipped';
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
  // Each job of a batch with its own outcome: a failed one is retried alone, never with the ones of its batch that
  // went out. Full batches are fetched back to back (a fleet's 100,000 secret codes).
  await deps.boss.work<OperationEffectJob>(
    OPERATION_EFFECT_QUEUE,
    { batchSize, localConcurrency: concurrency, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true, perJobResults: true },
    async (jobs): Promise<JobResult[]> => {
      const errors = await processOperationEffects(
        deps,
        jobs.map((job) => job.data.operationId),
      );
      return jobs.map((job, i) => {
        const error = errors[i];
        if (error === null) return { id: job.id, status: 'completed' };
        deps.log.warn({ err: error, operationId: job.data.operationId }, 'operation effect failed, to be retried');
        return { id: job.id, status: 'failed', output: { message: error.message } };
      });
    },
  );
}
