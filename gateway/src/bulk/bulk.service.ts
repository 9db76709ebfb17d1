import { billing } from '../billing';
import { actorOf } from '../core/action-recorder';
import { isGranted, requireOperate, requirePrincipal } from '../core/access';
import { Context, type HttpExchange } from '../core/context';
import { isUniqueViolation, type RequestDb } from '../core/db';
import { BadUserInputError, ConflictError, DomainError, ErrorCode, NotFoundError } from '../core/errors';
import { fromGlobalId } from '../core/ids';
import { publishEvent } from '../core/events';
import type { Logger } from '../core/logger';
import { groupLoader, rowLoader } from '../core/loaders';
import { checkPageSize, decodeAfter, decodeNewestFirst, encodeCursor, newestFirstPage, toPage, type Page } from '../core/paging';
import { approvalPolicy, needsApproval } from '../companies';
import { operationDefinition, parseIdempotencyKey, type OperationKind } from '../operations';
import { REQUESTER, requestApproval } from './bulk.approval.queue';
import { assess, monthlyFeeChange, type Assessment, type BulkOutcome } from './bulk.assess';
import { planToken } from './bulk.plan';
import { registeredBulkQueue } from './bulk.queue';
import { walkSelection, type LineError, type SelectionInput } from './bulk.selection';

export type BulkStatus = 'AWAITING_APPROVAL' | 'SCHEDULED' | 'RUNNING' | 'PAUSED' | 'FINISHED' | 'CANCELLED' | 'REJECTED' | 'EXPIRED';
export type BulkItemStatus = 'PENDING' | 'IN_PROCESS' | 'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'CANCELLED';
export const BULK_ITEM_STATUSES: BulkItemStatus[] = ['PENDING', 'IN_PROCESS', 'SUCCESS', 'FAILURE', 'SKIPPED', 'CANCELLED'];
/** The topic of a fleet operation's progress and status changes. */
export const BULK_OPERATION_CHANGED = 'BULK_OPERATION_CHANGED';
const SAMPLE = 10;
/** The history entry of a fleet operation (its numbers' entries are their operations' own). */
const HISTORY = { action: 'BULK_OPERATION' } as const;

/** A fleet operation as the caller asks for it, its GraphQL arguments read. */
export interface BulkRequest {
  companyId: number;
  kind: OperationKind;
  /** The kind's input (global IDs decoded), as its single mutation takes it. */
  input: Record<string, unknown>;
  selection: SelectionInput;
  startAt: Date | null;
}

export interface BulkOutcomeGroup {
  outcome: BulkOutcome;
  code: string | null;
  count: number;
  sample: string[];
}

export interface BulkPlan {
  token: string;
  total: number;
  changes: number;
  groups: BulkOutcomeGroup[];
  invalidLines: LineError[];
  invalidLineCount: number;
  monthlyFeeChange: bigint | null;
  approvalRequired: boolean;
}

export interface BulkRow extends Record<string, unknown> {
  id: string;
  companyId: number;
  kind: OperationKind;
  input: Record<string, unknown>;
  status: BulkStatus;
  total: number;
  startAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  actorName: string;
  actorPhone: string | null;
  administratorId: number | null;
  /** Who asked, as four eyes count: the administrator, or the one who created the key. */
  requesterId: number | null;
  approvalRequired: boolean;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedByPhone: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  actionLogId: string | null;
  idempotencyKey: string | null;
}

export interface BulkItemRow extends Record<string, unknown> {
  bulkOperationId: string;
  position: number;
  numberId: number;
  msisdn: string;
  status: BulkItemStatus;
  reason: string | null;
  operationId: string | null;
}

export type BulkCounts = Record<BulkItemStatus, number>;

const BULK = `SELECT b.id::text, b.company_id AS "companyId", b.kind, b.input, b.status, b.total, b.start_at AS "startAt",
  b.created_at AS "createdAt", b.started_at AS "startedAt", b.finished_at AS "finishedAt", b.actor_name AS "actorName",
  b.actor_phone AS "actorPhone", b.administrator_id AS "administratorId", b.approval_required AS "approvalRequired",
  b.decided_by AS "decidedBy", d.name AS "decidedByName", d.phone AS "decidedByPhone", b.decided_at AS "decidedAt",
  b.decision_comment AS "decisionComment", b.action_log_id::text AS "actionLogId", b.idempotency_key AS "idempotencyKey",
  ${REQUESTER} AS "requesterId"
  FROM cabinet.bulk_operations b LEFT JOIN cabinet.administrators d ON d.id = b.decided_by`;

