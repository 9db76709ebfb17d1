/** What a download mutation returns (the API's `Download`): a path to GET with the same session, within minutes. */
export interface DownloadLink {
  url: string;
  filename: string;
  expiresAt?: string;
}

/**
 * A failed `GET /downloads/…`, shaped like an Apollo error so that `apiError` reads its code
 * (DOWNLOAD_EXPIRED, NOT_FOUND, UNAUTHENTICATED…) exactly as for a GraphQL request.
 */
export class DownloadError extends Error {
  readonly graphQLErrors: { message: string; extensions: { code: string } }[];

  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
    this.graphQLErrors = [{ message, extensions: { code } }];
  }
}

/** How long a saved file's blob URL stays valid after the click. */
const REVOKE_AFTER_MS = 60_000;

const STATUS_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 410: 'DOWNLOAD_EXPIRED' };

async function failure(response: Response): Promise<DownloadError> {
  let code = STATUS_CODES[response.status] ?? 'INTERNAL_SERVER_ERROR';
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    const first = body.errors?.[0];
    if (first?.extensions?.code) code = first.extensions.code;
    if (first?.message) message = first.message;
  } catch {
    // Not JSON (a proxy's page): the status tells enough.
  }
  return new DownloadError(code, message, response.status);
}

/**
 * Fetches a download link with the session's cookie and saves the file under its name through a temporary
 * `<a download>`. Resolves with the saved blob; rejects with a `DownloadError` when the gateway refuses the link
 * and with the fetch error (read by `apiError` as NETWORK_ERROR) when it cannot be reached.
 */
export async function saveDownload(link: DownloadLink): Promise<Blob> {
  const response = await globalThis.fetch(link.url, { credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  try {
    const anchor = document.createElement('a');
    anchor.href = href;
    anchor.download = link.filename;
    anchor.rel = 'noopener';
    anchor.style.display = 'none';
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  } finally {
    // The browser reads the blob after the click, at its own pace: revoking it at once can cut the file short.
    setTimeout(() => URL.revokeObjectURL(href), REVOKE_AFTER_MS);
  }
  return blob;
}

/**
 * Asks the API for a file (a download mutation) and saves it: `downloadFile(() => mutate(vars).then(r => r.data.x))`.
 * Resolves with the link that was saved; rejects with the mutation's or the GET's error for `apiError`.
 */
export async function downloadFile(request: () => Promise<DownloadLink | null | undefined>): Promise<DownloadLink> {
  const link = await request();
  if (!link) throw new DownloadError('INTERNAL_SERVER_ERROR', 'The API returned no download');
  await saveDownload(link);
  return link;
}
