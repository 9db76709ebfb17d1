import { setTimeout as sleep } from 'node:timers/promises';
import { billing } from '../billing';
import { RequestDb } from '../core/db';
import { operationDefinition, processOperations, type OperationKind, type OperationParams, type WorkerDeps } from '../operations';
import { assess } from './bulk.assess';
import { BULK_QUEUE, type BulkJob, type BulkQueue } from './bulk.queue';
import { beginBulkOperation, finishIfDone, positionSpan, PROGRESS_EVERY_MS, publishProgress, skipItems, workContext, type BulkStatus } from './bulk.service';
import type { SelectedNumber } from './bulk.selection';

export interface BulkWorkerDeps extends WorkerDeps {
  queue: BulkQueue;
  /** BILLING_MAX_RATE: items handed to the billing system per second, by every worker together. */
  maxRate: number;
  /** BILLING_CONCURRENCY: items in process at once, over every worker. */
  concurrency: number;
  /** A driver job hands its operation on to a fresh job after this long, so that pg-boss never expires a live one (default; a job's own expiry decides). */
  sliceMs: number;
}

/** The most items one claim hands over. */
const MAX_CLAIM = 500;
const IDLE_MS = 20;
/**
 * When the rate bounds the claims, a driver claims this often, each time the tokens that came meanwhile: at the
 * default 50 a second, five items a claim instead of a claim, its transaction and its batch for each item.
 */
const RATE_BOUND_CLAIM_MS = 100;
/** Items finished per transaction. */
const FINISH_BATCH = 100;

interface Claimed {
  status: BulkStatus | null;
  /** Operations written for the items handed over. */
  operationIds: string[];
  /** Whether PENDING items are left. */
  pending: boolean;
  /** The highest position this claim took (handed over or skipped): no PENDING item is left at or before it. */
  through: number;
  /** Whether the gate's tokens, rather than its concurrency or the claim's size, bounded what this claim took. */
  rateBound: boolean;
}

/**
 * Takes what the shared gate allows of an operation's PENDING items and hands them over, in ONE transaction under
 * the gate's row lock: the bucket is refilled at `maxRate` per second, at most `concurrency` items are in process
 * over every operation, each item is assessed again (what no longer applies is SKIPPED with its reason), and for the
 * rest the operations, their history entries, the held numbers (block, unblock) and the items' IN_PROCESS are written.
 */
