import { serverSecret } from '../core/token';

/** How long a download link works. */
export const DOWNLOAD_TTL_SECONDS = 300;
export const DOWNLOADS_PATH = '/downloads';

/** The URL as the log may show it: a download link's token would let whoever reads the log fetch the file. */
export function redactDownloadUrl(url: string): string {
  return url.startsWith(`${DOWNLOADS_PATH}/`) ? `${DOWNLOADS_PATH}/[redacted]` : url;
}

/**
 * The HMAC key of download links (signed with the kernel's `signLink`), made on first use and kept in
 * `cabinet.secrets`, so that a link signed by one gateway process is accepted by every other.
 */
export function downloadSecret(db: Parameters<typeof serverSecret>[0]): Promise<Buffer> {
  return serverSecret(db, 'download-links');
}
