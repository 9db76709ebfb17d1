import { showToast, useAttempt, type Outcome } from '@cabinet/kit';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { phoneInText } from '../lib/phone';
import { useApolloClient } from '@vue/apollo-composable';
import { computed, reactive, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  BlockNumberDocument,
  CancelCallForwardingDocument,
  ChangeTariffDocument,
  ConnectServiceDocument,
  DeleteSecretCodeDocument,
  DisconnectServiceDocument,
  RegisterDeviceDocument,
  ReplaceSimDocument,
  SendSecretCodeDocument,
  SetCallForwardingDocument,
  SetSmsUssdBanDocument,
  UnblockNumberDocument,
  UnregisterDeviceDocument,
  type BlockNumberMutationVariables,
  type OperationFieldsFragment,
  type OperationKind,
} from '../graphql/generated/graphql';

/** The mutation of every operation kind of the schema (a kind added there fails the type check until it is here). */
export const OPERATION_DOCUMENTS = {
  BLOCK_NUMBER: BlockNumberDocument,
  UNBLOCK_NUMBER: UnblockNumberDocument,
  REPLACE_SIM: ReplaceSimDocument,
  CONNECT_SERVICE: ConnectServiceDocument,
  DISCONNECT_SERVICE: DisconnectServiceDocument,
  REGISTER_DEVICE: RegisterDeviceDocument,
  UNREGISTER_DEVICE: UnregisterDeviceDocument,
  SET_SMS_USSD_BAN: SetSmsUssdBanDocument,
  SET_CALL_FORWARDING: SetCallForwardingDocument,
  CANCEL_CALL_FORWARDING: CancelCallForwardingDocument,
  SEND_SECRET_CODE: SendSecretCodeDocument,
  DELETE_SECRET_CODE: DeleteSecretCodeDocument,
  CHANGE_TARIFF: ChangeTariffDocument,
} as const satisfies Record<OperationKind, unknown>;

/** One change of a number, as the administrator asks for it: a kind and its mutation's arguments. */
export type OperationRequest = {
  [K in OperationKind]: { kind: K } & Omit<VariablesOf<(typeof OPERATION_DOCUMENTS)[K]>, 'numberId' | 'idempotencyKey'>;
}[OperationKind];

/**
 * Operations submitted from this page and not finished yet, by ID: their outcome, pushed by the gateway,
 * is announced to the administrator who asked.
 */
export const submittedOperations = reactive(new Map<string, OperationFieldsFragment>());

function newKey(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `cabinet-${random}`;
}

/**
 * Submits operations on one number. Each intended operation carries an idempotency key, kept until the gateway
 * accepts it: a repeated submission (a double click, a retry after a lost answer) returns the first operation
 * instead of running it twice.
 */
export function useNumberOperation(numberId: () => string) {
  const { resolveClient } = useApolloClient();
  const { t } = useI18n();
  const { run, busy: submitting, error, reset } = useAttempt();
  let base = newKey();

  // "Already being carried out" holds only while that operation runs: once one of the number's operations
  // finishes (its outcome is announced), the refusal is stale and is taken away.
  const running = computed(() => [...submittedOperations.values()].filter((operation) => operation.number.id === numberId()).length);
  watch(running, (now, before) => {
    if (now < before && error.value?.code === 'OPERATION_IN_PROGRESS') error.value = null;
  });

  /** Takes an "already being carried out" refusal away when the operations in process on the number change. */
  function pendingChanged(): void {
    if (error.value?.code === 'OPERATION_IN_PROGRESS') error.value = null;
  }

  async function submit(request: OperationRequest, msisdn: string): Promise<Outcome<{ operation: OperationFieldsFragment }>> {
    // A second submission while the first is on its way (a double click) is not sent: the first one answers.
    if (submitting.value) return { ok: false, error: { code: 'OPERATION_IN_PROGRESS', message: 'This operation is already being sent' } };
    const { kind, ...args } = request;
    return run(async () => {
      const { data } = await resolveClient().mutate({
        mutation: OPERATION_DOCUMENTS[kind] as typeof BlockNumberDocument,
        variables: { numberId: numberId(), ...args, idempotencyKey: `${base}:${kind}` } as BlockNumberMutationVariables,
        refetchQueries: ['NumberOperations'],
      });
      const operation = data ? (Object.values(data)[0] as OperationFieldsFragment) : null;
      if (!operation) throw new Error('The API returned no operation');
      base = newKey();
      if (operation.status === 'IN_PROCESS') submittedOperations.set(operation.id, operation);
      showToast(t('numbers.operations.accepted', { operation: t(`numbers.operations.kinds.${kind}`), number: phoneInText(msisdn) }), 'info');
      return { operation };
    });
  }

  return { submit, submitting, error, pendingChanged, reset };
}
