import { apiError } from './errors';
import { downloadFile, saveDownload } from './download';

/** jsdom has no Response: the part of one that saveDownload reads. */
function response(status: number, body: string) {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    json: async () => JSON.parse(body) as unknown,
    blob: async () => new Blob([body]),
  };
}

describe('saveDownload', () => {
  const realFetch = globalThis.fetch;
  let clicked: { href: string; download: string }[];

  beforeEach(() => {
    clicked = [];
    URL.createObjectURL = jest.fn(() => 'blob:file');
    URL.revokeObjectURL = jest.fn();
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    jest.restoreAllMocks();
  });

  it('fetches the link with the session and saves the file under its name', async () => {
    const fetch = jest.fn(async () => response(200, 'data'));
    globalThis.fetch = fetch as unknown as typeof globalThis.fetch;
    const link = await downloadFile(async () => ({ url: '/downloads/abc', filename: 'usage.xlsx' }));
    expect(link.filename).toBe('usage.xlsx');
    expect(fetch).toHaveBeenCalledWith('/downloads/abc', { credentials: 'same-origin' });
    expect(clicked).toEqual([{ href: 'blob:file', download: 'usage.xlsx' }]);
    expect(document.querySelector('a[download]')).toBeNull();
  });

  it('turns a refused link into an API error with its code', async () => {
    const body = JSON.stringify({ errors: [{ message: 'This download link has expired', extensions: { code: 'DOWNLOAD_EXPIRED' } }] });
    globalThis.fetch = jest.fn(async () => response(410, body)) as unknown as typeof globalThis.fetch;
    const error = await saveDownload({ url: '/downloads/old', filename: 'x.pdf' }).catch((e: unknown) => e);
    expect(apiError(error)).toMatchObject({ code: 'DOWNLOAD_EXPIRED', message: 'This download link has expired' });
    expect(clicked).toEqual([]);
  });

  it('reads the status when the answer is not JSON', async () => {
    globalThis.fetch = jest.fn(async () => response(404, '<html>')) as unknown as typeof globalThis.fetch;
    const error = await saveDownload({ url: '/downloads/x', filename: 'x.pdf' }).catch((e: unknown) => e);
    expect(apiError(error).code).toBe('NOT_FOUND');
  });
});
