import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CompanyType, PageArgs } from '../companies';
import type { Context } from '../graphql/context';
import { NumberType, numberService } from '../numbers';
import { actionLogService } from './action-log.service';
import { ActionLogConnection, ActionLogType } from './action-log.type';

@Resolver(() => CompanyType)
export class CompanyActionsResolver {
  @FieldResolver(() => ActionLogConnection, { description: 'Actions history of the company, newest first.' })
  actions(@Root() company: CompanyType, @Args() { first, after }: PageArgs, @Ctx() ctx: Context) {
    return actionLogService.list(ctx, company.dbId, null, first, after);
  }
}

@Resolver(() => NumberType)
export class NumberActionsResolver {
  @FieldResolver(() => ActionLogConnection, { description: 'Actions history of the number, newest first.' })
  actions(@Root() number: NumberType, @Args() { first, after }: PageArgs, @Ctx() ctx: Context) {
    return actionLogService.list(ctx, number.companyId, number.dbId, first, after);
  }
}

@Resolver(() => ActionLogType)
export class ActionLogResolver {
  @FieldResolver(() => NumberType, { nullable: true, description: 'The number acted on, if any.' })
  async number(@Root() entry: ActionLogType, @Ctx() ctx: Context): Promise<NumberType | null> {
    return entry.numberId === null ? null : numberService.get(ctx, entry.numberId);
  }
}
