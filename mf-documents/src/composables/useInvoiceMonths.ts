import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { InvoiceMonthsDocument } from '../graphql/generated/graphql';

/** The months (YYYY-MM, newest first) the API can issue the company's monthly documents for: ended, with charges. */
export function useInvoiceMonths(companyId: Ref<string | null>) {
  const { result, loading, error } = useQuery(
    InvoiceMonthsDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({
      enabled: Boolean(companyId.value),
      fetchPolicy: 'cache-and-network',
    }),
  );
  return { months: computed(() => result.value?.company.invoiceMonths ?? []), loading, error };
}
