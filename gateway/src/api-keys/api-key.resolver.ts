import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../core/context';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { apiKeyService, type ApiKeyRow } from './api-key.service';
import { ApiKeyScopeEnum, ApiKeyType, CreatedApiKeyType } from './api-key.type';

export const apiKeyType = (row: ApiKeyRow): ApiKeyType => ({
  id: toGlobalId('ApiKey', row.id),
  name: row.name,
  scope: row.scope as ApiKeyScopeEnum,
  prefix: row.prefix,
  createdAt: row.createdAt,
  revokedAt: row.revokedAt,
  lastUsedAt: row.lastUsedAt,
});

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  @Query(() => [ApiKeyType], { description: 'Partner keys of a company, newest first (administrators only).' })
  async apiKeys(@Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string, @Ctx() ctx: Context) {
    return (await apiKeyService.list(ctx, fromGlobalId('Company', companyId, 'companyId'))).map(apiKeyType);
  }

  @Mutation(() => CreatedApiKeyType, { description: 'Creates a partner key for a company; the secret is in the answer only.' })
  async createApiKey(
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string,
    @Arg('name', { description: 'What the key is for, 1 to 100 characters.' }) name: string,
    @Arg('scope', () => ApiKeyScopeEnum, { description: 'READ, or OPERATE to change numbers too.' }) scope: ApiKeyScopeEnum,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiKeyType> {
    const { key, secret } = await apiKeyService.create(ctx, fromGlobalId('Company', companyId, 'companyId'), name, scope);
    return { apiKey: apiKeyType(key), secret };
  }

  @Mutation(() => ApiKeyType, { description: 'Revokes a key at once; requests with it are refused from then on.' })
  async revokeApiKey(@Arg('id', () => ID, { description: 'Global ID of the key.' }) id: string, @Ctx() ctx: Context): Promise<ApiKeyType> {
    return apiKeyType(await apiKeyService.revoke(ctx, fromGlobalId('ApiKey', id, 'id')));
  }
}
