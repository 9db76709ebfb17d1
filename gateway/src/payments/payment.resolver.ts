import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { NumberType } from '../numbers';
import { paymentService } from './payment.service';
import { PaymentConnection } from './payment.type';

@ArgsType()
export class PeriodPageArgs {
  @Field(() => DateScalar, { nullable: true, description: 'First day (Asia/Almaty), inclusive. Default: one month before `to`.' })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive. Default: today.' }) to?: string | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string;
}

@Resolver(() => NumberType)
export class NumberPaymentsResolver {
  @FieldResolver(() => PaymentConnection, { description: 'Payment history of the number (Advance numbers), newest first.' })
  payments(@Root() number: NumberType, @Args() args: PeriodPageArgs, @Ctx() ctx: Context) {
    return paymentService.ofNumber(ctx, number.dbId, args);
  }
}
