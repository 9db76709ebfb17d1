import { connectionPage, useCursorPager } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { CreditPaymentsDocument, DownloadCreditPaymentsDocument } from '../graphql/generated/graphql';

/**
 * Payment history of the company's Credit accounts (F20) for the period asked for, a page at a time; nothing is
 * asked until a period is given (each view is recorded in the actions history).
 */
export function useCreditPayments({
  companyId,
  period,
  pageSize = 25,
}: {
  companyId: Ref<string | null>;
  period: Ref<{ from: string; to: string } | null>;
  pageSize?: number;
}) {
  const pager = useCursorPager([companyId, period]);
  const variables = computed(() => ({
    companyId: companyId.value ?? '',
    from: period.value?.from,
    to: period.value?.to,
    first: pageSize,
    after: pager.after.value,
  }));
  const { result, loading, error } = useQuery(CreditPaymentsDocument, variables, () => ({
    enabled: Boolean(companyId.value && period.value),
    fetchPolicy: 'network-only',
    keepPreviousResult: true,
  }));
  const { items, ...page } = connectionPage(
    pager,
    computed(() => result.value?.company.creditPayments),
  );
  const { mutate } = useMutation(DownloadCreditPaymentsDocument);
  return {
    payments: items,
    loading,
    error,
    ...page,
    /** Asks for the XLSX of the same period. */
    requestXlsx: async (from: string, to: string) => (await mutate({ companyId: companyId.value ?? '', from, to }))?.data?.downloadCreditPayments,
  };
}
