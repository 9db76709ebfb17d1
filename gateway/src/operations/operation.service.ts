import { isGranted, requireOperate, requirePrincipal } from '../core/access';
import { billing } from '../billing';
import type { Context } from '../core/context';
import { isUniqueViolation, type RequestDb } from '../core/db';
import { rowLoader } from '../core/loaders';
import { ConflictError, DomainError, ErrorCode, NotFoundError } from '../core/errors';
import { checkPageSize, decodeNewestFirst, newestFirstPage, type Page } from '../core/paging';
import type { OperationKind, OperationStatus } from './operation.entity';
import { approvalPolicy } from '../companies';
import { checkState, operationDefinition, type NumberFacts, type OperationParams, type OperationRequest } from './operation.catalogue';
import { parseIdempotencyKey } from './operation.rules';

export type { OperationRequest } from './operation.catalogue';

export interface OperationRow extends Record<string, unknown> {
  id: string;
  companyId: number;
  numberId: number;
  kind: OperationKind;
  status: OperationStatus;
  params: OperationParams;
  failureReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  actorName: string;
  actorPhone: string | null;
}

const OPERATION = `SELECT o.id::text, o.company_id AS "companyId", o.number_id AS "numberId", o.kind, o.status, o.params,
  o.failure_reason AS "failureReason", o.created_at AS "createdAt", o.finished_at AS "finishedAt",
  coalesce(l.actor_name, '') AS "actorName", l.actor_phone AS "actorPhone"
  FROM cabinet.operations o LEFT JOIN cabinet.action_log l ON l.id = o.action_log_id`;

const operationById = (db: RequestDb) => rowLoader<string, OperationRow>(db, `${OPERATION} WHERE o.id = ANY($1::bigint[])`, 'id');

async function numberFacts(ctx: Context, numberId: number): Promise<NumberFacts> {
  requirePrincipal(ctx);
  const [number] = await billing.numbers(ctx.db, [numberId]);
  if (!number || !isGranted(ctx, number.companyId)) throw new NotFoundError('Number');
  requireOperate(ctx, number.companyId, 'Number');
  return number;
}

/** Checks the request against the number's state and, through its kind's definition, the billing data; returns the parameters to store. */
async function prepare(ctx: Context, number: NumberFacts, request: OperationRequest): Promise<OperationParams> {
  checkState(request.kind, number.state);
  const { kind, ...input } = request;
  return operationDefinition(kind).prepare(ctx, number, input as never);
}

