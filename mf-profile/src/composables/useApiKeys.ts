import { attempt, type Outcome } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument, type ApiKeyScope } from '../graphql/generated/graphql';

export interface ApiKeyRequest {
  name: string;
  scope: ApiKeyScope;
}

/** A company's partner keys: list, create (the secret comes in this one answer) and revoke. */
export function useApiKeys(companyId: Ref<string | null>) {
  const { result, loading, error, refetch } = useQuery(
    ApiKeysDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({ enabled: companyId.value !== null, fetchPolicy: 'cache-and-network' }),
  );
  const { mutate: createKey } = useMutation(CreateApiKeyDocument);
  const { mutate: revokeKey } = useMutation(RevokeApiKeyDocument);

  const create = (request: ApiKeyRequest): Promise<Outcome<{ secret: string }>> =>
    attempt(async () => {
      const answer = await createKey({ companyId: companyId.value ?? '', name: request.name, scope: request.scope });
      const secret = answer?.data?.createApiKey.secret;
      if (!secret) throw new Error('createApiKey answered without a secret');
      await refetch();
      return { secret };
    });
  const revoke = (id: string): Promise<Outcome> =>
    attempt(async () => {
      await revokeKey({ id });
      return {};
    });

  return { keys: computed(() => result.value?.apiKeys ?? []), loading, error, create, revoke };
}
