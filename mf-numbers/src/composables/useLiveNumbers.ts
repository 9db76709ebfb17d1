import { showToast } from '@cabinet/kit';
import { phoneInText } from '../lib/phone';
import { useApolloClient, useSubscription } from '@vue/apollo-composable';
import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { NumberChangedDocument, OperationChangedDocument, type OperationFieldsFragment } from '../graphql/generated/graphql';
import { submittedOperations } from './useNumberOperation';

/**
 * Live changes of a company's numbers and operations (graphql-ws). An event carries the number's state and
 * balances only: they land in the shared cache, so every list row and profile showing the number follows. A page
 * showing one number (`shownNumberId`) refetches that number's profile and operations when an event is about it —
 * and only then, so a busy company does not make every open page refetch. After a dropped connection the kit
 * resumes both subscriptions from their last event's `cursor` (`$after`): the events missed meanwhile arrive first,
 * so nothing is refetched; the kit refetches what is shown only when the gateway answers CURSOR_EXPIRED. The outcome
 * of an operation submitted from this page is announced.
 */
export function useLiveNumbers(companyId: Ref<string | null>, shownNumberId: Ref<string | null> = ref(null)) {
  const { t } = useI18n();
  const { resolveClient } = useApolloClient();
  const variables = () => ({ companyId: companyId.value ?? '' });
  const options = () => ({ enabled: Boolean(companyId.value) });
  const numbers = useSubscription(NumberChangedDocument, variables, options);
  const operations = useSubscription(OperationChangedDocument, variables, options);

  function announce(operation: OperationFieldsFragment): void {
    if (operation.status === 'IN_PROCESS' || !submittedOperations.has(operation.id)) return;
    submittedOperations.delete(operation.id);
    const values = { operation: t(`numbers.operations.kinds.${operation.kind}`), number: phoneInText(operation.number.msisdn) };
    if (operation.status === 'SUCCESS') showToast(t('numbers.operations.succeeded', values), 'success');
    else showToast(t('numbers.operations.failed', { ...values, reason: operation.failureReason ?? '—' }), 'error');
  }

  numbers.onResult(({ data }) => {
    const change = data?.numberChanged;
    if (!change) return;
    if (change.number.id === shownNumberId.value) void resolveClient().refetchQueries({ include: ['NumberProfile'] });
  });
  operations.onResult(({ data }) => {
    const change = data?.operationChanged;
    if (!change) return;
    if (change.operation.number.id === shownNumberId.value) void resolveClient().refetchQueries({ include: ['NumberOperations', 'NumberProfile'] });
    announce(change.operation);
  });
}
