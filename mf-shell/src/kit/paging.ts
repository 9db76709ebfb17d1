import { computed, ref, watch, type Ref, type WatchSource } from 'vue';

/**
 * Paging through a Relay connection: forward with the page's `endCursor`, back through the cursors already
 * seen (the API pages forward only). Any change of `resetOn` (a new company, search or filter) starts again.
 */
export function useCursorPager(resetOn: WatchSource[] = []) {
  const cursors = ref<(string | null)[]>([null]);
  if (resetOn.length > 0) {
    watch(resetOn, () => {
      cursors.value = [null];
    });
  }
  return {
    /** The `after` argument of the current page; undefined (not null) on the first, as the API wants it left out. */
    after: computed(() => cursors.value[cursors.value.length - 1] ?? undefined),
    page: computed(() => cursors.value.length),
    hasPrevious: computed(() => cursors.value.length > 1),
    next(endCursor: string | null | undefined): void {
      if (endCursor) cursors.value = [...cursors.value, endCursor];
    },
    previous(): void {
      if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
    },
    reset(): void {
      cursors.value = [null];
    },
  };
}

export type CursorPager = ReturnType<typeof useCursorPager>;

/** The part of a Relay connection that paging needs. */
export interface ConnectionLike<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * The page state of a screen showing one connection through a `useCursorPager`: its nodes, and next/previous
 * that only move when there is somewhere to go.
 */
export function connectionPage<T>(pager: CursorPager, connection: Ref<ConnectionLike<T> | null | undefined>) {
  return {
    items: computed(() => connection.value?.edges.map((edge) => edge.node) ?? []),
    page: pager.page,
    hasPrevious: pager.hasPrevious,
    hasNext: computed(() => Boolean(connection.value?.pageInfo.hasNextPage)),
    next(): void {
      if (connection.value?.pageInfo.hasNextPage) pager.next(connection.value.pageInfo.endCursor);
    },
    previous: pager.previous,
  };
}