export async function claimItems(deps: BulkWorkerDeps, bulkId: string, limit = MAX_CLAIM, after = 0): Promise<Claimed> {
  return deps.dataSource.transaction(async (manager) => {
    const db = new RequestDb(manager.queryRunner!);
    // FOR SHARE: a pause or cancel waits for this hand-over, and once it commits no item is handed over any more.
    const [bulk] = await db.query<{ status: BulkStatus; kind: OperationKind; input: Record<string, unknown>; companyId: number }>(
      `SELECT status, kind, input, company_id AS "companyId" FROM cabinet.bulk_operations WHERE id = $1 FOR SHARE`,
      [bulkId],
    );
    if (!bulk || bulk.status !== 'RUNNING') return { status: bulk?.status ?? null, operationIds: [], pending: false, through: after, rateBound: false };
    // The lock first: the next statements then see every hand-over committed before it (READ COMMITTED takes a
    // snapshot per statement, and one that waited for the lock would count with the snapshot from before the wait).
    await db.query(`SELECT 1 FROM cabinet.billing_gate WHERE id = 1 FOR UPDATE`);
    const [gate] = await db.query<{ tokens: number; inProcess: number }>(
      `UPDATE cabinet.billing_gate SET tokens = least($1::numeric, tokens + extract(epoch FROM clock_timestamp() - refilled_at) * $1::numeric),
         refilled_at = clock_timestamp()
       WHERE id = 1
       RETURNING tokens::float8 AS tokens, (SELECT count(*)::int FROM cabinet.bulk_items WHERE status = 'IN_PROCESS') AS "inProcess"`,
      [deps.maxRate],
    );
    const room = Math.min(deps.concurrency - gate.inProcess, limit);
    const allowed = Math.min(Math.floor(gate.tokens), room);
    const rateBound = Math.floor(gate.tokens) < room;
    if (allowed <= 0) {
      const [left] = await db.query<{ pending: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM cabinet.bulk_items WHERE bulk_operation_id = $1 AND status = 'PENDING' AND position > $2) AS pending`,
        [bulkId, after],
      );
      return { status: bulk.status, operationIds: [], pending: left.pending, through: after, rateBound };
    }
    // Items leave PENDING in position order and never come back: the scan starts past what this driver took
    // before, not over the index entries of every item handed over since the job began.
    const items = await db.query<{ position: number; input: { iccid: string } | null; numberId: number }>(
      `SELECT position, input, number_id AS "numberId" FROM cabinet.bulk_items
       WHERE bulk_operation_id = $1 AND status = 'PENDING' AND position > $3 ORDER BY position LIMIT $2`,
      [bulkId, allowed, after],
    );
    if (items.length === 0) return { status: bulk.status, operationIds: [], pending: false, through: after, rateBound: false };
    const numbers = await billing.numberFacts(
      db,
      items.map((item) => item.numberId),
    );
    const selected: SelectedNumber[] = items.map((item, i) => ({ number: numbers[i]!, input: item.input }));
    const assessed = await assess(workContext(db, deps.log), bulk.kind, bulk.input, selected, bulkId);
    const skipped = assessed.flatMap((a, i) => (a.outcome === 'CHANGE' ? [] : [{ position: items[i].position, code: a.code! }]));
    const changes = assessed.flatMap((a, i) => (a.outcome === 'CHANGE' ? [{ position: items[i].position, number: a.selected.number, params: a.params! }] : []));
    const written = changes.length === 0 ? [] : await handOver(db, bulkId, bulk.kind, changes);
    const taken = new Set(written.map((w) => w.position));
    skipped.push(...changes.filter((c) => !taken.has(c.position)).map((c) => ({ position: c.position, code: 'OPERATION_IN_PROGRESS' })));
    await skipItems(db, bulkId, skipped);
    await db.query(`UPDATE cabinet.billing_gate SET tokens = tokens - $1 WHERE id = 1`, [written.length]);
    return {
      status: bulk.status,
      operationIds: written.map((w) => w.operationId),
      pending: items.length === allowed,
      through: items[items.length - 1].position,
      rateBound,
    };
  });
}

/**
 * Writes the items' operations (with `bulk_operation_id`), one history entry per number linked to the fleet
 * operation, holds the numbers of block and unblock, and marks the items IN_PROCESS: set-based statements. A number
 * on which an operation of the kind is already in process (a single one accepted meanwhile) gets none.
 */
async function handOver(
  db: RequestDb,
  bulkId: string,
  kind: OperationKind,
  changes: { position: number; number: SelectedNumber['number']; params: OperationParams }[],
): Promise<{ position: number; operationId: string }[]> {
  // One statement: the operations, and their history entries under identifiers drawn for them as they are inserted
  // (the foreign key is checked at the statement's end, when both are there). The rows as JSON, typed by the
  // operations table itself (the number's state is the billing system's enum).
  const ops = await db.query<{ id: string; numberId: number }>(
    `WITH o AS (
       INSERT INTO cabinet.operations (company_id, number_id, kind, params, previous_state, administrator_id, api_key_id, bulk_operation_id,
         action_log_id)
       SELECT b.company_id, t.number_id, b.kind, t.params, t.previous_state, b.administrator_id, b.api_key_id, b.id,
         nextval('cabinet.action_log_id_seq')
       FROM jsonb_populate_recordset(NULL::cabinet.operations, $2::jsonb) AS t, cabinet.bulk_operations b WHERE b.id = $1
       ON CONFLICT (number_id, kind) WHERE status = 'IN_PROCESS' DO NOTHING
       RETURNING id, company_id, number_id, kind, params, action_log_id
     ),
     l AS (
       INSERT INTO cabinet.action_log (id, company_id, number_id, action, details, status, actor_name, actor_phone, administrator_id, api_key_id,
         bulk_operation_id)
       SELECT o.action_log_id, o.company_id, o.number_id, o.kind::text, o.params, 'IN_PROCESS', b.actor_name, b.actor_phone, b.administrator_id,
         b.api_key_id, b.id
       FROM o, cabinet.bulk_operations b WHERE b.id = $1
     )
     SELECT o.id::text, o.number_id AS "numberId" FROM o`,
    [bulkId, JSON.stringify(changes.map((c) => ({ number_id: c.number.id, params: c.params, previous_state: c.number.state })))],
  );
  if (ops.length === 0) return [];
  const byNumber = new Map(ops.map((op) => [op.numberId, op.id]));
  const handed = changes
    .filter((c) => byNumber.has(c.number.id))
    .map((c) => ({ position: c.position, operationId: byNumber.get(c.number.id)!, number: c.number }));
  if (operationDefinition(kind).holdsNumber) {
    for (const h of handed) {
      // The re-check saw the state a moment ago under this transaction; a change since then rolls the hand-over back.
      if (!(await billing.holdNumber(db, h.number.id, h.number.state))) throw new Error(`Number ${h.number.id} changed during the hand-over`);
    }
  }
  const positions = handed.map((h) => h.position);
  await db.query(
    `UPDATE cabinet.bulk_items i SET status = 'IN_PROCESS', operation_id = t.operation_id
     FROM unnest($2::int[], $3::bigint[]) AS t(position, operation_id)
     WHERE i.bulk_operation_id = $1 AND i.position BETWEEN $4 AND $5 AND i.position = t.position`,
    [bulkId, positions, handed.map((h) => h.operationId), ...positionSpan(positions)],
  );
  return handed;
}

/** Operations of the items left IN_PROCESS by a worker that died: any driver finishes them (processOperation is idempotent). */
async function strandedOperations(deps: BulkWorkerDeps, bulkId: string): Promise<string[]> {
  const rows = await deps.dataSource.query(
    `SELECT i.operation_id::text AS id FROM cabinet.bulk_items i JOIN cabinet.operations o ON o.id = i.operation_id
     WHERE i.bulk_operation_id = $1 AND i.status = 'IN_PROCESS' AND o.status = 'IN_PROCESS'`,
    [bulkId],
  );
  return rows.map((row: { id: string }) => row.id);
}

/**
 * Drives one fleet operation for a slice of time: finishes what a dead worker left in process, then claims items as
 * the gate allows and has the operations worker finish them (a batch per transaction), publishing progress (coalesced) as they finish. Paused
 * or cancelled: it stops handing over and lets what is in process finish. Done: the operation is ended. At the end
 * of its slice it sends a fresh driver job and returns.
 */
export async function driveBulkOperation(deps: BulkWorkerDeps, bulkId: string): Promise<void> {
  const db = new RequestDb(deps.dataSource);
  const [row] = await db.query<{ status: BulkStatus; companyId: number }>(
    `SELECT status, company_id AS "companyId" FROM cabinet.bulk_operations WHERE id = $1`,
    [bulkId],
  );
  if (!row) return;
  if (row.status === 'SCHEDULED') {
    const begun = await deps.dataSource.transaction((manager) =>
      beginBulkOperation(new RequestDb(manager.queryRunner!), bulkId, { log: deps.log, enqueue: false, dueOnly: true }),
    );
    if (!begun) return;
  }
  const bulk = { id: bulkId, companyId: row.companyId };
  const until = Date.now() + deps.sliceMs;
  const inFlight = new Set<Promise<unknown>>();
  // Items are finished a batch per transaction (one commit for many), a few batches side by side.
  const run = (operationIds: string[]) => {
    for (let i = 0; i < operationIds.length; i += FINISH_BATCH) {
      const batch = operationIds.slice(i, i + FINISH_BATCH);
      const done: Promise<unknown> = processOperations(deps, batch)
        .catch((error: unknown) => deps.log.error({ err: error, operationIds: batch, bulkId }, 'fleet operation items could not be finished now'))
        .finally(() => inFlight.delete(done));
      inFlight.add(done);
    }
  };
  run(await strandedOperations(deps, bulkId));

  let handOn = false;
  let through = 0;
  for (;;) {
    const claimed = await claimItems(deps, bulkId, MAX_CLAIM, through);
    through = claimed.through;
    run(claimed.operationIds);
    await publishProgress(db, bulk, false);
    if (claimed.status !== 'RUNNING' || (!claimed.pending && claimed.operationIds.length === 0)) break;
    if (Date.now() > until) {
      handOn = true;
      break;
    }
    if (claimed.rateBound) {
      // Tokens come at maxRate a second: let a tenth of a second's gather (one at least) rather than claim them one by one.
      await sleep(Math.max(RATE_BOUND_CLAIM_MS, 1000 / deps.maxRate));
    } else if (claimed.operationIds.length === 0) {
      // The gate is shut for now by its concurrency: wait for an item to finish.
      await Promise.race([sleep(IDLE_MS), ...inFlight]);
    }
  }
  // The last items finish with their progress published as they do (coalesced as above), not only at the end.
  while (inFlight.size > 0) {
    await Promise.race([sleep(PROGRESS_EVERY_MS), ...inFlight]);
    await publishProgress(db, bulk, false);
  }
  const ended = await finishIfDone(db, bulkId);
  if (ended) deps.log.info({ bulkId, status: ended }, 'fleet operation ended');
  else if (handOn) await deps.queue.enqueue(db, bulkId);
  else {
    // Items another driver still has in process: it ends the operation. A stranded item is finished by the next job.
    const stranded = await strandedOperations(deps, bulkId);
    if (stranded.length > 0) await deps.queue.enqueue(db, bulkId);
  }
  await publishProgress(db, bulk, false);
}

/** Works the fleet operations queue in this process until `boss.stop()`: a few operations side by side. */
export async function startBulkWorker(deps: BulkWorkerDeps, { concurrency = 4 } = {}): Promise<void> {
  await deps.boss.work<BulkJob>(BULK_QUEUE, { batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds: 0.5 }, async ([job]) => {
    try {
      // The slice follows the job's own expiry (the queue's, whoever created it).
      const sliceMs = job.expireInSeconds ? (job.expireInSeconds * 1000) / 3 : deps.sliceMs;
      await driveBulkOperation({ ...deps, sliceMs }, job.data.bulkOperationId);
    } catch (error) {
      // pg-boss retries the job; the log says why.
      deps.log.error({ err: error, bulkId: job.data.bulkOperationId }, 'a fleet operation driver failed');
      throw error;
    }
  });
}