const ITEM = `SELECT i.bulk_operation_id::text AS "bulkOperationId", i.position, i.number_id AS "numberId", i.msisdn, i.status, i.reason,
  i.operation_id::text AS "operationId" FROM cabinet.bulk_items i`;

const bulkById = (db: RequestDb) => rowLoader<string, BulkRow>(db, `${BULK} WHERE b.id = ANY($1::bigint[])`, 'id');

const countsById = (db: RequestDb) =>
  groupLoader<string, { id: string; status: BulkItemStatus; n: number }>(
    db,
    // Grouped by the columns themselves: grouping by the text of the ID cast every item's, three times the work.
    `SELECT bulk_operation_id::text AS id, status, count(*)::int AS n FROM cabinet.bulk_items WHERE bulk_operation_id = ANY($1::bigint[])
     GROUP BY bulk_operation_id, status`,
    'id',
  );

/** Items finished over the last 10 seconds, per second. */
const rateById = (db: RequestDb) =>
  rowLoader<string, { id: string; rate: number }>(
    db,
    `SELECT bulk_operation_id::text AS id, count(*)::float8 / 10 AS rate FROM cabinet.bulk_items
     WHERE bulk_operation_id = ANY($1::bigint[]) AND finished_at > now() - interval '10 seconds' AND status IN ('SUCCESS', 'FAILURE')
     GROUP BY bulk_operation_id`,
    'id',
  );

const NO_HTTP: HttpExchange = {
  clientAddress: '127.0.0.1',
  userAgent: undefined,
  secureCookies: true,
  cookie: () => undefined,
  header: () => undefined,
  setCookie: () => undefined,
  clearCookie: () => undefined,
};

/** A context for the rules outside any request (the worker's re-check): reads through `db`, loaders of its own. */
export function workContext(db: RequestDb, log: Logger): Context {
  const ctx = new Context(null as never, log, 'en', 'bulk-worker', NO_HTTP, {} as never);
  ctx.db = db;
  return ctx;
}

/** Reads the kind's input from the fleet mutation's arguments, as the kind's single mutation does; its required ones must be there. */
export function kindInput(kind: OperationKind, args: Record<string, unknown>): Record<string, unknown> {
  const definition = operationDefinition(kind);
  for (const [name, arg] of Object.entries(definition.mutation.args)) {
    if (name === 'iccid') continue; // a SIM replacement's card is per number: from the selection
    if (!arg.nullable && (args[name] === null || args[name] === undefined)) throw new BadUserInputError(name, `${name} is required for ${kind}`);
  }
  if (kind === 'REPLACE_SIM') return {};
  return definition.input(args) as Record<string, unknown>;
}

const MAX_SCHEDULE_MS = 366 * 24 * 3600 * 1000;

export function checkStartAt(startAt: Date | null | undefined, now = new Date()): Date | null {
  if (startAt === null || startAt === undefined) return null;
  if (startAt.getTime() < now.getTime()) throw new DomainError(ErrorCode.SCHEDULE_IN_PAST, 'startAt is in the past', { field: 'startAt' });
  if (startAt.getTime() > now.getTime() + MAX_SCHEDULE_MS) throw new BadUserInputError('startAt', 'startAt may be at most a year ahead');
  return startAt;
}

/** The outcome groups of a plan, counted as the selection's chunks are assessed; `sorted` gives them as the plan lists them. */
class Groups {
  private readonly groups = new Map<string, BulkOutcomeGroup>();

  add(assessments: readonly Assessment[]): void {
    for (const a of assessments) {
      const key = `${a.outcome}|${a.code ?? ''}`;
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = { outcome: a.outcome, code: a.code, count: 0, sample: [] }));
      group.count += 1;
      if (group.sample.length < SAMPLE) group.sample.push(a.selected.number.msisdn);
    }
  }

  sorted(): BulkOutcomeGroup[] {
    const order: Record<BulkOutcome, number> = { CHANGE: 0, ALREADY: 1, CANNOT: 2 };
    return [...this.groups.values()].sort((a, b) => order[a.outcome] - order[b.outcome] || b.count - a.count || String(a.code).localeCompare(String(b.code)));
  }
}

