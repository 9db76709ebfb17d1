import { useAttempt, type Outcome } from '@cabinet/kit';
import { useApolloClient } from '@vue/apollo-composable';
import { ref, shallowRef } from 'vue';
import {
  BulkOperationDocument,
  CreateBulkUploadDocument,
  type BulkOperationStateFragment,
  type BulkOperationInput,
  type BulkPlanFieldsFragment,
} from '../graphql/generated/graphql';
import { postUpload, uploadContentType, UploadError, UPLOAD_MAX_BYTES, type UploadReceipt } from '../lib/upload';

/** One bulk operation as the administrator asks for it: the API's input. */
export type BulkRequest = BulkOperationInput;

function newKey(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `cabinet-bulk-${random}`;
}

/**
 * The dry run and the confirmation of a bulk (or scheduled, or approval-needing single) operation. `dryRun` asks
 * the API what the request would do and keeps its plan; `confirm` sends the same request with the plan's token, so
 * that what runs is what was shown. When the numbers changed meanwhile (DRY_RUN_OUTDATED) the dry run is repeated
 * at once and `outdated` says so: the new plan is shown to be confirmed again. One idempotency key per request,
 * kept until the API accepts it, makes a repeated confirmation (a double click, a retry) create one operation.
 */
export function useBulkOperation() {
  const { resolveClient } = useApolloClient();
  const { run, busy, error, reset } = useAttempt();
  const plan = shallowRef<BulkPlanFieldsFragment | null>(null);
  const request = shallowRef<BulkRequest | null>(null);
  const outdated = ref(false);
  let key = newKey();

  async function send(input: BulkRequest, dryRun: boolean) {
    const { data } = await resolveClient().mutate({
      mutation: BulkOperationDocument,
      variables: dryRun ? { input, dryRun } : { input, dryRun, token: plan.value?.token, idempotencyKey: key },
      refetchQueries: dryRun ? [] : ['BulkOperations', 'NumberOperations'],
    });
    if (!data?.bulkOperation) throw new Error('The API returned no plan');
    return data.bulkOperation;
  }

  async function dryRun(input: BulkRequest): Promise<Outcome<{ plan: BulkPlanFieldsFragment }>> {
    if (request.value !== input) key = newKey();
    request.value = input;
    plan.value = null;
    outdated.value = false;
    return run(async () => {
      const answer = await send(input, true);
      plan.value = answer.plan;
      return { plan: answer.plan };
    });
  }

  async function confirm(): Promise<Outcome<{ operation: BulkOperationStateFragment }>> {
    const input = request.value;
    if (!input || !plan.value) return { ok: false, error: { code: 'DRY_RUN_OUTDATED', message: 'No dry run to confirm' } };
    if (busy.value) return { ok: false, error: { code: 'OPERATION_IN_PROGRESS', message: 'This operation is already being sent' } };
    const outcome = await run(async () => {
      const answer = await send(input, false);
      if (!answer.operation) throw new Error('The API returned no operation');
      return { operation: answer.operation };
    });
    if (outcome.ok) {
      key = newKey();
      return outcome;
    }
    if (outcome.error.code === 'DRY_RUN_OUTDATED') {
      // The selection is not what the plan showed any more: the new plan replaces it, to be confirmed again.
      const again = await dryRun(input);
      outdated.value = again.ok;
    }
    return outcome;
  }

  function clear(): void {
    plan.value = null;
    request.value = null;
    outdated.value = false;
    reset();
  }

  return { plan, request, outdated, busy, error, dryRun, confirm, clear, reset };
}

/**
 * Uploads a list of numbers (CSV or XLSX, MSISDN and optionally ICCID columns) for a bulk operation: asks the API
 * for a signed upload URL, then POSTs the file's bytes there with the session's cookie. Answers the route's
 * receipt (`uploadId` for the dry run's selection).
 */
export function useBulkUpload() {
  const { resolveClient } = useApolloClient();
  const { run, busy, error, reset } = useAttempt();

  async function upload(companyId: string, file: File): Promise<Outcome<{ receipt: UploadReceipt }>> {
    return run(async () => {
      const contentType = uploadContentType(file);
      if (!contentType) throw new UploadError('UPLOAD_INVALID', 'Not a CSV or XLSX file');
      if (file.size > UPLOAD_MAX_BYTES) throw new UploadError('UPLOAD_INVALID', 'The file is larger than 20 MB');
      const { data } = await resolveClient().mutate({ mutation: CreateBulkUploadDocument, variables: { companyId } });
      if (!data?.createBulkUpload) throw new Error('The API returned no upload URL');
      return { receipt: await postUpload(data.createBulkUpload.url, file, contentType) };
    });
  }

  return { upload, busy, error, reset };
}
