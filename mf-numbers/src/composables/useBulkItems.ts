import { connectionPage, useCursorPager } from '@cabinet/kit';
import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { BulkOperationItemsDocument, type BulkItemStatus } from '../graphql/generated/graphql';

/** One bulk operation with a page of its items (optionally of one status); a new status starts from the first page. */
export function useBulkItems(id: Ref<string | null>, status: Ref<BulkItemStatus | null>, pageSize = 50) {
  const pager = useCursorPager([id, status]);
  const { result, loading, error, refetch } = useQuery(
    BulkOperationItemsDocument,
    () => ({ id: id.value ?? '', status: status.value ?? undefined, first: pageSize, after: pager.after.value }),
    () => ({ enabled: Boolean(id.value), fetchPolicy: 'cache-and-network', keepPreviousResult: true }),
  );
  const operation = computed(() => result.value?.bulkOperation ?? null);
  const { items, ...page } = connectionPage(
    pager,
    computed(() => result.value?.bulkOperation?.items),
  );
  return { operation, items, loading, error, ...page, refetch: () => void refetch() };
}
