import { parse, validate, type GraphQLResolveInfo } from 'graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, Field, Info, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { apiKeyService } from '../api-keys';
import { requirePrincipal } from '../core/access';
import type { Context } from '../core/context';
import { BadUserInputError, ErrorCode } from '../core/errors';
import { documentTooLarge } from './document-limits';
import { analyzeQuery, checkLimits, DEFAULT_LIMITS } from './limits';

@ObjectType('RateLimit', {
  description:
    'What a query would cost and what is left to spend, without running it. A partner key has a budget that refills evenly over an hour; a browser session has none, only the most one query may cost.',
})
export class RateLimitType {
  @Field(() => Int, { nullable: true, description: 'The points the query given as `query` would be charged; null without one.' })
  cost: number | null;

  @Field(() => Int, { nullable: true, description: 'How deep the query given as `query` goes (every field counts one).' })
  depth: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the query given as `query` would be refused now: QUERY_TOO_COMPLEX (over a per-query limit) or RATE_LIMITED (over the budget left); null when it would run.',
  })
  refusal: string | null;

  @Field(() => Int, { description: 'The most one query may cost.' })
  maxQueryCost: number;

  @Field(() => Int, { nullable: true, description: 'The points of a full budget; null for a browser session.' })
  limit: number | null;

  @Field(() => Int, { nullable: true, description: 'The points left now, after this query’s own charge; null for a browser session.' })
  remaining: number | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the budget is full again (now when it is); null for a browser session.' })
  resetAt: Date | null;
}

@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimitType, {
    description:
      'Prices a query without running it (as GitHub’s `rateLimit(dryRun: true)`): its cost and whether it would be refused, with the budget left and when it is full again. Without `query`, only the budget. Costs 2 points itself; the priced query is neither run nor charged.',
  })
  async rateLimit(
    @Arg('query', () => String, { nullable: true, description: 'The document to price, as it would be sent.' }) query: string | null,
    @Arg('variables', () => GraphQLJSONObject, { nullable: true, description: 'Its variables (they set connections’ `first`).' })
    variables: Record<string, unknown> | null,
    @Arg('operationName', () => String, { nullable: true, description: 'The operation to price when the document holds several.' })
    operationName: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RateLimitType> {
    const principal = requirePrincipal(ctx);
    const budget = principal.kind === 'apiKey' ? await apiKeyService.budget(ctx, principal.apiKeyId) : null;
    const result: RateLimitType = {
      cost: null,
      depth: null,
      refusal: null,
      maxQueryCost: DEFAULT_LIMITS.maxCost,
      limit: budget?.limit ?? null,
      remaining: budget?.remaining ?? null,
      resetAt: budget ? new Date(Date.now() + budget.fullInSeconds * 1000) : null,
    };
    if (query == null) return result;
    const tooLarge = documentTooLarge(query);
    if (tooLarge) throw new BadUserInputError('query', tooLarge);
    let document;
    try {
      document = parse(query);
    } catch (error) {
      throw new BadUserInputError('query', `The query does not parse: ${(error as Error).message}`);
    }
    const [invalid] = validate(info.schema, document);
    if (invalid) throw new BadUserInputError('query', `The query is not valid: ${invalid.message}`);
    const analysis = analyzeQuery(info.schema, document, { operationName, variables });
    if (analysis.cost === 0) throw new BadUserInputError('operationName', 'Name the operation to price: the document holds several, or none of that name');
    const violation = checkLimits(analysis, DEFAULT_LIMITS);
    const refusal = violation ? ErrorCode.QUERY_TOO_COMPLEX : budget && analysis.cost > budget.remaining ? ErrorCode.RATE_LIMITED : null;
    return { ...result, cost: analysis.cost, depth: analysis.depth, refusal };
  }
}
