import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/connection';
import { MoneyScalar } from '../common/scalars';
import type { PaymentRow } from '../billing';

export type { PaymentRow };

export enum PaymentKind {
  PAYMENT = 'PAYMENT',
  CHARGE = 'CHARGE',
  REFUND = 'REFUND',
  ADJUSTMENT = 'ADJUSTMENT',
}
registerEnumType(PaymentKind, {
  name: 'PaymentKind',
  description: 'Type of a balance movement.',
  valuesConfig: {
    PAYMENT: { description: 'Money paid in.' },
    CHARGE: { description: 'Money charged (fees, usage).' },
    REFUND: { description: 'Money returned.' },
    ADJUSTMENT: { description: 'Correction by the operator.' },
  },
});

@ObjectType('Payment', { description: 'A movement of a balance: payment, charge, refund or adjustment.' })
export class PaymentType {
  @Field(() => ID, { description: 'Global ID of the payment.' }) id: string;
  @Field(() => GraphQLDateTime, { description: 'Date and time.' }) paidAt: Date;
  @Field(() => PaymentKind, { description: 'Type.' }) type: PaymentKind;
  @Field({
    description:
      'What the movement is, in the caller’s language: the service month and tariff or service of a charge, the channel of a payment, the reason of a refund or adjustment.',
  })
  comment: string;
  @Field(() => MoneyScalar, { description: 'Sum: positive paid in, negative charged.' }) amount: bigint;
  @Field(() => MoneyScalar, { description: 'Balance before.' }) balanceBefore: bigint;
  @Field(() => MoneyScalar, { description: 'Balance after.' }) balanceAfter: bigint;
  @Field({ description: 'Personal account number the movement belongs to, e.g. "25060831".' }) accountNo: string;
}

export const PaymentConnection = Connection(PaymentType, 'Payment', 'payment');
