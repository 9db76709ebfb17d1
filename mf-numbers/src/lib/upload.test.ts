import { apiError } from '@cabinet/kit';
import { postUpload, uploadContentType } from './upload';

const answer = (status: number, body: unknown) => ({ ok: status < 300, status, statusText: '', json: async () => body }) as unknown as Response;

describe('uploads', () => {
  afterEach(() => jest.restoreAllMocks());

  it('sends CSV and XLSX with their content types, by type or by name', () => {
    expect(uploadContentType({ name: 'list.csv', type: '' })).toBe('text/csv');
    expect(uploadContentType({ name: 'LIST.XLSX', type: '' })).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(uploadContentType({ name: 'x', type: 'text/csv' })).toBe('text/csv');
    expect(uploadContentType({ name: 'list.pdf', type: 'application/pdf' })).toBeNull();
  });

  it('POSTs the bytes with the session cookie and answers the receipt', async () => {
    const fetch = jest.fn().mockResolvedValue(answer(200, { uploadId: 'QnVsa1VwbG9hZDox', lines: 12, withIccid: false, invalidLineCount: 2 }));
    globalThis.fetch = fetch;
    const file = new Blob(['MSISDN\n77010542006\n']);
    const receipt = await postUpload('/uploads/token', file, 'text/csv');
    expect(receipt).toEqual({ uploadId: 'QnVsa1VwbG9hZDox', lines: 12, withIccid: false, invalidLineCount: 2 });
    expect(fetch).toHaveBeenCalledWith('/uploads/token', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'text/csv' }, body: file });
  });

  it('rejects with the route’s code, read by apiError like any API error', async () => {
    globalThis.fetch = jest.fn().mockResolvedValue(answer(400, { errors: [{ message: 'No MSISDN column', extensions: { code: 'UPLOAD_INVALID' } }] }));
    const error = await postUpload('/uploads/token', new Blob(['x']), 'text/csv').catch((e: unknown) => e);
    expect(apiError(error)).toMatchObject({ code: 'UPLOAD_INVALID', message: 'No MSISDN column' });
    globalThis.fetch = jest.fn().mockResolvedValue(answer(410, null));
    expect(apiError(await postUpload('/uploads/token', new Blob(['x']), 'text/csv').catch((e: unknown) => e)).code).toBe('UPLOAD_EXPIRED');
  });
});
