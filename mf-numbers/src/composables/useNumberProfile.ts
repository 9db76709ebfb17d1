import { useAttempt, type Outcome } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, ref, watch, type Ref } from 'vue';
import { NumberOperationsDocument, NumberProfileDocument, RevealSimCodesDocument, type RevealSimCodesMutation } from '../graphql/generated/graphql';

/** The number profile (F8–F11): state, balances, general information, SIM and device, allowances and services. */
export function useNumberProfile(id: Ref<string | null>) {
  const { result, loading, error, refetch } = useQuery(
    NumberProfileDocument,
    () => ({ id: id.value ?? '' }),
    () => ({
      enabled: Boolean(id.value),
      fetchPolicy: 'cache-and-network',
    }),
  );
  return { number: computed(() => result.value?.number ?? null), loading, error, refresh: () => refetch() };
}

/** The number's most recent operations, newest first: what is still in process and how the last ones ended. */
export function useRecentOperations(companyId: Ref<string | null>, numberId: Ref<string | null>, first = 5) {
  const { result, loading, error, refetch } = useQuery(
    NumberOperationsDocument,
    () => ({ companyId: companyId.value ?? '', numberId: numberId.value ?? '', first }),
    () => ({ enabled: Boolean(companyId.value && numberId.value), fetchPolicy: 'cache-and-network' }),
  );
  const operations = computed(() => result.value?.operations.edges.map((edge) => edge.node) ?? []);
  return {
    operations,
    inProcess: computed(() => operations.value.filter((operation) => operation.status === 'IN_PROCESS')),
    loading,
    error,
    refresh: () => refetch(),
  };
}

/** PIN and PUK codes of the number's SIM card: shown only on request, and every reveal is in the actions history. */
export function useSimCodes(numberId: Ref<string | null>) {
  const { mutate } = useMutation(RevealSimCodesDocument);
  const { run, busy: revealing, error } = useAttempt();
  const codes = ref<RevealSimCodesMutation['revealSimCodes'] | null>(null);
  watch(numberId, () => {
    codes.value = null;
  });
  function reveal(): Promise<Outcome<{ codes: RevealSimCodesMutation['revealSimCodes'] }>> {
    return run(async () => {
      const revealed = (await mutate({ numberId: numberId.value ?? '' }))?.data?.revealSimCodes;
      if (!revealed) throw new Error('The API returned no codes');
      codes.value = revealed;
      return { codes: revealed };
    });
  }
  return { codes, revealing, error, reveal, hide: () => (codes.value = null) };
}
