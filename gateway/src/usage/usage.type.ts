import { GraphQLBigInt, GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/connection';
import { MoneyScalar } from '../common/scalars';
import type { UsageRow } from '../billing';

export type { UsageRow };

export enum UsageKind {
  CALL = 'CALL',
  SMS = 'SMS',
  DATA = 'DATA',
  USSD = 'USSD',
}
registerEnumType(UsageKind, { name: 'UsageKind', description: 'Kind of a usage record.' });

export enum UsageDirection {
  INCOMING = 'INCOMING',
  OUTGOING = 'OUTGOING',
}
registerEnumType(UsageDirection, { name: 'UsageDirection', description: 'Direction of a call or message.' });

@ObjectType('UsageRecord', { description: 'One line of the itemized bill (call detail record).' })
export class UsageRecordType {
  @Field(() => ID, { description: 'Global ID of the record.' }) id: string;
  @Field(() => GraphQLDateTime, { description: 'When it started.' }) startedAt: Date;
  @Field(() => UsageKind, { description: 'Call, SMS, data session or USSD.' }) type: UsageKind;
  @Field(() => UsageDirection, { description: 'Incoming or outgoing.' }) direction: UsageDirection;
  @Field(() => String, { nullable: true, description: 'The other party’s number or address.' }) otherParty: string | null;
  @Field(() => Int, { nullable: true, description: 'Duration of a call, seconds.' }) durationSeconds: number | null;
  @Field(() => GraphQLBigInt, { nullable: true, description: 'Volume of a data session, kilobytes.' }) volumeKb: bigint | null;
  @Field(() => MoneyScalar, { description: 'Cost.' }) cost: bigint;
}

@ObjectType('UsageTotals', { description: 'Totals of usage over a period, per kind.' })
export class UsageTotalsType {
  @Field(() => Int, { description: 'Number of calls.' }) calls: number;
  @Field(() => GraphQLBigInt, { description: 'Total call time, seconds.' }) callSeconds: bigint;
  @Field(() => Int, { description: 'Number of SMS.' }) sms: number;
  @Field(() => GraphQLBigInt, { description: 'Total data volume, kilobytes.' }) dataKb: bigint;
  @Field(() => MoneyScalar, { description: 'Total cost.' }) cost: bigint;
}

export const UsageRecordConnection = Connection(UsageRecordType, 'UsageRecord', 'usage record');
