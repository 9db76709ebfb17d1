import { downloadFile, useAttempt, type Outcome } from '@cabinet/kit';
import { useApolloClient, useQuery, useSubscription } from '@vue/apollo-composable';
import { computed, onBeforeUnmount, type Ref } from 'vue';
import {
  ApprovalPolicyDocument,
  ApproveBulkOperationDocument,
  BulkOperationChangedDocument,
  BulkOperationsDocument,
  BulkResultsDownloadDocument,
  CancelBulkOperationDocument,
  PauseBulkOperationDocument,
  RejectBulkOperationDocument,
  RescheduleBulkOperationDocument,
  ResumeBulkOperationDocument,
  SetApprovalPolicyDocument,
  type BulkOperationStateFragment,
  type BulkOperationStatus,
  type BulkResultsFormat,
} from '../graphql/generated/graphql';
import { coalesce } from '../lib/coalesce';

/** At most this many refetches a second of what a page shows while bulk operations report progress. */
export const REFETCHES_PER_SECOND = 2;

/**
 * Calls `refetch` when any bulk operation of the company changes (progress, status), coalesced to at most
 * REFETCHES_PER_SECOND: items of a bulk operation publish no per-number events, so a page showing numbers or
 * jobs refetches what it shows instead. `onChange` sees every change as it comes.
 */
export function useBulkChanges(companyId: Ref<string | null>, refetch: () => void, onChange?: (operation: BulkOperationStateFragment) => void) {
  const gate = coalesce(refetch, 1000 / REFETCHES_PER_SECOND);
  const subscription = useSubscription(
    BulkOperationChangedDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({ enabled: Boolean(companyId.value) }),
  );
  subscription.onResult(({ data }) => {
    const change = data?.bulkOperationChanged;
    if (!change) return;
    onChange?.(change.operation);
    gate.request();
  });
  onBeforeUnmount(() => gate.stop());
}

/** A company's bulk operations in some statuses (or of one number), newest first, followed live. */
export function useBulkOperations(
  companyId: Ref<string | null>,
  statuses: readonly BulkOperationStatus[],
  numberId: Ref<string | null> = computed(() => null),
  first = 50,
) {
  const { result, loading, error, refetch } = useQuery(
    BulkOperationsDocument,
    () => ({ companyId: companyId.value ?? '', statuses: [...statuses], numberId: numberId.value ?? undefined, first }),
    () => ({ enabled: Boolean(companyId.value), fetchPolicy: 'cache-and-network', keepPreviousResult: true }),
  );
  const operations = computed(() => result.value?.bulkOperations.edges.map((edge) => edge.node) ?? []);
  return { operations, loading, error, refetch: () => void refetch() };
}

type Control = 'pause' | 'resume' | 'cancel';
const CONTROLS = { pause: PauseBulkOperationDocument, resume: ResumeBulkOperationDocument, cancel: CancelBulkOperationDocument } as const;

/**
 * What an administrator does to a bulk operation: pause, resume, cancel, reschedule, approve or reject it, and
 * download its results. Each answers an `Outcome` (the API's refusal, never a rejection).
 */
export function useBulkControls() {
  const { resolveClient } = useApolloClient();
  const { run, busy, error, reset } = useAttempt();
  const refetchQueries = ['BulkOperations'];

  const control = (what: Control, id: string): Promise<Outcome<{ operation: BulkOperationStateFragment }>> =>
    run(async () => {
      const { data } = await resolveClient().mutate({ mutation: CONTROLS[what] as typeof PauseBulkOperationDocument, variables: { id }, refetchQueries });
      const operation = data ? (Object.values(data)[0] as BulkOperationStateFragment) : null;
      if (!operation) throw new Error('The API returned no operation');
      return { operation };
    });

  const reschedule = (id: string, startAt: string) =>
    run(async () => {
      const { data } = await resolveClient().mutate({ mutation: RescheduleBulkOperationDocument, variables: { id, startAt }, refetchQueries });
      return { operation: data!.rescheduleBulkOperation };
    });

  const decide = (id: string, approved: boolean, comment: string) =>
    run(async () => {
      if (approved) {
        const { data } = await resolveClient().mutate({
          mutation: ApproveBulkOperationDocument,
          variables: { id, comment: comment || undefined },
          refetchQueries,
        });
        return { operation: data!.approveBulkOperation };
      }
      const { data } = await resolveClient().mutate({ mutation: RejectBulkOperationDocument, variables: { id, comment }, refetchQueries });
      return { operation: data!.rejectBulkOperation };
    });

  const download = (id: string, format: BulkResultsFormat) =>
    run(async () => {
      const link = await downloadFile(
        async () => (await resolveClient().mutate({ mutation: BulkResultsDownloadDocument, variables: { id, format } })).data?.bulkResultsDownload,
      );
      return { link };
    });

  return { control, reschedule, decide, download, busy, error, reset };
}

/** A company's approval policy and its change. */
export function useApprovalPolicy(companyId: Ref<string | null>) {
  const { result, loading, error } = useQuery(
    ApprovalPolicyDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({ enabled: Boolean(companyId.value) }),
  );
  const policy = computed(() => result.value?.company.approvalPolicy ?? null);
  const { resolveClient } = useApolloClient();
  const saving = useAttempt();
  const save = (simReplacement: boolean, bulkThreshold: number | null) =>
    saving.run(async () => {
      const { data } = await resolveClient().mutate({
        mutation: SetApprovalPolicyDocument,
        variables: { companyId: companyId.value ?? '', simReplacement, bulkThreshold },
        refetchQueries: ['ApprovalPolicy'],
      });
      return { policy: data?.setApprovalPolicy };
    });
  return { policy, loading, error, save, saving: saving.busy, saveError: saving.error };
}
