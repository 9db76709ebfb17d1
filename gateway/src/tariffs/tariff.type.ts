import { GraphQLBigInt } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../common/scalars';
import type { AllowanceRow, TariffRow } from '../billing';

export type { AllowanceRow, TariffRow };

export enum AllowanceKind {
  ONNET_CALLS = 'ONNET_CALLS',
  OFFNET_CALLS = 'OFFNET_CALLS',
  LANDLINE_CALLS = 'LANDLINE_CALLS',
  INTERNATIONAL_CALLS = 'INTERNATIONAL_CALLS',
  SMS = 'SMS',
  ONNET_SMS = 'ONNET_SMS',
  DATA = 'DATA',
}
registerEnumType(AllowanceKind, {
  name: 'AllowanceKind',
  description: 'What an allowance or bonus covers.',
  valuesConfig: {
    ONNET_CALLS: { description: 'Calls within the operator’s network.' },
    OFFNET_CALLS: { description: 'Calls to other mobile operators of Kazakhstan.' },
    LANDLINE_CALLS: { description: 'Calls to Kazakhstan landlines.' },
    INTERNATIONAL_CALLS: { description: 'International calls.' },
    SMS: { description: 'SMS to any network.' },
    ONNET_SMS: { description: 'SMS within the operator’s network.' },
    DATA: { description: 'Mobile Internet, any time of day.' },
  },
});

export enum AllowanceUnit {
  SECOND = 'SECOND',
  SMS = 'SMS',
  MEGABYTE = 'MEGABYTE',
}
registerEnumType(AllowanceUnit, { name: 'AllowanceUnit', description: 'Unit of `available` and `total`.' });

@ObjectType('Tariff', { description: 'A tariff plan.' })
export class TariffType {
  @Field(() => ID, { description: 'Global ID of the tariff.' }) id: string;
  @Field({ description: 'Stable code of the plan.' }) code: string;
  @Field({ description: 'Name in the request’s language.' }) name: string;
}

@ObjectType('TariffAllowance', { description: 'A remaining allowance of the plan or an additional bonus of a number.' })
export class TariffAllowanceType {
  @Field(() => AllowanceKind, { description: 'What it covers.' }) kind: AllowanceKind;
  @Field({ description: 'True when there is no limit; `available` and `total` are then null.' }) unlimited: boolean;
  @Field(() => GraphQLBigInt, { nullable: true, description: 'Remaining amount, in `unit`.' }) available: bigint | null;
  @Field(() => GraphQLBigInt, { nullable: true, description: 'Amount granted for the period, in `unit`.' }) total: bigint | null;
  @Field(() => AllowanceUnit, { description: 'Unit of the amounts (seconds for calls).' }) unit: AllowanceUnit;
  @Field(() => DateScalar, { description: 'First day of validity.' }) validFrom: string;
  @Field(() => DateScalar, { description: 'Last day of validity.' }) validTo: string;
}
