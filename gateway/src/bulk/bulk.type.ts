import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ActorType } from '../common/actions';
import { Connection } from '../common/connection';
import { MoneyScalar } from '../common/scalars';
import { ForwardingCondition, NumberState } from '../numbers';
import { OperationKindEnum, OperationParameterType } from '../operations';

export enum BulkOperationStatus {
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  SCHEDULED = 'SCHEDULED',
  RUNNING = 'RUNNING',
  PAUSED = 'PAUSED',
  FINISHED = 'FINISHED',
  CANCELLED = 'CANCELLED',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(BulkOperationStatus, { name: 'BulkOperationStatus', description: 'Where a fleet operation stands.' });

export enum BulkItemStatus {
  PENDING = 'PENDING',
  IN_PROCESS = 'IN_PROCESS',
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
  SKIPPED = 'SKIPPED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(BulkItemStatus, {
  name: 'BulkItemStatus',
  description:
    'Where one number of a fleet operation stands: PENDING, IN_PROCESS once handed to the billing system, then SUCCESS or FAILURE; SKIPPED when the rules no longer (or never) applied; CANCELLED when the operation was cancelled first.',
});

export enum BulkOutcome {
  CHANGE = 'CHANGE',
  ALREADY = 'ALREADY',
  CANNOT = 'CANNOT',
}
registerEnumType(BulkOutcome, {
  name: 'BulkOutcome',
  description: 'What the dry run says of a number: it will change, it is already in the target state, or it cannot (with the reason).',
});

export enum BulkResultsFormat {
  CSV = 'CSV',
  XLSX = 'XLSX',
}
registerEnumType(BulkResultsFormat, { name: 'BulkResultsFormat', description: 'File format of a fleet operation’s results.' });

@InputType('BulkNumberFilter', { description: 'All numbers of the company matching these, as the numbers list filters them.' })
export class BulkNumberFilterInput {
  @Field(() => String, { nullable: true, description: 'Digits anywhere in the number; a full number matches exactly.' }) search?: string | null;
  @Field(() => NumberState, { nullable: true, description: 'Only numbers in this state.' }) state?: NumberState | null;
}

@InputType('SimReplacementInput', { description: 'A number and the new SIM card it gets.' })
export class SimReplacementInput {
  @Field({ description: 'The number, 11 digits (7…, 8… or +7…).' }) msisdn: string;
  @Field({ description: 'The new card’s 20 digits.' }) iccid: string;
}

@InputType('BulkSelectionInput', { description: 'The numbers a fleet operation applies to: exactly one of these.' })
export class BulkSelectionInput {
  @Field(() => [ID], { nullable: true, description: 'Picked rows: global IDs of the company’s numbers.' }) numberIds?: string[] | null;
  @Field(() => BulkNumberFilterInput, { nullable: true, description: 'Every number of the company matching this search and filter.' })
  matching?: BulkNumberFilterInput | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'An uploaded list (createBulkUpload): usable for 24 hours after it was received, and while an open operation started on it lasts (UPLOAD_EXPIRED after).',
  })
  uploadId?: string | null;
  @Field(() => [SimReplacementInput], { nullable: true, description: 'REPLACE_SIM only: numbers with their new cards, typed in.' })
  simReplacements?: SimReplacementInput[] | null;
}

@InputType('BulkOperationInput', { description: 'One operation kind with one input, applied to a selection of numbers.' })
export class BulkOperationInput {
  @Field(() => ID, { description: 'Global ID of the company.' }) companyId: string;
  @Field(() => OperationKindEnum, { description: 'What to do on each number.' }) kind: OperationKindEnum;
  @Field(() => BulkSelectionInput, { description: 'Which numbers.' }) selection: BulkSelectionInput;
  @Field(() => ID, { nullable: true, description: 'CONNECT_SERVICE, DISCONNECT_SERVICE: the service.' }) serviceId?: string | null;
  @Field(() => ID, { nullable: true, description: 'CHANGE_TARIFF: the tariff plan.' }) tariffId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'SET_SMS_USSD_BAN: true to ban.' }) enabled?: boolean | null;
  @Field(() => ForwardingCondition, { nullable: true, description: 'SET_CALL_FORWARDING, CANCEL_CALL_FORWARDING: the condition.' })
  condition?: ForwardingCondition | null;
  @Field(() => String, { nullable: true, description: 'SET_CALL_FORWARDING: where calls go.' }) target?: string | null;
  @Field(() => String, { nullable: true, description: 'REGISTER_DEVICE, UNREGISTER_DEVICE: the IMEI.' }) imei?: string | null;
  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'When to start; null: at once. SCHEDULE_IN_PAST for a past time, BAD_USER_INPUT more than a year ahead.',
  })
  startAt?: Date | null;
}

@ObjectType('BulkOutcomeGroup', { description: 'Numbers of the dry run with one outcome and reason.' })
export class BulkOutcomeGroupType {
  @Field(() => BulkOutcome, { description: 'The outcome.' }) outcome: BulkOutcome;
  @Field(() => String, { nullable: true, description: 'The reason’s stable code; null for CHANGE.' }) code: string | null;
  @Field(() => String, { nullable: true, description: 'The reason in the caller’s language; null for CHANGE.' }) reason: string | null;
  @Field(() => Int, { description: 'How many numbers.' }) count: number;
  @Field(() => [String], { description: 'The first 10 of them (MSISDNs), in selection order.' }) sample: string[];
}

