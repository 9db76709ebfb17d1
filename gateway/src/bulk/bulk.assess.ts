import { billing } from '../billing';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import { DomainError, ErrorCode } from '../core/errors';
import { checkState, operationDefinition, type OperationKind, type OperationParams } from '../operations';
import type { SelectedNumber } from './bulk.selection';

export type BulkOutcome = 'CHANGE' | 'ALREADY' | 'CANNOT';

/** What the kind's rules say of one number of the selection. */
export interface Assessment {
  selected: SelectedNumber;
  outcome: BulkOutcome;
  /** The refusal's code; null for CHANGE. */
  code: string | null;
  /** The parameters to store on its operation (CHANGE only). */
  params: OperationParams | null;
}

/** How many prepares run side by side: each kind of read they make is one statement per chunk. */
const CHUNK = 1000;

/** Kinds that must not run on one number at the same time as `kind`: itself, and block with unblock. */
export function conflictingKinds(kind: OperationKind): OperationKind[] {
  return kind === 'BLOCK_NUMBER' || kind === 'UNBLOCK_NUMBER' ? ['BLOCK_NUMBER', 'UNBLOCK_NUMBER'] : [kind];
}

/**
 * Numbers of `numberIds` with an open item of another open fleet operation of a conflicting kind, or an operation of
 * such a kind in process (a single one, or another fleet operation's).
 */
async function busyNumbers(db: RequestDb, kind: OperationKind, numberIds: number[], ownBulkId: string | null): Promise<Set<number>> {
  const rows = await db.query<{ numberId: number }>(
    `SELECT i.number_id AS "numberId" FROM cabinet.bulk_items i JOIN cabinet.bulk_operations b ON b.id = i.bulk_operation_id
     WHERE i.number_id = ANY($1::int[]) AND i.status IN ('PENDING', 'IN_PROCESS') AND b.kind = ANY($2::cabinet.operation_kind[])
       AND b.status IN ('RUNNING', 'PAUSED', 'SCHEDULED', 'AWAITING_APPROVAL') AND ($3::bigint IS NULL OR b.id <> $3::bigint)
     UNION
     SELECT o.number_id FROM cabinet.operations o
     WHERE o.number_id = ANY($1::int[]) AND o.status = 'IN_PROCESS' AND o.kind = ANY($2::cabinet.operation_kind[])
       AND ($3::bigint IS NULL OR o.bulk_operation_id IS DISTINCT FROM $3::bigint)`,
    // The IDs as one array literal: the driver would quote and escape them one by one.
    [`{${numberIds.join(',')}}`, conflictingKinds(kind), ownBulkId],
  );
  return new Set(rows.map((row) => row.numberId));
}

async function assessOne(ctx: Context, kind: OperationKind, input: Record<string, unknown>, selected: SelectedNumber, busy: boolean): Promise<Assessment> {
  if (busy) return { selected, outcome: 'CANNOT', code: ErrorCode.OPERATION_IN_PROGRESS, params: null };
  try {
    checkState(kind, selected.number.state);
    const params = await operationDefinition(kind).prepare(ctx, selected.number, { ...input, ...selected.input } as never);
    return { selected, outcome: 'CHANGE', code: null, params };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { selected, outcome: error.code === ErrorCode.CONFLICT ? 'ALREADY' : 'CANNOT', code: error.code, params: null };
  }
}

/**
 * Decides each number by the catalogue's state rules and `prepare` (the very ones the single mutations apply):
 * CHANGE when they accept it, ALREADY when they refuse with CONFLICT (already in the target state), CANNOT with the
 * refusal's code otherwise, and CANNOT OPERATION_IN_PROGRESS for a number another job or operation is working on.
 * The prepares of a chunk run side by side and read through the context's loaders: one statement per chunk per
 * kind of read. `ownBulkId`: when re-checking a job's own items, its own items and operations are no conflict.
 */
export async function assess(
  ctx: Context,
  kind: OperationKind,
  input: Record<string, unknown>,
  numbers: readonly SelectedNumber[],
  ownBulkId: string | null = null,
): Promise<Assessment[]> {
  const out: Assessment[] = [];
  for (let i = 0; i < numbers.length; i += CHUNK) {
    const chunk = numbers.slice(i, i + CHUNK);
    // The chunk's reads are cached for the chunk only: 100,000 numbers' rows are never all held by the loaders.
    const scoped = (Object.create(ctx) as Context).shareLoaders(new Map());
    const busy = await busyNumbers(
      scoped.db,
      kind,
      chunk.map((selected) => selected.number.id),
      ownBulkId,
    );
    out.push(...(await Promise.all(chunk.map((selected) => assessOne(scoped, kind, input, selected, busy.has(selected.number.id))))));
  }
  return out;
}

/**
 * How the company's monthly fees change if every CHANGE succeeds, in tiyn: the service's fee per number for
 * CONNECT_SERVICE (less for DISCONNECT_SERVICE), the new plan's fee less the current one's for CHANGE_TARIFF;
 * null for the other kinds.
 */
export async function monthlyFeeChange(db: RequestDb, kind: OperationKind, assessments: readonly Assessment[]): Promise<bigint | null> {
  const changes = assessments.filter((a) => a.outcome === 'CHANGE');
  if (kind === 'CONNECT_SERVICE' || kind === 'DISCONNECT_SERVICE') {
    const codes = [...new Set(changes.map((a) => String(a.params!.service)))];
    const services = codes.length === 0 ? [] : await billing.servicesByCode(db, codes);
    const fee = new Map(services.filter((s) => s !== null).map((s) => [s!.code, BigInt(s!.monthlyFee)]));
    const sum = changes.reduce((total, a) => total + (fee.get(String(a.params!.service)) ?? 0n), 0n);
    return kind === 'CONNECT_SERVICE' ? sum : -sum;
  }
  if (kind === 'CHANGE_TARIFF') {
    const ids = [...new Set([...changes.map((a) => a.selected.number.tariffId), ...changes.map((a) => Number(a.params!.tariffId))])];
    const tariffs = ids.length === 0 ? [] : await billing.tariffs(db, ids);
    const fee = new Map(tariffs.filter((t) => t !== null).map((t) => [t!.id, BigInt(t!.monthlyFee)]));
    return changes.reduce((total, a) => total + (fee.get(Number(a.params!.tariffId)) ?? 0n) - (fee.get(a.selected.number.tariffId) ?? 0n), 0n);
  }
  return null;
}
