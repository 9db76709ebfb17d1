import { Field, Int, ObjectType } from 'type-graphql';
import { requireAdministrator, requireOperate } from '../core/access';
import { recordAction } from '../core/action-recorder';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import { BadUserInputError } from '../core/errors';
import { policies } from './company.repository';

/** What a company's administrators require a second administrator's approval for. */
@ObjectType('ApprovalPolicy', {
  description: 'What the company requires a second administrator’s approval for (four eyes). Partner keys obey it too.',
})
export class ApprovalPolicy {
  @Field({ description: 'Every SIM replacement, single or in bulk.' }) simReplacement: boolean;
  @Field(() => Int, { nullable: true, description: 'Bulk operations changing more numbers than this; null: none.' }) bulkThreshold: number | null;
}

/** A company that set nothing requires no approvals. */
export const NO_APPROVALS: Readonly<ApprovalPolicy> = Object.freeze({ simReplacement: false, bulkThreshold: null });

export async function approvalPolicy(db: Pick<RequestDb, 'query'>, companyId: number): Promise<ApprovalPolicy> {
  return (await policies.read(db, companyId)) ?? { ...NO_APPROVALS };
}

/** Whether an operation of `kind` that will change `changes` numbers waits for a second administrator under the policy. */
export function needsApproval(policy: ApprovalPolicy, kind: string, changes: number): boolean {
  if (kind === 'REPLACE_SIM' && policy.simReplacement) return true;
  return policy.bulkThreshold !== null && changes > policy.bulkThreshold;
}

/**
 * Sets the company's policy: an administrator's decision (a partner key cannot loosen it), written in the actions
 * history with what it was before.
 */
export async function setApprovalPolicy(ctx: Context, companyId: number, policy: ApprovalPolicy): Promise<ApprovalPolicy> {
  requireOperate(ctx, companyId);
  const administrator = requireAdministrator(ctx);
  if (policy.bulkThreshold !== null && !(Number.isInteger(policy.bulkThreshold) && policy.bulkThreshold >= 1)) {
    throw new BadUserInputError('bulkThreshold', 'The number of numbers above which approval is required is a whole number from 1');
  }
  return ctx.transaction(async () => {
    const before = await policies.read(ctx.db, companyId, { lock: true });
    const after = await policies.write(ctx.db, companyId, policy, administrator.administratorId);
    const was = before ?? NO_APPROVALS;
    await recordAction(ctx, {
      action: 'APPROVAL_POLICY_CHANGED',
      companyId,
      status: 'SUCCESS',
      details: {
        simReplacement: String(after.simReplacement),
        bulkThreshold: after.bulkThreshold === null ? '' : String(after.bulkThreshold),
        wasSimReplacement: String(was.simReplacement),
        wasBulkThreshold: was.bulkThreshold === null ? '' : String(was.bulkThreshold),
      },
    });
    return after;
  });
}
