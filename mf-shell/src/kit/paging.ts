import { computed, ref, watch, type WatchSource } from 'vue';

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
