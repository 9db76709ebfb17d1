import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ApiKeyScopeEnum, ApiKeyType, apiKeyType } from '../api-keys';
import { SANDBOX_FAILING_POSITIONS, SANDBOX_REFUSED_CARD, SANDBOX_STOCK_CARDS, sandboxIccid, sandboxMsisdn, type SandboxRow } from '../billing';
import type { Context } from '../core/context';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { sandboxService } from './sandbox.service';
import { CreatedSandboxKeyType, SandboxType } from './sandbox.type';

export const sandboxType = (row: SandboxRow): SandboxType => ({
  companyId: toGlobalId('Company', row.companyId),
  dbId: row.companyId,
  name: row.name,
  delayMs: row.delayMs,
  failures: [
    ...Object.entries(SANDBOX_FAILING_POSITIONS).map(([position, failureCode]) => ({
      msisdn: sandboxMsisdn(row.no, Number(position)),
      iccid: null,
      failureCode,
    })),
    { msisdn: null, iccid: sandboxIccid(row.no, SANDBOX_REFUSED_CARD), failureCode: 'SIM_NOT_FREE' },
  ],
  freeIccids: SANDBOX_STOCK_CARDS.map((card) => sandboxIccid(row.no, card)),
});

const company = (id: string) => fromGlobalId('Company', id, 'companyId');

@Resolver(() => SandboxType)
export class SandboxResolver {
  @Query(() => [SandboxType], { description: 'The sandboxes a company owns (its administrators only).' })
  async sandboxes(@Arg('companyId', () => ID, { description: 'Global ID of the owning company.' }) companyId: string, @Ctx() ctx: Context) {
    return (await sandboxService.listOf(ctx, company(companyId))).map(sandboxType);
  }

  @Query(() => SandboxType, { description: 'A sandbox and its steering: for its own keys and the administrators of the company that owns it.' })
  async sandboxSettings(@Arg('companyId', () => ID, { description: 'Global ID of the sandbox company.' }) companyId: string, @Ctx() ctx: Context) {
    return sandboxType(await sandboxService.get(ctx, company(companyId)));
  }

  @FieldResolver(() => [ApiKeyType], { description: 'Its keys, newest first (for administrators; empty for a key).' })
  async apiKeys(@Root() sandbox: SandboxType, @Ctx() ctx: Context): Promise<ApiKeyType[]> {
    const row = await sandboxService.get(ctx, sandbox.dbId);
    return (await sandboxService.keys(ctx, row)).map(apiKeyType);
  }

  @Mutation(() => CreatedSandboxKeyType, {
    description: 'Creates a sandbox of a company (a generated fleet of 20 numbers on the simulated billing system) and a key to it (administrators only).',
  })
  async createSandboxKey(
    @Arg('companyId', () => ID, { description: 'Global ID of the real company that owns the sandbox.' }) companyId: string,
    @Arg('name', { description: 'What the key is for, 1 to 100 characters.' }) name: string,
    @Arg('scope', () => ApiKeyScopeEnum, { description: 'READ, or OPERATE to change numbers too.' }) scope: ApiKeyScopeEnum,
    @Ctx() ctx: Context,
  ): Promise<CreatedSandboxKeyType> {
    const { sandbox, key, secret } = await sandboxService.createKey(ctx, company(companyId), name, scope);
    return { sandbox: sandboxType(sandbox), apiKey: apiKeyType(key), secret };
  }

  @Mutation(() => SandboxType, { description: 'Sets how long the sandbox’s billing system takes for each operation (an OPERATE key or an administrator).' })
  async updateSandbox(
    @Arg('companyId', () => ID, { description: 'Global ID of the sandbox company.' }) companyId: string,
    @Arg('delayMs', () => Int, { description: 'Milliseconds, 0 to 600000.' }) delayMs: number,
    @Ctx() ctx: Context,
  ): Promise<SandboxType> {
    return sandboxType(await sandboxService.update(ctx, company(companyId), delayMs));
  }

  @Mutation(() => SandboxType, {
    description: 'Restores the sandbox to its initial state: fleet, operations and event log; keys and settings stay (an OPERATE key or an administrator).',
  })
  async resetSandbox(
    @Arg('companyId', () => ID, { description: 'Global ID of the sandbox company.' }) companyId: string,
    @Ctx() ctx: Context,
  ): Promise<SandboxType> {
    return sandboxType(await sandboxService.reset(ctx, company(companyId)));
  }
}
