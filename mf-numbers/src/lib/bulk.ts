import type { BulkOperationStatus, OperationKind } from '../graphql/generated/graphql';

/** How many items of a bulk operation are in each status (the API's BulkCounts). */
export interface BulkCounts {
  pending: number;
  inProcess: number;
  success: number;
  failure: number;
  skipped: number;
  cancelled: number;
}

/**
 * The operations a selection of numbers can be given at once, with what each needs besides the numbers. Devices
 * and the secret code are one person's business (an IMEI, a code sent to one phone) and stay single operations;
 * SIM replacement needs a card per number, so it comes only with an upload of MSISDN and ICCID columns.
 */
export const BULK_KINDS = [
  { kind: 'BLOCK_NUMBER', needs: null },
  { kind: 'UNBLOCK_NUMBER', needs: null },
  { kind: 'CONNECT_SERVICE', needs: 'service' },
  { kind: 'DISCONNECT_SERVICE', needs: 'service' },
  { kind: 'CHANGE_TARIFF', needs: 'tariff' },
  { kind: 'SET_SMS_USSD_BAN', needs: 'enabled' },
  { kind: 'SET_CALL_FORWARDING', needs: 'forwarding' },
  { kind: 'CANCEL_CALL_FORWARDING', needs: 'condition' },
] as const satisfies readonly { kind: OperationKind; needs: string | null }[];

export type BulkKind = (typeof BULK_KINDS)[number]['kind'] | 'REPLACE_SIM';
export type BulkNeed = (typeof BULK_KINDS)[number]['needs'];

export const needsOf = (kind: BulkKind): BulkNeed => BULK_KINDS.find((entry) => entry.kind === kind)?.needs ?? null;

/**
 * The bulk operations the picked numbers allow: each kind allowed on at least one of them (the dry run tells how
 * many of them it would change). With no rows known (all numbers matching a filter) every kind is offered.
 */
export function bulkKindsFor(allowed: readonly (readonly OperationKind[])[] | null): BulkKind[] {
  return BULK_KINDS.filter((entry) => allowed === null || allowed.some((kinds) => kinds.includes(entry.kind))).map((entry) => entry.kind);
}

/** Open statuses: the operation can still change (be started, paused, cancelled, approved). */
export const OPEN_STATUSES: readonly BulkOperationStatus[] = ['AWAITING_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED'];
export const FINISHED_STATUSES: readonly BulkOperationStatus[] = ['FINISHED', 'CANCELLED', 'REJECTED', 'EXPIRED'];

/** How many items are done (whatever their outcome), as a share of the total, 0 to 100. */
export function progressPercent(counts: BulkCounts, total: number): number {
  if (total <= 0) return 0;
  const done = counts.success + counts.failure + counts.skipped + counts.cancelled;
  return Math.min(100, Math.floor((done * 100) / total));
}

/** What the jobs page can do to an operation in its status (the API's transitions). */
export function controlsFor(status: BulkOperationStatus): { pause: boolean; resume: boolean; cancel: boolean; reschedule: boolean } {
  return {
    pause: status === 'RUNNING',
    resume: status === 'PAUSED',
    cancel: status === 'RUNNING' || status === 'PAUSED' || status === 'SCHEDULED',
    reschedule: status === 'SCHEDULED',
  };
}
