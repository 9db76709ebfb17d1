import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ActionStatus, ActorType } from '../common/actions';
import { Connection } from '../common/connection';
import { OPERATION_KINDS, type OperationKind } from '../operations';

export { ActionStatus, ActorType };

/**
 * The actions a company's history lists. Signing in and out, password recovery and changes to one's own
 * password, e-mail or sessions are recorded for the administrator, not for a company, and are not listed.
 */
const NON_OPERATION_ACTIONS = [
  'REVEAL_SIM_CODES',
  'VIEW_USAGE',
  'VIEW_PAYMENT_HISTORY',
  'VIEW_CREDIT_PAYMENTS',
  'DOWNLOAD_USAGE_PDF',
  'DOWNLOAD_USAGE_XLSX',
  'DOWNLOAD_PAYMENT_HISTORY_XLSX',
  'DOWNLOAD_CREDIT_PAYMENTS_XLSX',
  'DOWNLOAD_COMPLETED_WORKS_ACT',
  'DOWNLOAD_INVOICE_REGISTER',
  'REQUEST_NUMBERS_REPORT',
  'REQUEST_RECONCILIATION_ACT',
  'CREATE_API_KEY',
  'REVOKE_API_KEY',
  'SET_COMPANY_SHORT_NAME',
  'BULK_OPERATION',
  'BULK_RESCHEDULED',
  'BULK_APPROVED',
  'BULK_REJECTED',
  'BULK_APPROVAL_EXPIRED',
  'APPROVAL_POLICY_CHANGED',
] as const;
export type ActionCode = OperationKind | (typeof NON_OPERATION_ACTIONS)[number];
/** Every operation kind of the catalogue is an action, with the company's other recorded actions. */
export const ActionCode = Object.fromEntries([...OPERATION_KINDS, ...NON_OPERATION_ACTIONS].map((code) => [code, code])) as { [K in ActionCode]: K };
registerEnumType(ActionCode, { name: 'ActionCode', description: 'What an entry of a company’s actions history records.' });

export interface ActionLogRow extends Record<string, unknown> {
  id: string;
  companyId: number;
  numberId: number | null;
  action: ActionCode;
  details: Record<string, string>;
  status: ActionStatus;
  actorName: string;
  actorPhone: string | null;
  administratorId: number | null;
  createdAt: Date;
}

@ObjectType('ActionLog', { description: 'An entry of the actions history: what was done, by whom, when, and how it ended.' })
export class ActionLogType {
  @Field(() => ID, { description: 'Global ID of the entry.' }) id: string;
  @Field(() => ActionCode, { description: 'Stable code of the action, e.g. BLOCK_NUMBER.' }) action: ActionCode;
  @Field({ description: 'The action in words, in the request’s language, e.g. "Block number 77010542001".' }) description: string;
  @Field(() => ActionStatus, { description: 'Success, failure, or still in process.' }) status: ActionStatus;
  @Field(() => String, { nullable: true, description: 'Why it failed (FAILURE only), as the billing system or the report worker gave it.' })
  failureReason: string | null;
  @Field(() => GraphQLDateTime, { description: 'When it happened.' }) createdAt: Date;
  @Field(() => ActorType, { description: 'Who did it.' }) actor: ActorType;
  numberId: number | null;
}

export const ActionLogConnection = Connection(ActionLogType, 'ActionLog', 'actions history entry');
