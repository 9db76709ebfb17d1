/** What the upload route answers for an accepted file. */
export interface UploadReceipt {
  uploadId: string;
  lines: number;
  withIccid: boolean;
  invalidLineCount: number;
}

/** A refused upload, shaped like an Apollo error so that `apiError` reads its code (UPLOAD_INVALID, UPLOAD_EXPIRED…). */
export class UploadError extends Error {
  readonly graphQLErrors: { message: string; extensions: { code: string } }[];

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
    this.graphQLErrors = [{ message, extensions: { code } }];
  }
}

/** The largest file the upload route takes. */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The content type the route wants for a file, from its name when the browser gives none; null: neither CSV nor XLSX. */
export function uploadContentType(file: { name: string; type: string }): string | null {
  const name = file.name.toLowerCase();
  if (file.type === XLSX || name.endsWith('.xlsx')) return XLSX;
  if (file.type === 'text/csv' || name.endsWith('.csv') || ((file.type === 'text/plain' || file.type === '') && name.endsWith('.txt'))) return 'text/csv';
  return null;
}

/**
 * POSTs a file's bytes to a signed upload URL with the session's cookie and answers the route's receipt; rejects
 * with an `UploadError` carrying the route's code, or the fetch error (NETWORK_ERROR) when it cannot be reached.
 */
export async function postUpload(url: string, file: File | Blob, contentType: string): Promise<UploadReceipt> {
  const response = await globalThis.fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': contentType }, body: file });
  let body: {
    uploadId?: string;
    lines?: number;
    withIccid?: boolean;
    invalidLineCount?: number;
    errors?: { message?: string; extensions?: { code?: string } }[];
  } = {};
  try {
    body = (await response.json()) ?? {};
  } catch {
    // Not JSON (a proxy's page): the status tells enough.
  }
  const first = body.errors?.[0];
  if (!response.ok || first || !body.uploadId) {
    const code = first?.extensions?.code ?? (response.status === 413 ? 'UPLOAD_INVALID' : response.status === 410 ? 'UPLOAD_EXPIRED' : 'INTERNAL_SERVER_ERROR');
    throw new UploadError(code, first?.message ?? (response.statusText || `HTTP ${response.status}`));
  }
  return { uploadId: body.uploadId, lines: body.lines ?? 0, withIccid: Boolean(body.withIccid), invalidLineCount: body.invalidLineCount ?? 0 };
}
