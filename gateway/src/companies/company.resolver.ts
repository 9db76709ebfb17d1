import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireCompany } from '../core/access';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import { ApprovalPolicy, approvalPolicy, setApprovalPolicy } from './company.policy';
import { companyService } from './company.service';
import { AccountConnection, AccountType, CompanyType } from './company.type';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts (`pageInfo.endCursor`).' }) after?: string;
}

@Resolver(() => CompanyType)
export class CompanyResolver {
  @Query(() => [CompanyType], { description: 'The companies granted to the caller, by name.' })
  companies(@Ctx() ctx: Context): Promise<CompanyType[]> {
    return companyService.list(ctx);
  }

  @Query(() => CompanyType, { description: 'One company by its ID. NOT_FOUND when it does not exist or is not granted.' })
  company(@Arg('id', () => ID, { description: 'Global ID of the company.' }) id: string, @Ctx() ctx: Context): Promise<CompanyType> {
    return companyService.get(ctx, fromGlobalId('Company', id, 'id'));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The short name the signed-in administrator gave the company (F4); null when none or for API keys.',
  })
  shortName(@Root() company: CompanyType, @Ctx() ctx: Context): Promise<string | null> {
    return companyService.shortName(ctx, company);
  }

  @FieldResolver(() => CompanyType, { nullable: true, description: 'The head company when this one is a branch and the caller may see it.' })
  parent(@Root() company: CompanyType, @Ctx() ctx: Context): Promise<CompanyType | null> {
    return companyService.find(ctx, company.parentId);
  }

  @FieldResolver(() => [CompanyType], { description: 'Branches registered under this company that the caller may see.' })
  branches(@Root() company: CompanyType, @Ctx() ctx: Context): Promise<CompanyType[]> {
    return companyService.branches(ctx, company);
  }

  @FieldResolver(() => ApprovalPolicy, { description: 'What the company requires a second administrator’s approval for.' })
  approvalPolicy(@Root() company: CompanyType, @Ctx() ctx: Context): Promise<ApprovalPolicy> {
    requireCompany(ctx, company.dbId);
    return approvalPolicy(ctx.db, company.dbId);
  }

  @Mutation(() => ApprovalPolicy, {
    description:
      'Sets what the company requires a second administrator’s approval for: every SIM replacement, and bulk operations changing more than `bulkThreshold` numbers (null: none). Administrators only; written in the actions history.',
  })
  setApprovalPolicy(
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string,
    @Arg('simReplacement', { description: 'Every SIM replacement needs approval.' }) simReplacement: boolean,
    @Arg('bulkThreshold', () => Int, { nullable: true, description: 'Bulk operations changing more numbers than this need approval; null: none.' })
    bulkThreshold: number | null,
    @Ctx() ctx: Context,
  ): Promise<ApprovalPolicy> {
    return setApprovalPolicy(ctx, fromGlobalId('Company', companyId, 'companyId'), { simReplacement, bulkThreshold: bulkThreshold ?? null });
  }

  @FieldResolver(() => AccountConnection, { description: 'Personal accounts of the company, by account number.' })
  accounts(@Root() company: CompanyType, @Args() { first, after }: PageArgs, @Ctx() ctx: Context) {
    return companyService.accounts(ctx, company, first, after);
  }
}

@Resolver(() => AccountType)
export class AccountResolver {
  @FieldResolver(() => CompanyType, { description: 'The company that owns the account.' })
  company(@Root() account: AccountType, @Ctx() ctx: Context): Promise<CompanyType> {
    return companyService.get(ctx, account.companyId);
  }
}
