import { createHmac, type Hmac } from 'node:crypto';
import type { RequestDb } from '../core/db';
import { serverSecret } from '../core/token';
import type { OperationKind } from '../operations';
import type { Assessment } from './bulk.assess';

const SECRET = 'bulk-plans';

/**
 * The dry run's token: an HMAC over the company, kind, input, start time and, in order, every number with its item's
 * input and outcome. Confirming with it starts exactly the plan that was shown; any change in between (a number
 * blocked meanwhile, a service connected) gives another token, and the start is refused with DRY_RUN_OUTDATED.
 * The numbers are added as the selection is walked, a chunk at a time; `digest` gives the token once all are in.
 */
export interface PlanToken {
  add(assessments: readonly Assessment[]): void;
  digest(): string;
}

export async function planToken(
  db: Pick<RequestDb, 'query'>,
  plan: { companyId: number; kind: OperationKind; input: Record<string, unknown>; startAt: Date | null },
): Promise<PlanToken> {
  const mac: Hmac = createHmac('sha256', await serverSecret(db, SECRET));
  mac.update(JSON.stringify([plan.companyId, plan.kind, plan.input, plan.startAt?.toISOString() ?? null]));
  return {
    add(assessments) {
      for (const a of assessments) mac.update(`\n${a.selected.number.id}|${a.selected.input?.iccid ?? ''}|${a.outcome}|${a.code ?? ''}`);
    },
    digest: () => mac.digest('base64url'),
  };
}
