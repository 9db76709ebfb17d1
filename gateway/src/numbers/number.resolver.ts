import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AccountType, CompanyType, companyService } from '../companies';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import { MoneyScalar } from '../common/scalars';
import { numberService } from './number.service';
import { CallForwardingType, DeviceType, NumberConnection, NumberState, NumberType, SimCardType, SimCodesType } from './number.type';

@ArgsType()
export class NumbersArgs {
  @Field(() => ID, { description: 'Global ID of the company whose numbers are listed.' }) companyId: string;
  @Field(() => String, { nullable: true, description: 'Full or partial number: digits found anywhere in the MSISDN ("+7 701 054" works).' })
  search?: string | null;
  @Field(() => NumberState, { nullable: true, description: 'Only numbers in this state.' }) state?: NumberState | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts (`pageInfo.endCursor`).' }) after?: string | null;
}

@Resolver(() => NumberType)
export class NumberResolver {
  @Query(() => NumberConnection, { description: 'Numbers of a company in number order, with search and state filter.' })
  numbers(@Args() { companyId, ...rest }: NumbersArgs, @Ctx() ctx: Context) {
    return numberService.list(ctx, { companyId: fromGlobalId('Company', companyId, 'companyId'), ...rest });
  }

  @Query(() => NumberType, { description: 'One number by its ID: the number profile. NOT_FOUND when missing or not granted.' })
  number(@Arg('id', () => ID, { description: 'Global ID of the number.' }) id: string, @Ctx() ctx: Context): Promise<NumberType> {
    return numberService.get(ctx, fromGlobalId('Number', id, 'id'));
  }

  @Mutation(() => SimCodesType, {
    description: 'Shows the PIN and PUK codes of the number’s SIM card and records the reveal in the actions history. FORBIDDEN for read-only keys.',
  })
  revealSimCodes(@Arg('numberId', () => ID, { description: 'Global ID of the number.' }) numberId: string, @Ctx() ctx: Context): Promise<SimCodesType> {
    return numberService.revealSimCodes(ctx, fromGlobalId('Number', numberId, 'numberId'));
  }

  @FieldResolver(() => CompanyType, { description: 'The company the number belongs to.' })
  company(@Root() number: NumberType, @Ctx() ctx: Context): Promise<CompanyType> {
    return companyService.get(ctx, number.companyId);
  }

  @FieldResolver(() => AccountType, { description: 'The personal account the number is billed to.' })
  account(@Root() number: NumberType, @Ctx() ctx: Context): AccountType | Promise<AccountType> {
    return companyService.account(ctx, number.accountId);
  }

  @FieldResolver(() => MoneyScalar, { description: 'Credit limit of the number’s personal account.' })
  async creditLimit(@Root() number: NumberType, @Ctx() ctx: Context): Promise<bigint> {
    return (await companyService.account(ctx, number.accountId)).creditLimit;
  }

  @FieldResolver(() => SimCardType, { nullable: true, description: 'The SIM card in service (its PIN and PUK codes through `revealSimCodes`).' })
  simCard(@Root() number: NumberType, @Ctx() ctx: Context): Promise<SimCardType | null> {
    return numberService.simCard(ctx, number);
  }

  @FieldResolver(() => DeviceType, { description: 'The last recorded device and the registered IMEIs.' })
  device(@Root() number: NumberType, @Ctx() ctx: Context): Promise<DeviceType> {
    return numberService.device(ctx, number);
  }

  @FieldResolver(() => [CallForwardingType], { description: 'Call forwarding rules in force.' })
  callForwardings(@Root() number: NumberType, @Ctx() ctx: Context): Promise<CallForwardingType[]> {
    return numberService.callForwardings(ctx, number);
  }
}
