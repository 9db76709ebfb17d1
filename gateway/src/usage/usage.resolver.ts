import { USAGE_WINDOW_DAYS } from '@cabinet/schema/rules';
import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../core/context';
import { DateScalar } from '../common/scalars';
import { NumberType } from '../numbers';
import { usageService } from './usage.service';
import { UsageKind, UsageRecordConnection, UsageTotalsType } from './usage.type';

const FROM = {
  nullable: true,
  description: `First day (Asia/Almaty), inclusive, within the last ${USAGE_WINDOW_DAYS} days including today. Default: one month before \`to\`, clipped to the ${USAGE_WINDOW_DAYS} days.`,
};
const TO = { nullable: true, description: `Last day, inclusive, within the last ${USAGE_WINDOW_DAYS} days and not in the future. Default: today.` };

@ArgsType()
class UsagePeriodArgs {
  @Field(() => DateScalar, FROM) from?: string | null;
  @Field(() => DateScalar, TO) to?: string | null;
}

@ArgsType()
class UsagePageArgs extends UsagePeriodArgs {
  @Field(() => UsageKind, { nullable: true, description: 'Only records of this kind (calls, SMS, data or USSD).' }) type?: UsageKind | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string;
}

@Resolver(() => NumberType)
export class NumberUsageResolver {
  @FieldResolver(() => UsageRecordConnection, {
    description: `Itemized bill (F18), newest first. The period lies within the last ${USAGE_WINDOW_DAYS} days including today (default: the last month); BAD_USER_INPUT names \`from\` or \`to\` outside it. Today’s records may be incomplete. Each view is recorded in the actions history (VIEW_USAGE).`,
  })
  usage(@Root() number: NumberType, @Args() args: UsagePageArgs, @Ctx() ctx: Context) {
    return usageService.records(ctx, number, args);
  }

  @FieldResolver(() => UsageTotalsType, { description: 'Totals of the itemized bill over the same period rules as `usage` (all kinds).' })
  usageTotals(@Root() number: NumberType, @Args() args: UsagePeriodArgs, @Ctx() ctx: Context): Promise<UsageTotalsType> {
    return usageService.totals(ctx, number, args);
  }
}
