import type { RequestDb } from '../core/db';
import type { OperationKind } from '../operations';

/** What a company's administrators require a second administrator's approval for. */
export interface ApprovalPolicy {
  /** Every SIM replacement, single or fleet. */
  simReplacement: boolean;
  /** Fleet operations changing more numbers than this; null: none. */
  bulkThreshold: number | null;
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = Object.freeze({ simReplacement: false, bulkThreshold: null });

/** The company's policy (`cabinet.company_policies`), the defaults when it has set none. */
export async function approvalPolicy(db: Pick<RequestDb, 'query'>, companyId: number): Promise<ApprovalPolicy> {
  const [row] = await db.query<ApprovalPolicy>(
    `SELECT sim_replacement_approval AS "simReplacement", bulk_approval_threshold AS "bulkThreshold" FROM cabinet.company_policies WHERE company_id = $1`,
    [companyId],
  );
  return row ?? DEFAULT_APPROVAL_POLICY;
}

/** Whether an operation of `kind` changing `changes` numbers waits for a second administrator under `policy`. */
export function needsApproval(policy: ApprovalPolicy, kind: OperationKind, changes: number): boolean {
  return (kind === 'REPLACE_SIM' && policy.simReplacement) || (policy.bulkThreshold !== null && changes > policy.bulkThreshold);
}
