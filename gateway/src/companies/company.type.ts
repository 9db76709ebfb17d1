import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/connection';
import { toGlobalId } from '../core/ids';
import { MoneyScalar } from '../common/scalars';
import type { AccountRow, CompanyRow } from '../billing';

export type { AccountRow, CompanyRow };

export enum PaymentMethod {
  ADVANCE = 'ADVANCE',
  CREDIT = 'CREDIT',
}
registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'How a personal account pays: in advance (prepaid) or on credit (postpaid).',
  valuesConfig: {
    ADVANCE: { description: 'Prepaid: the balance is spent; payment history is per number.' },
    CREDIT: { description: 'Postpaid: usage is billed monthly against a credit limit.' },
  },
});

@ObjectType('Company', { description: 'A corporate customer (legal entity or branch), identified by its BIN.' })
export class CompanyType {
  @Field(() => ID, { description: 'Global ID of the company.' }) id: string;
  @Field({ description: 'Business identification number: 12 digits.' }) bin: string;
  @Field({ description: 'Full registered name.' }) name: string;
  dbId: number;
  parentId: number | null;

  static from(row: CompanyRow): CompanyType {
    return Object.assign(new CompanyType(), { id: toGlobalId('Company', row.id), dbId: row.id, bin: row.bin, name: row.name, parentId: row.parentId });
  }
}

@ObjectType('Account', { description: 'A personal account of the company in the billing system; numbers are billed to it.' })
export class AccountType {
  @Field(() => ID, { description: 'Global ID of the account.' }) id: string;
  @Field({ description: 'Personal account number as printed on invoices, e.g. "25060831".' }) accountNo: string;
  @Field(() => PaymentMethod, { description: 'Advance (prepaid) or Credit (postpaid).' }) paymentMethod: PaymentMethod;
  @Field(() => MoneyScalar, { description: 'Credit limit of the account; 0.00 for Advance accounts.' }) creditLimit: bigint;
  dbId: number;
  companyId: number;

  static from(row: AccountRow): AccountType {
    return Object.assign(new AccountType(), {
      id: toGlobalId('Account', row.id),
      dbId: row.id,
      companyId: row.companyId,
      accountNo: row.accountNo,
      paymentMethod: row.paymentMethod,
      creditLimit: BigInt(row.creditLimit),
    });
  }
}

export const AccountConnection = Connection(AccountType, 'Account', 'personal account');