/**
 * The dry run of a request, a chunk of the selection at a time: each chunk is assessed, counted into the plan and
 * its token, handed to `each` with the position of its first number, and let go before the next is read. No chunk
 * outlives its turn, so 100,000 numbers' rows and assessments are never held at once. `ownBulkId`: the operation
 * whose items `each` writes (they are no conflict of its own numbers).
 */
async function walkPlan(
  ctx: Context,
  request: BulkRequest,
  each?: (assessments: Assessment[], firstPosition: number) => Promise<void>,
  ownBulkId: string | null = null,
): Promise<BulkPlan> {
  const token = await planToken(ctx.db, request);
  const groups = new Groups();
  let total = 0;
  let changes = 0;
  let feeChange: bigint | null = null;
  const walk = await walkSelection(ctx, request.companyId, request.kind, request.selection, async (numbers) => {
    const assessments = await assess(ctx, request.kind, request.input, numbers, ownBulkId);
    token.add(assessments);
    groups.add(assessments);
    for (const a of assessments) if (a.outcome === 'CHANGE') changes += 1;
    const fee = await monthlyFeeChange(ctx.db, request.kind, assessments);
    if (fee !== null) feeChange = (feeChange ?? 0n) + fee;
    await each?.(assessments, total + 1);
    total += assessments.length;
  });
  const policy = await approvalPolicy(ctx.db, request.companyId);
  return {
    token: token.digest(),
    total,
    changes,
    groups: groups.sorted(),
    invalidLines: walk.invalidLines,
    invalidLineCount: walk.invalidLineCount,
    monthlyFeeChange: feeChange ?? (await monthlyFeeChange(ctx.db, request.kind, [])),
    approvalRequired: needsApproval(policy, request.kind, changes),
  };
}

/** Progress of a fleet operation is published at most once per this many milliseconds (a status change always). */
export const PROGRESS_EVERY_MS = 300;

/** Publishes the operation's change: always when `force` (a status change), else at most once per PROGRESS_EVERY_MS whatever process asks. */
export async function publishProgress(db: Pick<RequestDb, 'query'>, bulk: { id: string; companyId: number }, force: boolean): Promise<void> {
  const claimed = await db.query(
    force
      ? `UPDATE cabinet.bulk_operations SET progress_published_at = now() WHERE id = $1 RETURNING id`
      : `UPDATE cabinet.bulk_operations SET progress_published_at = now() WHERE id = $1
           AND (progress_published_at IS NULL OR progress_published_at < now() - make_interval(secs => $2::float8 / 1000)) RETURNING id`,
    force ? [bulk.id] : [bulk.id, PROGRESS_EVERY_MS],
  );
  if (claimed.length > 0) await publishEvent(db, { topic: BULK_OPERATION_CHANGED, companyId: bulk.companyId, payload: { bulkOperationId: bulk.id } });
}

/** Settles the operation's history entry with its counts (when it ends). */
async function settleHistory(db: Pick<RequestDb, 'query'>, bulkId: string): Promise<void> {
  await db.query(
    `WITH c AS (
       SELECT count(*) FILTER (WHERE status = 'SUCCESS')::int AS success, count(*) FILTER (WHERE status = 'FAILURE')::int AS failure,
         count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped, count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled
       FROM cabinet.bulk_items WHERE bulk_operation_id = $1
     )
     UPDATE cabinet.action_log l SET
       status = (CASE WHEN c.failure > 0 AND c.success = 0 THEN 'FAILURE' ELSE 'SUCCESS' END)::cabinet.action_status,
       details = l.details || jsonb_build_object('counts', jsonb_build_object('success', c.success, 'failure', c.failure, 'skipped', c.skipped,
         'cancelled', c.cancelled))
     FROM c, cabinet.bulk_operations b WHERE b.id = $1 AND l.id = b.action_log_id`,
    [bulkId],
  );
}

/**
 * Ends the operation when nothing of it is pending or in process: FINISHED from RUNNING, CANCELLED from a cancel
 * (PAUSED or RUNNING with `cancelled`). One statement decides, so two drivers never both end it.
 */