export const operationService = {
  /**
   * Accepts an operation: in one transaction the operation (In process), its actions-log entry and the job for
   * the billing system are written, and block/unblock put the number In process. Returns at once.
   */
  async submit(ctx: Context, numberId: number, request: OperationRequest, idempotencyKeyInput?: string | null): Promise<OperationRow> {
    const idempotencyKey = parseIdempotencyKey(idempotencyKeyInput);
    const number = await numberFacts(ctx, numberId);
    if (idempotencyKey) {
      const repeated = await this.byIdempotencyKey(ctx, number.companyId, idempotencyKey);
      if (repeated) return this.sameRequest(repeated, number.id, request.kind);
    }
    if (request.kind === 'REPLACE_SIM' && (await approvalPolicy(ctx.db, number.companyId)).simReplacement) {
      throw new DomainError(
        ErrorCode.APPROVAL_REQUIRED,
        'The company requires a second administrator’s approval of SIM replacements: ask for it with bulkOperation',
      );
    }
    const params = await prepare(ctx, number, request);
    const definition = operationDefinition(request.kind);
    const principal = ctx.principal;
    let operationId: string;
    try {
      operationId = await ctx.transaction(async () => {
        const [log] = await ctx.db.query<{ id: string }>(
          `INSERT INTO cabinet.action_log (company_id, number_id, action, details, status, actor_name, actor_phone, client_address,
             administrator_id, api_key_id)
           VALUES ($1, $2, $3, $4, 'IN_PROCESS', $5, $6, $7, $8, $9) RETURNING id::text`,
          [
            number.companyId,
            number.id,
            request.kind,
            JSON.stringify(params),
            principal.kind === 'administrator' ? principal.name : principal.kind === 'apiKey' ? `API key “${principal.name}”` : '—',
            principal.kind === 'administrator' ? principal.phone : null,
            ctx.http.clientAddress,
            principal.kind === 'administrator' ? principal.administratorId : null,
            principal.kind === 'apiKey' ? principal.apiKeyId : null,
          ],
        );
        const [operation] = await ctx.db.query<{ id: string }>(
          `INSERT INTO cabinet.operations (company_id, number_id, kind, params, idempotency_key, previous_state, action_log_id,
             administrator_id, api_key_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text`,
          [
            number.companyId,
            number.id,
            request.kind,
            JSON.stringify(params),
            idempotencyKey,
            number.state,
            log.id,
            principal.kind === 'administrator' ? principal.administratorId : null,
            principal.kind === 'apiKey' ? principal.apiKeyId : null,
          ],
        );
        if (definition.holdsNumber) {
          const held = await billing.holdNumber(ctx.db, number.id, number.state);
          if (!held) throw new DomainError(ErrorCode.OPERATION_IN_PROGRESS, 'The number changed meanwhile; refresh and try again');
        }
        await ctx.ports.operations.enqueue(ctx.db, operation.id);
        await ctx.ports.events?.publish(ctx.db, {
          topic: 'OPERATION_CHANGED',
          companyId: number.companyId,
          payload: { operationId: operation.id, numberId: number.id },
        });
        if (definition.holdsNumber) {
          await ctx.ports.events?.publish(ctx.db, {
            topic: 'NUMBER_CHANGED',
            companyId: number.companyId,
            payload: { numberId: number.id, state: 'IN_PROCESS' },
          });
        }
        return operation.id;
      });
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error, 'operations_idempotency_idx')) {
        return this.sameRequest((await this.byIdempotencyKey(ctx, number.companyId, idempotencyKey))!, number.id, request.kind);
      }
      if (isUniqueViolation(error, 'operations_one_in_process_idx')) {
        throw new DomainError(ErrorCode.OPERATION_IN_PROGRESS, 'The same operation is already being carried out on this number');
      }
      throw error;
    }
    await definition.accepted?.(ctx, number);
    return (await this.byId(ctx, operationId))!;
  },

  sameRequest(existing: OperationRow, numberId: number, kind: OperationKind): OperationRow {
    if (existing.numberId !== numberId || existing.kind !== kind) {
      throw new ConflictError('This idempotency key was used for another operation');
    }
    return existing;
  },

  /** Through a loader: the subscribers of one event share it, so an accepted or finished operation is read once per process. */
  async byId(ctx: Context, id: string): Promise<OperationRow | null> {
    return ctx.loader(operationById).load(id);
  },

  async byIdempotencyKey(ctx: Context, companyId: number, key: string): Promise<OperationRow | null> {
    const [row] = await ctx.db.query<OperationRow>(`${OPERATION} WHERE o.company_id = $1 AND o.idempotency_key = $2`, [companyId, key]);
    return row ?? null;
  },

  /** Recent operations of a company or of one of its numbers, newest first: what a reconnecting client refetches. */
  async list(
    ctx: Context,
    companyId: number,
    filter: { numberId?: number | null; status?: OperationStatus | null },
    first?: number,
    after?: string | null,
  ): Promise<Page<OperationRow>> {
    requirePrincipal(ctx);
    if (!isGranted(ctx, companyId)) throw new NotFoundError('Company');
    const size = checkPageSize(first);
    const cursor = decodeNewestFirst(after);
    const rows = await ctx.db.query<OperationRow>(
      `${OPERATION} WHERE o.company_id = $1 AND ($2::int IS NULL OR o.number_id = $2) AND ($3::cabinet.action_status IS NULL OR o.status = $3)
         AND ($5::timestamptz IS NULL OR (o.created_at, o.id) < ($5::timestamptz, $6::bigint))
       ORDER BY o.created_at DESC, o.id DESC LIMIT $4`,
      [companyId, filter.numberId ?? null, filter.status ?? null, size + 1, cursor?.[0] ?? null, cursor?.[1] ?? null],
    );
    return newestFirstPage(rows, size, cursor, (row) => row);
  },
};
