import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { CompanyType } from '../companies';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import { DateScalar } from '../common/scalars';
import { NumberType } from '../numbers';
import { paymentService } from './payment.service';
import { PaymentConnection } from './payment.type';

@ArgsType()
export class PeriodPageArgs {
  @Field(() => DateScalar, { nullable: true, description: 'First day (Asia/Almaty), inclusive. Default: one month before `to`.' })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive, not in the future. Default: today.' }) to?: string | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string;
}

@ArgsType()
class CreditPaymentsArgs extends PeriodPageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this Credit account of the company (global ID); default: all of them.' }) accountId?: string | null;
}

@Resolver(() => NumberType)
export class NumberPaymentsResolver {
  @FieldResolver(() => PaymentConnection, {
    description: 'Payment history of the number (Advance numbers, F19), newest first. Each view is recorded in the actions history.',
  })
  payments(@Root() number: NumberType, @Args() args: PeriodPageArgs, @Ctx() ctx: Context) {
    return paymentService.ofNumber(ctx, number, args);
  }
}

@Resolver(() => CompanyType)
export class CompanyPaymentsResolver {
  @FieldResolver(() => PaymentConnection, {
    description:
      'Payment history of the company’s Credit (postpaid) accounts (F20), newest first, each with its account number. Advance numbers keep theirs per number (`Number.payments`). Each view is recorded in the actions history.',
  })
  creditPayments(@Root() company: CompanyType, @Args() { accountId, ...args }: CreditPaymentsArgs, @Ctx() ctx: Context) {
    return paymentService.ofCreditAccounts(ctx, company, { ...args, accountId: accountId ? fromGlobalId('Account', accountId, 'accountId') : null });
  }
}
