import type { RequestDb } from '../graphql/context';
import type { OperationKind } from '../operations/operation.entity';
import type { BillingFailureCode } from './billing.failures';

export interface BillingOperation {
  id: string;
  numberId: number;
  kind: OperationKind;
  params: Record<string, string | boolean>;
}

export type BillingResult = { ok: true } | { ok: false; reason: BillingFailureCode };

/**
 * The operator's billing system as the gateway sees it. `apply` carries out one operation through `db`,
 * inside the transaction that also records its outcome, so an operation is applied exactly once.
 * A real operator implements this against its own system; nothing else changes.
 */
export interface BillingSystem {
  /** How long the billing system takes, awaited before `apply` (the real system: 1–2 minutes). */
  processingDelay(operation: BillingOperation): Promise<void>;
  apply(db: RequestDb, operation: BillingOperation): Promise<BillingResult>;
}

/** A refusal found half-way through applying: thrown so that the partial changes are rolled back. */
export class BillingRejected extends Error {
  constructor(readonly reason: BillingFailureCode) {
    super(reason);
    this.name = 'BillingRejected';
  }
}
