import { attempt, connectionPage, downloadFile, useCursorPager } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import {
  DownloadUsageDetailsDocument,
  HistoryNumberDocument,
  UsageRecordsDocument,
  UsageTotalsDocument,
  type DocumentFormat,
  type UsageKind,
} from '../graphql/generated/graphql';
import type { Period } from './usePeriod';

/** The number a history page is about (its msisdn and payment method for the heading). */
export function useHistoryNumber(numberId: Ref<string>) {
  const { result, loading, error } = useQuery(
    HistoryNumberDocument,
    () => ({ id: numberId.value }),
    () => ({ enabled: Boolean(numberId.value) }),
  );
  return { number: computed(() => result.value?.number ?? null), loading, error };
}

export interface UseUsageDetailsOptions {
  numberId: Ref<string>;
  period: Ref<Period>;
  type: Ref<UsageKind | null>;
  pageSize?: number;
}

/**
 * The itemized bill of a number (F18) for the period shown, a page at a time, with the totals of the period, and
 * the same records as a PDF or XLSX file. Every answer is a recorded view, so nothing is served from the cache.
 */
export function useUsageDetails({ numberId, period, type, pageSize = 50 }: UseUsageDetailsOptions) {
  const pager = useCursorPager([numberId, period, type]);
  const records = useQuery(
    UsageRecordsDocument,
    () => ({
      numberId: numberId.value,
      from: period.value.from,
      to: period.value.to,
      type: type.value ?? undefined,
      first: pageSize,
      after: pager.after.value,
    }),
    () => ({ enabled: Boolean(numberId.value), fetchPolicy: 'network-only', keepPreviousResult: true }),
  );
  const totals = useQuery(
    UsageTotalsDocument,
    () => ({ numberId: numberId.value, from: period.value.from, to: period.value.to }),
    () => ({ enabled: Boolean(numberId.value), fetchPolicy: 'network-only' }),
  );
  const { items, ...page } = connectionPage(
    pager,
    computed(() => records.result.value?.number.usage),
  );
  const { mutate } = useMutation(DownloadUsageDetailsDocument);

  /** Asks for the file of the period and kind shown and saves it; answers with the link's outcome. */
  const download = (format: DocumentFormat) =>
    attempt(async () => ({
      link: await downloadFile(async () => {
        const answer = await mutate({ numberId: numberId.value, from: period.value.from, to: period.value.to, type: type.value ?? undefined, format });
        return answer?.data?.downloadUsageDetails;
      }),
    }));

  return {
    records: items,
    totals: computed(() => totals.result.value?.number.usageTotals ?? null),
    loading: computed(() => records.loading.value),
    totalsLoading: totals.loading,
    error: computed(() => records.error.value ?? totals.error.value ?? null),
    ...page,
    download,
    refresh: () => Promise.all([records.refetch(), totals.refetch()]),
  };
}