export async function finishIfDone(db: Pick<RequestDb, 'query'>, bulkId: string): Promise<BulkStatus | null> {
  const [ended] = await db.query<{ status: BulkStatus; companyId: number }>(
    `UPDATE cabinet.bulk_operations b SET status = CASE WHEN b.status = 'RUNNING' THEN 'FINISHED' ELSE 'CANCELLED' END::cabinet.bulk_status,
       finished_at = now()
     WHERE b.id = $1 AND b.status IN ('RUNNING', 'CANCELLED') AND b.finished_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM cabinet.bulk_items i WHERE i.bulk_operation_id = b.id AND i.status IN ('PENDING', 'IN_PROCESS'))
     RETURNING b.status, b.company_id AS "companyId"`,
    [bulkId],
  );
  if (!ended) return null;
  await settleHistory(db, bulkId);
  await publishProgress(db, { id: bulkId, companyId: ended.companyId }, true);
  return ended.status;
}

/**
 * The lowest and highest of some items' positions. Statements on a few items of an operation bound the positions
 * with them as well as joining on them: a job's items written since the statistics were gathered are estimated at a
 * row or so, and without the bound the planner reads every item of the job to join the handful it is given.
 */
export function positionSpan(positions: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const position of positions) {
    if (position < low) low = position;
    if (position > high) high = position;
  }
  return [low, high];
}

/** Items no longer accepted by the rules become SKIPPED with the refusal's code; the rest stay as they are. */
export async function skipItems(db: Pick<RequestDb, 'query'>, bulkId: string, skipped: { position: number; code: string }[]): Promise<void> {
  if (skipped.length === 0) return;
  const positions = skipped.map((s) => s.position);
  await db.query(
    `UPDATE cabinet.bulk_items i SET status = 'SKIPPED', reason = s.code, finished_at = now()
     FROM unnest($2::int[], $3::text[]) AS s(position, code)
     WHERE i.bulk_operation_id = $1 AND i.position BETWEEN $4 AND $5 AND i.position = s.position AND i.status = 'PENDING'`,
    [bulkId, positions, skipped.map((s) => s.code), ...positionSpan(positions)],
  );
}

/**
 * Moves a SCHEDULED (or approved) operation to RUNNING: its PENDING items are assessed again (what no longer applies
 * becomes SKIPPED), the driver job is sent in the same transaction. False when the operation was not in such a state.
 */
export async function beginBulkOperation(
  db: RequestDb,
  bulkId: string,
  { log, enqueue = true, dueOnly = false }: { log?: Logger; enqueue?: boolean; dueOnly?: boolean } = {},
): Promise<boolean> {
  const [row] = await db.query<BulkRow>(`${BULK} WHERE b.id = $1`, [bulkId]);
  if (!row || (row.status !== 'SCHEDULED' && row.status !== 'AWAITING_APPROVAL')) return false;
  const moved = await db.query(
    `UPDATE cabinet.bulk_operations SET status = 'RUNNING', started_at = now()
     WHERE id = $1 AND status IN ('SCHEDULED', 'AWAITING_APPROVAL') AND (NOT $2 OR (status = 'SCHEDULED' AND start_at <= now())) RETURNING id`,
    [bulkId, dueOnly],
  );
  if (moved.length === 0) return false;
  await recheckPending(workContext(db, log ?? (silentLog as Logger)), row);
  if (enqueue) {
    const queue = registeredBulkQueue();
    if (!queue) throw new Error('The fleet operations queue is not started in this process');
    await queue.enqueue(db, bulkId);
  }
  await publishProgress(db, row, true);
  return true;
}

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => silentLog } as unknown;

/** Assesses every PENDING item again, a page of them at a time (keyset on position); SKIPPED for what no longer applies. */
async function recheckPending(ctx: Context, row: Pick<BulkRow, 'id' | 'kind' | 'input'>): Promise<void> {
  const PAGE = 10_000;
  for (let after = 0; ;) {
    const chunk = await ctx.db.query<{ position: number; input: { iccid: string } | null; numberId: number }>(
      `SELECT position, input, number_id AS "numberId" FROM cabinet.bulk_items
       WHERE bulk_operation_id = $1 AND status = 'PENDING' AND position > $2 ORDER BY position LIMIT $3`,
      [row.id, after, PAGE],
    );
    if (chunk.length === 0) return;
    const numbers = await billing.numberFacts(
      ctx.db,
      chunk.map((item) => item.numberId),
    );
    const selected = chunk.map((item, k) => ({ number: numbers[k]!, input: item.input }));
    const assessed = await assess(ctx, row.kind, row.input, selected, row.id);
    await skipItems(
      ctx.db,
      row.id,
      assessed.flatMap((a, k) => (a.outcome === 'CHANGE' ? [] : [{ position: chunk[k].position, code: a.code! }])),
    );
    if (chunk.length < PAGE) return;
    after = chunk[chunk.length - 1].position;
  }
}

