import { useApolloClient } from '@vue/apollo-composable';
import { useBulkOperation, useBulkUpload } from './useBulkOperation';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const plan = (token: string, changes = 3) => ({
  token,
  total: 5,
  changes,
  groups: [],
  invalidLines: [],
  invalidLineCount: 0,
  monthlyFeeChange: null,
  approvalRequired: false,
});
const operation = { id: 'QnVsazox', status: 'RUNNING', total: 5 };
const refusal = (code: string) => Object.assign(new Error(code), { graphQLErrors: [{ message: code, extensions: { code } }] });
const input = { companyId: 'c1', kind: 'BLOCK_NUMBER' as const, selection: { numberIds: ['n1', 'n2'] } };

function setUp(mutate: jest.Mock) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  return useBulkOperation();
}

describe('useBulkOperation', () => {
  it('runs the dry run, then confirms the same input with the plan’s token and an idempotency key', async () => {
    const mutate = jest
      .fn()
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1'), operation: null } } })
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1'), operation } } });
    const bulk = setUp(mutate);
    expect((await bulk.dryRun(input)).ok).toBe(true);
    expect(mutate.mock.calls[0][0].variables).toEqual({ input, dryRun: true });
    expect(bulk.plan.value?.token).toBe('t1');
    const outcome = await bulk.confirm();
    expect(outcome).toMatchObject({ ok: true, operation });
    expect(mutate.mock.calls[1][0].variables).toMatchObject({ input, dryRun: false, token: 't1' });
    expect(mutate.mock.calls[1][0].variables.idempotencyKey).toMatch(/^[A-Za-z0-9_.:-]{1,100}$/);
  });

  it('repeats a confirmation that got no answer with the same idempotency key', async () => {
    const mutate = jest
      .fn()
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1'), operation: null } } })
      .mockRejectedValueOnce(new Error('Failed to fetch'))
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1'), operation } } });
    const bulk = setUp(mutate);
    await bulk.dryRun(input);
    expect((await bulk.confirm()).ok).toBe(false);
    expect(bulk.error.value?.code).toBe('NETWORK_ERROR');
    expect((await bulk.confirm()).ok).toBe(true);
    expect(mutate.mock.calls[2][0].variables.idempotencyKey).toBe(mutate.mock.calls[1][0].variables.idempotencyKey);
  });

  it('on DRY_RUN_OUTDATED runs the dry run again and shows the new plan to be confirmed', async () => {
    const mutate = jest
      .fn()
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1'), operation: null } } })
      .mockRejectedValueOnce(refusal('DRY_RUN_OUTDATED'))
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t2', 2), operation: null } } })
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t2', 2), operation } } });
    const bulk = setUp(mutate);
    await bulk.dryRun(input);
    const outcome = await bulk.confirm();
    expect(outcome).toMatchObject({ ok: false, error: { code: 'DRY_RUN_OUTDATED' } });
    expect(mutate.mock.calls[2][0].variables).toEqual({ input, dryRun: true });
    expect(bulk.plan.value?.token).toBe('t2');
    expect(bulk.outdated.value).toBe(true);
    await bulk.confirm();
    expect(mutate.mock.calls[3][0].variables).toMatchObject({ dryRun: false, token: 't2' });
  });

  it('answers the API’s refusal of the dry run without rejecting', async () => {
    const bulk = setUp(jest.fn().mockRejectedValue(refusal('BULK_TOO_LARGE')));
    expect(await bulk.dryRun(input)).toMatchObject({ ok: false, error: { code: 'BULK_TOO_LARGE' } });
    expect(bulk.plan.value).toBeNull();
  });
});

describe('useBulkUpload', () => {
  afterEach(() => jest.restoreAllMocks());

  it('asks for a signed URL, then POSTs the file there', async () => {
    const mutate = jest.fn().mockResolvedValue({ data: { createBulkUpload: { url: '/uploads/signed', expiresAt: '2026-12-02T08:00:00Z' } } });
    (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
    globalThis.fetch = jest
      .fn()
      .mockResolvedValue({ ok: true, status: 200, json: async () => ({ uploadId: 'u1', lines: 2, withIccid: true, invalidLineCount: 0 }) });
    const { upload } = useBulkUpload();
    const outcome = await upload('c1', new File(['MSISDN;ICCID\n'], 'sims.csv', { type: 'text/csv' }));
    expect(outcome).toMatchObject({ ok: true, receipt: { uploadId: 'u1', withIccid: true } });
    expect(mutate.mock.calls[0][0].variables).toEqual({ companyId: 'c1' });
    expect((globalThis.fetch as jest.Mock).mock.calls[0][0]).toBe('/uploads/signed');
  });

  it('refuses a file that is neither CSV nor XLSX before asking the API', async () => {
    const mutate = jest.fn();
    (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
    const { upload } = useBulkUpload();
    expect(await upload('c1', new File(['%PDF'], 'list.pdf', { type: 'application/pdf' }))).toMatchObject({ ok: false, error: { code: 'UPLOAD_INVALID' } });
    expect(mutate).not.toHaveBeenCalled();
  });
});
