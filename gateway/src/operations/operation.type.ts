import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ActionStatus, ActorType } from '../common/actions';
import { BILLING_FAILURE_CODES, BILLING_FAILURES, type BillingFailureCode } from '../billing';
import { Connection } from '../common/connection';
import { MoneyScalar } from '../common/scalars';
import { OPERATION_KINDS, type OperationKind } from './operation.catalogue';

/** The GraphQL enum of operation kinds (one definition: operation.catalogue.ts). */
export const OperationKindEnum = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, kind])) as { [K in OperationKind]: K };
export type OperationKindEnum = OperationKind;
registerEnumType(OperationKindEnum, { name: 'OperationKind', description: 'What an operation changes on a number.' });

@ObjectType('OperationParameter', { description: 'One parameter of an operation, e.g. iccid, service, condition, target.' })
export class OperationParameterType {
  @Field({ description: 'Name.' }) name: string;
  @Field({ description: 'Value as text.' }) value: string;
}

@ObjectType('Operation', {
  description: 'A change requested on a number. Accepted at once as IN_PROCESS; the billing system finishes it (1–2 minutes) with SUCCESS or FAILURE.',
})
export class OperationType {
  @Field(() => ID, { description: 'Global ID of the operation.' }) id: string;
  @Field(() => OperationKindEnum, { description: 'What it changes.' }) kind: OperationKindEnum;
  @Field(() => ActionStatus, { description: 'IN_PROCESS, then SUCCESS or FAILURE.' }) status: ActionStatus;
  @Field(() => [OperationParameterType], { description: 'Its parameters.' }) parameters: OperationParameterType[];
  /** The billing system's failure code as stored (FAILURE only); exposed as `failureCode` and `failureReason`. */
  failure: string | null;
  @Field(() => GraphQLDateTime, { description: 'When it was accepted.' }) createdAt: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the billing system finished it.' }) finishedAt: Date | null;
  @Field(() => ActorType, { description: 'Who asked for it.' }) actor: ActorType;
  numberId: number;
  companyId: number;
}

/** The GraphQL enum of the billing system's failure codes (one definition: billing/billing.failures.ts). */
export const OperationFailureCode = Object.fromEntries(BILLING_FAILURE_CODES.map((code) => [code, code])) as { [K in BillingFailureCode]: K };
registerEnumType(OperationFailureCode, {
  name: 'OperationFailureCode',
  description: 'Why the billing system refused an operation (listed in schema/README.md).',
  valuesConfig: Object.fromEntries(BILLING_FAILURE_CODES.map((code) => [code, { description: BILLING_FAILURES[code].en }])),
});

@ObjectType('TariffChoice', { description: 'A tariff plan of the operator’s catalogue a number may move to (changeTariff), with its monthly fee.' })
export class TariffChoiceType {
  @Field(() => ID, { description: 'Global ID of the tariff plan, for changeTariff.' }) id: string;
  @Field({ description: 'Stable code of the plan.' }) code: string;
  @Field({ description: 'Name in the request’s language.' }) name: string;
  @Field(() => MoneyScalar, { description: 'Monthly fee; the first is charged when the number moves.' }) monthlyFee: bigint;
}

export const OperationConnection = Connection(OperationType, 'Operation', 'operation');