export const bulkService = {
  /** The dry run: what the operation would do on each number of the selection. Writes nothing. */
  async plan(ctx: Context, request: BulkRequest): Promise<BulkPlan> {
    return walkPlan(ctx, request);
  },

  /**
   * The dry run, or (dryRun false, with the dry run's token) the start: in one transaction the operation, all its
   * items (CHANGE ones PENDING, the others SKIPPED with their reason), its history entry and its driver job. The
   * start repeats the dry run as it writes the items, a chunk of the selection at a time, and the token it comes to
   * at the end decides: another than the one given (the selection changed since the dry run) rolls it all back.
   */
  async submit(
    ctx: Context,
    request: BulkRequest,
    dryRun: boolean,
    token: string | null | undefined,
    idempotencyKeyInput: string | null | undefined,
  ): Promise<{ plan: BulkPlan; operation: BulkRow | null }> {
    requirePrincipal(ctx);
    if (!isGranted(ctx, request.companyId)) throw new NotFoundError('Company');
    if (!dryRun) requireOperate(ctx, request.companyId);
    const idempotencyKey = dryRun ? null : parseIdempotencyKey(idempotencyKeyInput);
    if (idempotencyKey) {
      const repeated = await this.byIdempotencyKey(ctx, request.companyId, idempotencyKey);
      if (repeated) return { plan: await this.plan(ctx, request), operation: this.sameRequest(repeated, request.kind) };
    }
    if (dryRun) return { plan: await this.plan(ctx, request), operation: null };
    if (!token) {
      // The selection's own refusals first, as for a start whose token no longer matches.
      await this.plan(ctx, request);
      throw outdated();
    }
    const actor = actorOf(ctx);
    let started: { id: string; plan: BulkPlan };
    try {
      started = await ctx.transaction(async () => {
        // The operation first, for its items to refer to; its count, status and token are set once the walk is done.
        const [created] = await ctx.db.query<{ id: string }>(
          `INSERT INTO cabinet.bulk_operations (company_id, kind, input, selection, status, total, plan_token, idempotency_key, start_at,
             administrator_id, api_key_id, actor_name, actor_phone)
           VALUES ($1, $2, $3, $4, 'RUNNING', 1, '', $5, $6, $7, $8, $9, $10) RETURNING id::text`,
          [
            request.companyId,
            request.kind,
            JSON.stringify(request.input),
            JSON.stringify(selectionSummary(request.selection)),
            idempotencyKey,
            request.startAt,
            actor.administratorId,
            actor.apiKeyId,
            actor.actorName,
            actor.actorPhone,
          ],
        );
        const plan = await walkPlan(ctx, request, (assessments, first) => insertItems(ctx.db, created.id, assessments, first), created.id);
        if (token !== plan.token) throw outdated();
        if (plan.total === 0) throw new DomainError(ErrorCode.BULK_SELECTION_INVALID, 'The selection holds no number of the company', { field: 'selection' });
        const status: BulkStatus = plan.approvalRequired ? 'AWAITING_APPROVAL' : request.startAt ? 'SCHEDULED' : 'RUNNING';
        await ctx.db.query(
          `UPDATE cabinet.bulk_operations SET status = $2::cabinet.bulk_status, total = $3, plan_token = $4, approval_required = $5,
             started_at = CASE WHEN $2::cabinet.bulk_status = 'RUNNING' THEN now() END
           WHERE id = $1`,
          [created.id, status, plan.total, plan.token, plan.approvalRequired],
        );
        const counts = { changes: plan.changes, skipped: plan.total - plan.changes };
        await ctx.db.query(
          `WITH l AS (
             INSERT INTO cabinet.action_log (company_id, action, details, status, actor_name, actor_phone, client_address, administrator_id,
               api_key_id, bulk_operation_id)
             VALUES ($1, $9, $2, 'IN_PROCESS', $3, $4, $5, $6, $7, $8) RETURNING id
           )
           UPDATE cabinet.bulk_operations SET action_log_id = l.id FROM l WHERE cabinet.bulk_operations.id = $8`,
          [
            request.companyId,
            JSON.stringify({ kind: request.kind, input: request.input, total: plan.total, counts }),
            actor.actorName,
            actor.actorPhone,
            actor.clientAddress,
            actor.administratorId,
            actor.apiKeyId,
            created.id,
            HISTORY.action,
          ],
        );
        if (status === 'AWAITING_APPROVAL') await requestApproval(ctx.db, ctx.ports.approvals, created.id, new Date());
        if (status === 'RUNNING' || status === 'SCHEDULED') await ctx.ports.bulk.enqueue(ctx.db, created.id, status === 'SCHEDULED' ? request.startAt : null);
        await publishProgress(ctx.db, { id: created.id, companyId: request.companyId }, true);
        return { id: created.id, plan };
      });
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error, 'bulk_operations_idempotency_idx')) {
        const existing = (await this.byIdempotencyKey(ctx, request.companyId, idempotencyKey))!;
        return { plan: await this.plan(ctx, request), operation: this.sameRequest(existing, request.kind) };
      }
      throw error;
    }
    return { plan: started.plan, operation: (await this.byId(ctx, started.id))! };
  },

  sameRequest(existing: BulkRow, kind: OperationKind): BulkRow {
    if (existing.kind !== kind) throw new ConflictError('This idempotency key was used for another operation');
    return existing;
  },

  async byIdempotencyKey(ctx: Context, companyId: number, key: string): Promise<BulkRow | null> {
    const [row] = await ctx.db.query<BulkRow>(`${BULK} WHERE b.company_id = $1 AND b.idempotency_key = $2`, [companyId, key]);
    return row ?? null;
  },

  /** The operation, when it is one of the caller's companies'; null otherwise (the same as one that does not exist). */
  async byId(ctx: Context, id: string): Promise<BulkRow | null> {
    requirePrincipal(ctx);
    const row = await ctx.loader(bulkById).load(id);
    return row && isGranted(ctx, row.companyId) ? row : null;
  },

  async get(ctx: Context, id: string): Promise<BulkRow> {
    const row = await this.byId(ctx, id);
    if (!row) throw new NotFoundError('BulkOperation');
    return row;
  },

  async counts(ctx: Context, id: string): Promise<BulkCounts> {
    const rows = await ctx.loader(countsById).load(id);
    const counts = Object.fromEntries(BULK_ITEM_STATUSES.map((status) => [status, 0])) as BulkCounts;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  },

  async rate(ctx: Context, id: string): Promise<number | null> {
    const row = await ctx.loader(rateById).load(id);
    return row?.rate ?? null;
  },

  /** A company's fleet operations, newest first; with `numberId`, those having an item on that number. */
  async list(
    ctx: Context,
    companyId: number,
    filter: { statuses?: BulkStatus[] | null; numberId?: number | null },
    first?: number,
    after?: string | null,
  ): Promise<Page<BulkRow>> {
    requirePrincipal(ctx);
    if (!isGranted(ctx, companyId)) throw new NotFoundError('Company');
    const size = checkPageSize(first);
    const cursor = decodeNewestFirst(after);
    const rows = await ctx.db.query<BulkRow>(
      `${BULK} WHERE b.company_id = $1 AND ($2::cabinet.bulk_status[] IS NULL OR b.status = ANY($2::cabinet.bulk_status[]))
         AND ($3::int IS NULL OR EXISTS (SELECT 1 FROM cabinet.bulk_items i WHERE i.bulk_operation_id = b.id AND i.number_id = $3))
         AND ($5::timestamptz IS NULL OR (b.created_at, b.id) < ($5::timestamptz, $6::bigint))
       ORDER BY b.created_at DESC, b.id DESC LIMIT $4`,
      [companyId, filter.statuses?.length ? filter.statuses : null, filter.numberId ?? null, size + 1, cursor?.[0] ?? null, cursor?.[1] ?? null],
    );
    return newestFirstPage(rows, size, cursor, (row) => row);
  },

  /** The operation's items in selection order (keyset on position), of one status or all. */
  async items(ctx: Context, bulkId: string, first?: number, after?: string | null, status?: BulkItemStatus | null): Promise<Page<BulkItemRow>> {
    const size = checkPageSize(first);
    const cursor = decodeAfter(after, ['bigint']) as [string] | null;
    const rows = await ctx.db.query<BulkItemRow>(
      `${ITEM} WHERE i.bulk_operation_id = $1 AND ($2::cabinet.bulk_item_status IS NULL OR i.status = $2) AND ($3::int IS NULL OR i.position > $3)
       ORDER BY i.position LIMIT $4`,
      [bulkId, status ?? null, cursor ? Number(cursor[0]) : null, size + 1],
    );
    return toPage(
      rows,
      size,
      cursor !== null,
      (row) => row,
      (row) => encodeCursor([String(row.position)]),
    );
  },

  /** RUNNING → PAUSED: no item is handed over any more; those in process finish. */
  async pause(ctx: Context, id: string): Promise<BulkRow> {
    return transition(ctx, id, ['RUNNING'], 'PAUSED', 'Only a running operation can be paused');
  },

  /** PAUSED → RUNNING, its driver sent again. */
  async resume(ctx: Context, id: string): Promise<BulkRow> {
    return transition(ctx, id, ['PAUSED'], 'RUNNING', 'Only a paused operation can be resumed', async (row) => ctx.ports.bulk.enqueue(ctx.db, row.id));
  },

  /**
   * Cancels a scheduled, awaiting, running or paused operation: its PENDING items become CANCELLED; those handed over
   * finish, and the operation is CANCELLED once none is in process.
   */
  async cancel(ctx: Context, id: string): Promise<BulkRow> {
    return transition(ctx, id, ['AWAITING_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED'], 'CANCELLED', 'The operation has already ended', async (row) => {
      await ctx.db.query(
        `UPDATE cabinet.bulk_items SET status = 'CANCELLED', reason = 'CANCELLED', finished_at = now() WHERE bulk_operation_id = $1 AND status = 'PENDING'`,
        [row.id],
      );
      await finishIfDone(ctx.db, row.id);
    });
  },
};

