import { useCursorPager } from '@cabinet/kit';
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
  const connection = computed(() => result.value?.company.actions);
  return {
    actions: computed(() => connection.value?.edges.map((edge) => edge.node) ?? []),
    loading,
    error,
    page: pager.page,
    hasPrevious: pager.hasPrevious,
    hasNext: computed(() => Boolean(connection.value?.pageInfo.hasNextPage)),
    next(): void {
      if (connection.value?.pageInfo.hasNextPage) pager.next(connection.value.pageInfo.endCursor);
    },
    previous: pager.previous,
    refresh: () => refetch(),
  };
}
