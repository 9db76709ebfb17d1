import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { CompanyAccountsDocument } from '../graphql/generated/graphql';

/** The personal accounts of a company to choose from (the first 100, by account number). */
export function useAccounts(companyId: Ref<string | null>) {
  const { result, loading, error } = useQuery(CompanyAccountsDocument, () => ({ companyId: companyId.value ?? '', first: 100 }), () => ({
    enabled: Boolean(companyId.value),
    fetchPolicy: 'cache-and-network',
  }));
  return { accounts: computed(() => result.value?.company.accounts.edges.map((edge) => edge.node) ?? []), loading, error };
}
