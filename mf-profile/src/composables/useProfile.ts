import { apiError } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import { MyProfileDocument, SetCompanyShortNameDocument } from '../graphql/generated/graphql';

/** The signed-in administrator's profile and companies (F4). */
export function useProfile() {
  const { result, loading, error, refetch } = useQuery(MyProfileDocument, {}, { fetchPolicy: 'cache-and-network' });
  return { profile: computed(() => result.value?.me ?? null), loading, error, refresh: () => refetch() };
}

/**
 * Saves the short name the administrator gives a company (only they see it). An empty name removes it.
 * The answer updates the shared cache, so the header's company selector shows it at once.
 */
export function useCompanyShortName() {
  const { mutate, loading } = useMutation(SetCompanyShortNameDocument);
  async function save(companyId: string, shortName: string): Promise<{ ok: true } | { ok: false; code: string }> {
    try {
      await mutate({ companyId, shortName: shortName.trim() || null });
      return { ok: true };
    } catch (error) {
      return { ok: false, code: apiError(error).code };
    }
  }
  return { save, saving: loading };
}