const outdated = () => new DomainError(ErrorCode.DRY_RUN_OUTDATED, 'The selection changed since the dry run (or no token was given): run the dry run again');

/**
 * A chunk of a start's items, numbered from `first`: the numbers that change PENDING, the others SKIPPED with their
 * reason. The rows go as one JSON text: the driver would build five array literals element by element instead.
 */
async function insertItems(db: RequestDb, bulkId: string, assessments: readonly Assessment[], first: number): Promise<void> {
  const rows = assessments.map((a, k) => ({
    p: first + k,
    n: a.selected.number.id,
    m: a.selected.number.msisdn,
    i: a.selected.input,
    s: a.outcome === 'CHANGE' ? 'PENDING' : 'SKIPPED',
    r: a.code,
  }));
  await db.query(
    `INSERT INTO cabinet.bulk_items (bulk_operation_id, position, number_id, msisdn, input, status, reason, finished_at)
     SELECT $1, t.p, t.n, t.m, t.i, t.s, t.r, CASE WHEN t.s = 'SKIPPED' THEN now() END
     FROM jsonb_to_recordset($2::jsonb) AS t(p int, n int, m text, i jsonb, s cabinet.bulk_item_status, r text)`,
    [bulkId, JSON.stringify(rows)],
  );
}

/** One atomic status change (UPDATE … WHERE status IN), with what goes with it in the same transaction. */
async function transition(
  ctx: Context,
  id: string,
  from: BulkStatus[],
  to: BulkStatus,
  refusal: string,
  then?: (row: BulkRow) => Promise<void>,
): Promise<BulkRow> {
  const row = await bulkService.get(ctx, id);
  requireOperate(ctx, row.companyId, 'BulkOperation');
  await ctx.transaction(async () => {
    const moved = await ctx.db.query(`UPDATE cabinet.bulk_operations SET status = $2 WHERE id = $1 AND status = ANY($3::cabinet.bulk_status[]) RETURNING id`, [
      id,
      to,
      from,
    ]);
    if (moved.length === 0) throw new ConflictError(refusal);
    await then?.(row);
    await publishProgress(ctx.db, row, true);
  });
  const [fresh] = await ctx.db.query<BulkRow>(`${BULK} WHERE b.id = $1`, [id]);
  return fresh;
}

function selectionSummary(selection: SelectionInput): Record<string, unknown> {
  if (selection.numberIds) return { numberIds: selection.numberIds.length };
  if (selection.matching) return { matching: selection.matching };
  // The upload's own ID, as the pruning of uploads looks for it among open operations.
  if (selection.uploadId) return { uploadId: String(fromGlobalId('BulkUpload', selection.uploadId, 'uploadId')) };
  return { simReplacements: selection.simReplacements?.length ?? 0 };
}
