import { connectionPage, useCursorPager } from '@cabinet/kit';
import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { CompanyActionsDocument } from '../graphql/generated/graphql';

/** The actions history of a company (F21), newest first, a page at a time. */
export function useActionsHistory({ companyId, pageSize = 25 }: { companyId: Ref<string | null>; pageSize?: number }) {
  const pager = useCursorPager([companyId]);
  const variables = computed(() => ({ companyId: companyId.value ?? '', first: pageSize, after: pager.after.value }));
  const { result, loading, error, refetch } = useQuery(CompanyActionsDocument, variables, () => ({
    enabled: Boolean(companyId.value),
    fetchPolicy: 'cache-and-network',
    keepPreviousResult: true,
  }));
  const { items, ...page } = connectionPage(pager, computed(() => result.value?.company.actions));
  return {
    actions: items,
    loading,
    error,
    ...page,
    refresh: () => refetch(),
  };
}
