import { attempt, connectionPage, downloadFile, useCursorPager } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { DownloadPaymentHistoryDocument, PaymentHistoryDocument } from '../graphql/generated/graphql';
import type { Period } from './usePeriod';

export interface UsePaymentHistoryOptions {
  numberId: Ref<string>;
  period: Ref<Period>;
  /** False while it is not known yet that the number pays in advance: a Credit number's payments are not asked for (each answer is a recorded view). */
  enabled?: Ref<boolean>;
  pageSize?: number;
}

/**
 * Payment history of an Advance number (F19) for the period shown, a page at a time, and the same as an XLSX file.
 * Every answer is a recorded view, so nothing is served from the cache.
 */
export function usePaymentHistory({ numberId, period, enabled, pageSize = 50 }: UsePaymentHistoryOptions) {
  const pager = useCursorPager([numberId, period]);
  const { result, loading, error, refetch } = useQuery(
    PaymentHistoryDocument,
    () => ({ numberId: numberId.value, from: period.value.from, to: period.value.to, first: pageSize, after: pager.after.value }),
    () => ({ enabled: Boolean(numberId.value) && (enabled?.value ?? true), fetchPolicy: 'network-only', keepPreviousResult: true }),
  );
  const { items, ...page } = connectionPage(
    pager,
    computed(() => result.value?.number.payments),
  );
  const { mutate } = useMutation(DownloadPaymentHistoryDocument);

  /** Asks for the XLSX of the period shown and saves it; rejects with the API's error. */
  const download = () =>
    attempt(async () => ({
      link: await downloadFile(
        async () => (await mutate({ numberId: numberId.value, from: period.value.from, to: period.value.to }))?.data?.downloadPaymentHistory,
      ),
    }));

  return { payments: items, loading, error, ...page, download, refresh: () => refetch() };
}