@ObjectType('BulkLineError', { description: 'A line of an upload (or a typed-in pair) that names no number of the company.' })
export class BulkLineErrorType {
  @Field(() => Int, { description: 'Line number, from 1.' }) line: number;
  @Field({ description: 'The line as given.' }) value: string;
  @Field({ description: 'INVALID_PHONE, INVALID_ICCID, DUPLICATE_LINE or FOREIGN_NUMBER.' }) code: string;
  @Field({ description: 'Why, in the caller’s language.' }) reason: string;
}

@ObjectType('BulkPlan', { description: 'What a fleet operation would do (the dry run). Nothing is written by it.' })
export class BulkPlanType {
  @Field({ description: 'Pass it with dryRun: false to start exactly this plan (DRY_RUN_OUTDATED once the selection changed).' }) token: string;
  @Field(() => Int, { description: 'Numbers of the company selected.' }) total: number;
  @Field(() => Int, { description: 'Numbers that will change.' }) changes: number;
  @Field(() => [BulkOutcomeGroupType], { description: 'Per outcome and reason: how many and the first of them.' }) groups: BulkOutcomeGroupType[];
  @Field(() => [BulkLineErrorType], { description: 'The first 100 lines refused.' }) invalidLines: BulkLineErrorType[];
  @Field(() => Int, { description: 'How many lines were refused in all.' }) invalidLineCount: number;
  @Field(() => MoneyScalar, { nullable: true, description: 'How the monthly fees change if every change succeeds (services and tariff change only).' })
  monthlyFeeChange: bigint | null;
  @Field({ description: 'Whether a second administrator must approve it (the company’s approval policy).' }) approvalRequired: boolean;
}

@ObjectType('BulkCounts', { description: 'A fleet operation’s numbers by status.' })
export class BulkCountsType {
  @Field(() => Int, { description: 'Not handed to the billing system yet.' }) pending: number;
  @Field(() => Int, { description: 'Handed over, not finished yet.' }) inProcess: number;
  @Field(() => Int, { description: 'Changed.' }) success: number;
  @Field(() => Int, { description: 'Refused by the billing system (see the item’s reason).' }) failure: number;
  @Field(() => Int, { description: 'Not changed: already done, or the rules refused it (see the item’s reason).' }) skipped: number;
  @Field(() => Int, { description: 'Not handed over before the operation was cancelled.' }) cancelled: number;
}

@ObjectType('BulkDecision', { description: 'An approver’s decision.' })
export class BulkDecisionType {
  @Field({ description: 'Approved or rejected.' }) approved: boolean;
  @Field(() => ActorType, { description: 'Who decided.' }) by: ActorType;
  @Field(() => GraphQLDateTime, { description: 'When.' }) at: Date;
  @Field(() => String, { nullable: true, description: 'Their comment.' }) comment: string | null;
}

@ObjectType('BulkOperation', {
  description: 'One operation kind applied to many numbers (a fleet operation), carried out by the workers at the billing system’s pace.',
})
export class BulkOperationType {
  @Field(() => ID, { description: 'Global ID.' }) id: string;
  @Field(() => OperationKindEnum, { description: 'What it does on each number.' }) kind: OperationKindEnum;
  @Field(() => BulkOperationStatus, { description: 'Where it stands.' }) status: BulkOperationStatus;
  @Field(() => [OperationParameterType], { description: 'Its input.' }) parameters: OperationParameterType[];
  @Field(() => Int, { description: 'Numbers in it.' }) total: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it is to start.' }) startAt: Date | null;
  @Field(() => GraphQLDateTime, { description: 'When it was created.' }) createdAt: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it started running.' }) startedAt: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it ended.' }) finishedAt: Date | null;
  @Field(() => ActorType, { description: 'Who created it.' }) actor: ActorType;
  @Field({ description: 'Whether it needed (or needs) a second administrator’s approval.' }) approvalRequired: boolean;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'While AWAITING_APPROVAL: when it expires undecided.' }) approvalExpiresAt: Date | null;
  @Field(() => BulkDecisionType, { nullable: true, description: 'The approver’s decision, once made.' }) decision: BulkDecisionType | null;
  dbId: string;
  companyId: number;
  administratorId: number | null;
  /** Who asked, as four eyes count (the administrator, or the one who created the key). */
  requesterId: number | null;
}

@ObjectType('BulkItem', { description: 'One number of a fleet operation and how it went.' })
export class BulkItemType {
  @Field(() => Int, { description: 'Its place in the selection, from 1.' }) position: number;
  @Field({ description: 'The number.' }) msisdn: string;
  @Field(() => BulkItemStatus, { description: 'Where it stands.' }) status: BulkItemStatus;
  @Field(() => String, { nullable: true, description: 'Why it was skipped, failed or cancelled: a stable code.' }) reasonCode: string | null;
  numberId: number;
  operationId: string | null;
}

@ObjectType('BulkOperationAnswer', { description: 'The dry run’s plan and, once started, the operation.' })
export class BulkOperationAnswerType {
  @Field(() => BulkPlanType, { description: 'What it does (or would do) on each number.' }) plan: BulkPlanType;
  @Field(() => BulkOperationType, { nullable: true, description: 'The operation; null on a dry run.' }) operation: BulkOperationType | null;
}

@ObjectType('BulkOperationChange', { description: 'A fleet operation progressed or changed status.' })
export class BulkOperationChangeType {
  @Field(() => Int, { description: 'The company’s sequence of these events: 1, 2, 3…' }) sequence: number;
  @Field({ description: 'Where this event stands in the company’s event log: pass it as `after` when you subscribe again.' }) cursor: string;
  @Field(() => BulkOperationType, { description: 'The operation now.' }) operation: BulkOperationType;
}

export const BulkOperationConnection = Connection(BulkOperationType, 'BulkOperation', 'fleet operation');
export const BulkItemConnection = Connection(BulkItemType, 'BulkItem', 'item');
