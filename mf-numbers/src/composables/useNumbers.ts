import { useCursorPager } from '@cabinet/kit';
import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { NumberListDocument, type NumberState } from '../graphql/generated/graphql';

export interface UseNumbersOptions {
  companyId: Ref<string | null>;
  search: Ref<string>;
  state: Ref<NumberState | null>;
  pageSize?: number;
}

/** The numbers list of a company (F7), a page at a time; a new company, search or state filter starts from the first page. */
export function useNumbers({ companyId, search, state, pageSize = 25 }: UseNumbersOptions) {
  const pager = useCursorPager([companyId, search, state]);
  const variables = computed(() => ({
    companyId: companyId.value ?? '',
    search: search.value.trim() || undefined,
    state: state.value ?? undefined,
    first: pageSize,
    after: pager.after.value,
  }));
  const { result, loading, error, refetch } = useQuery(NumberListDocument, variables, () => ({
    enabled: Boolean(companyId.value),
    fetchPolicy: 'cache-and-network',
    keepPreviousResult: true,
  }));
  const connection = computed(() => result.value?.numbers);
  return {
    numbers: computed(() => connection.value?.edges.map((edge) => edge.node) ?? []),
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
