import { connectionPage, useCursorPager, type CursorPager } from '@cabinet/kit';
import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { NumberListDocument, type NumberState } from '../graphql/generated/graphql';

export interface UseNumbersOptions {
  companyId: Ref<string | null>;
  search: Ref<string>;
  state: Ref<NumberState | null>;
  pageSize?: number;
  /** Where the page is kept (the URL, for the list page); by default in memory, starting again on any change. */
  pager?: CursorPager;
}

/** The numbers list of a company (F7), a page at a time; a new company, search or state filter starts from the first page. */
export function useNumbers({ companyId, search, state, pageSize = 25, pager = useCursorPager([companyId, search, state]) }: UseNumbersOptions) {
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
  const { items, ...page } = connectionPage(
    pager,
    computed(() => result.value?.numbers),
  );
  return {
    numbers: items,
    loading,
    error,
    ...page,
    refresh: () => refetch(),
  };
}
