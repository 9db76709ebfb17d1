import { computed, reactive, ref, watch, type WatchSource } from 'vue';
import type { BulkNumberFilter, BulkSelectionInput, OperationKind } from '../graphql/generated/graphql';

/** A picked row: what the bulk bar needs of it without the page it was on. */
export interface PickedNumber {
  id: string;
  msisdn: string;
  allowedOperations: readonly OperationKind[];
}

/**
 * The numbers list's selection: rows picked one by one (kept while turning pages), or "all numbers matching" the
 * list's search and filter. A new company, search or filter (`resetOn`) clears it, since what was picked was
 * picked from another list.
 */
export function useNumberSelection(filter: () => BulkNumberFilter, resetOn: WatchSource[]) {
  const picked = reactive(new Map<string, PickedNumber>());
  const allMatching = ref(false);

  function clear(): void {
    picked.clear();
    allMatching.value = false;
  }
  watch(resetOn, clear);

  const isPicked = (id: string) => allMatching.value || picked.has(id);
  function toggle(row: PickedNumber, on = !picked.has(row.id)): void {
    allMatching.value = false;
    if (on) picked.set(row.id, { id: row.id, msisdn: row.msisdn, allowedOperations: row.allowedOperations });
    else picked.delete(row.id);
  }
  /** Picks every row of the page, or unpicks them all when all are picked already. */
  function togglePage(rows: readonly PickedNumber[]): void {
    const all = rows.length > 0 && rows.every((row) => picked.has(row.id));
    allMatching.value = false;
    for (const row of rows) toggle(row, !all);
  }
  const pageState = (rows: readonly PickedNumber[]): 'all' | 'some' | 'none' => {
    if (allMatching.value) return 'all';
    const count = rows.filter((row) => picked.has(row.id)).length;
    return count === 0 ? 'none' : count === rows.length ? 'all' : 'some';
  };
  function selectAllMatching(): void {
    picked.clear();
    allMatching.value = true;
  }

  const count = computed(() => picked.size);
  const active = computed(() => allMatching.value || picked.size > 0);
  /** The allowed operations of each picked row; null for "all matching", whose rows are not all known here. */
  const allowed = computed(() => (allMatching.value ? null : [...picked.values()].map((row) => row.allowedOperations)));
  /** The API's selection for what is picked. */
  const selection = (): BulkSelectionInput => {
    if (allMatching.value) {
      const { search, state } = filter();
      return { matching: { search: search || undefined, state: state ?? undefined } };
    }
    return { numberIds: [...picked.keys()] };
  };

  return { picked, allMatching, count, active, allowed, isPicked, toggle, togglePage, pageState, selectAllMatching, clear, selection };
}
