import { selectedCompanyId, type CursorPager } from '@cabinet/kit';
import { computed, watch } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw, type LocationQueryValue } from 'vue-router';
import type { NumberState } from '../graphql/generated/graphql';

export const NUMBER_STATES: readonly NumberState[] = ['ACTIVE', 'BLOCKED', 'BLOCKED_DEBT', 'IN_PROCESS'];

const values = (value: LocationQueryValue | LocationQueryValue[] | undefined): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

/**
 * The numbers list's search, state filter and page, kept in the URL (`?q=…&state=…&after=…`, one `after` per page
 * turned), so that a reload, Back and a shared link show the same list. A new search or filter starts from the
 * first page; switching company clears the search and the page.
 */
export function useNumberListRoute() {
  const route = useRoute();
  const router = useRouter();
  const search = computed(() => values(route.query.q)[0] ?? '');
  const state = computed<NumberState | null>(() => {
    const given = values(route.query.state)[0];
    return NUMBER_STATES.find((s) => s === given) ?? null;
  });
  const cursors = computed(() => values(route.query.after));

  function go(change: { search?: string; state?: NumberState | null; cursors?: string[] }): void {
    const query: LocationQueryRaw = {};
    const q = change.search ?? search.value;
    const s = change.state === undefined ? state.value : change.state;
    if (q) query.q = q;
    if (s) query.state = s;
    const after = change.cursors ?? [];
    if (after.length > 0) query.after = after;
    void router.push({ query });
  }

  watch(selectedCompanyId, (now, before) => {
    if (before && now !== before && (search.value || cursors.value.length > 0)) go({ search: '', cursors: [] });
  });

  const pager: CursorPager = {
    after: computed(() => cursors.value[cursors.value.length - 1]),
    page: computed(() => cursors.value.length + 1),
    hasPrevious: computed(() => cursors.value.length > 0),
    next(endCursor) {
      if (endCursor) go({ cursors: [...cursors.value, endCursor] });
    },
    previous() {
      if (cursors.value.length > 0) go({ cursors: cursors.value.slice(0, -1) });
    },
    reset() {
      go({ cursors: [] });
    },
  };

  return {
    search,
    state,
    pager,
    setSearch: (value: string) => go({ search: value }),
    setState: (value: NumberState | null) => go({ state: value }),
  };
}
