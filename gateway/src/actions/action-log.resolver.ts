import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { CompanyType, PageArgs } from '../companies';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import { DateScalar } from '../common/scalars';
import { NumberType, numberService } from '../numbers';
import { actionLogService } from './action-log.service';
import { ActionCode, ActionLogConnection, ActionLogType, ActionStatus, ActorType } from './action-log.type';

@ArgsType()
class CompanyActionsArgs {
  @Field(() => DateScalar, {
    nullable: true,
    description: 'First day (Asia/Almaty), inclusive. With neither `from` nor `to` the whole history; with `to` alone, one month before it.',
  })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive, not in the future. Default (when `from` is given): today.' })
  to?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only actions of this administrator (`Actor.administratorId`).' }) administratorId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only actions on this number (global ID).' }) numberId?: string | null;
  @Field(() => String, { nullable: true, description: 'Only actions on the number with these 11 digits.' }) msisdn?: string | null;
  @Field(() => ActionStatus, { nullable: true, description: 'Only actions that ended so (or are still in process).' }) status?: ActionStatus | null;
  @Field(() => ActionCode, { nullable: true, description: 'Only actions with this code, e.g. BLOCK_NUMBER or VIEW_USAGE.' }) action?: ActionCode | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts (`pageInfo.endCursor`).' }) after?: string;
}

@Resolver(() => CompanyType)
export class CompanyActionsResolver {
  @FieldResolver(() => ActionLogConnection, { description: 'Actions history of the company (F21), newest first, with filters.' })
  actions(@Root() company: CompanyType, @Args() args: CompanyActionsArgs, @Ctx() ctx: Context) {
    return actionLogService.list(ctx, company.dbId, {
      ...args,
      administratorId: args.administratorId ? fromGlobalId('Administrator', args.administratorId, 'administratorId') : null,
      numberId: args.numberId ? fromGlobalId('Number', args.numberId, 'numberId') : null,
    });
  }

  @FieldResolver(() => [ActorType], { description: 'Every administrator who has acted on the company (the administrator filter of `actions`), by name.' })
  actionAdministrators(@Root() company: CompanyType, @Ctx() ctx: Context) {
    return actionLogService.administrators(ctx, company.dbId);
  }
}

@Resolver(() => NumberType)
export class NumberActionsResolver {
  @FieldResolver(() => ActionLogConnection, { description: 'Actions history of the number, newest first.' })
  actions(@Root() number: NumberType, @Args() { first, after }: PageArgs, @Ctx() ctx: Context) {
    return actionLogService.list(ctx, number.companyId, { numberId: number.dbId, first, after });
  }
}

@Resolver(() => ActionLogType)
export class ActionLogResolver {
  @FieldResolver(() => NumberType, { nullable: true, description: 'The number acted on, if any.' })
  async number(@Root() entry: ActionLogType, @Ctx() ctx: Context): Promise<NumberType | null> {
    return entry.numberId === null ? null : numberService.get(ctx, entry.numberId);
  }
}
