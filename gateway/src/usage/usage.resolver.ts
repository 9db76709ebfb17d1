import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { NumberType } from '../numbers';
import { PeriodPageArgs } from '../payments';
import { usageService } from './usage.service';
import { UsageRecordConnection, UsageTotalsType } from './usage.type';

@ArgsType()
class PeriodArgs {
  @Field(() => DateScalar, { nullable: true, description: 'First day (Asia/Almaty), inclusive, within the last 90 days.' })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive. Default: today.' }) to?: string | null;
}

@Resolver(() => NumberType)
export class NumberUsageResolver {
  @FieldResolver(() => UsageRecordConnection, {
    description: 'Itemized bill, newest first. The period lies within the last 90 days including today (default: the last month). Today’s records may be incomplete.',
  })
  usage(@Root() number: NumberType, @Args() args: PeriodPageArgs, @Ctx() ctx: Context) {
    return usageService.records(ctx, number.dbId, args);
  }

  @FieldResolver(() => UsageTotalsType, { description: 'Totals of the itemized bill over the same period rules as `usage`.' })
  usageTotals(@Root() number: NumberType, @Args() args: PeriodArgs, @Ctx() ctx: Context): Promise<UsageTotalsType> {
    return usageService.totals(ctx, number.dbId, args);
  }
}
