import { MAX_PAGE_SIZE } from '@cabinet/schema/rules';
import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { CompanyAccountsDocument } from '../graphql/generated/graphql';

/** The personal accounts of a company to choose from (as many as one page holds, by account number). */
export function useAccounts(companyId: Ref<string | null>) {
  const { result, loading, error } = useQuery(
    CompanyAccountsDocument,
    () => ({ companyId: companyId.value ?? '', first: MAX_PAGE_SIZE }),
    () => ({
      enabled: Boolean(companyId.value),
      fetchPolicy: 'cache-and-network',
    }),
  );
  return { accounts: computed(() => result.value?.company.accounts.edges.map((edge) => edge.node) ?? []), loading, error };
}
