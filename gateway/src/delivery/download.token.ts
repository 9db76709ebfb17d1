import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../core/principal';
import type { Language } from '../core/language';

/** How long a download link works. */
export const DOWNLOAD_TTL_SECONDS = 300;
export const DOWNLOADS_PATH = '/downloads';

/** The URL as the log may show it: a download link's token would let whoever reads the log fetch the file. */
export function redactDownloadUrl(url: string): string {
  return url.startsWith(`${DOWNLOADS_PATH}/`) ? `${DOWNLOADS_PATH}/[redacted]` : url;
}

const SECRET_NAME = 'download-links';

/** What a download link carries, signed: the document (`spec`, as its domain describes it) and who may fetch it until when. */
export interface DownloadClaims<Spec = unknown> {
  /** `administrator:<id>` or `apiKey:<id>`: only that principal may use the link. */
  principal: string;
  companyId: number;
  language: Language;
  spec: Spec;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

interface SqlRunner {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The key a link is bound to, or null for an anonymous caller. */
export function principalKey(principal: Principal): string | null {
  if (principal.kind === 'administrator') return `administrator:${principal.administratorId}`;
  if (principal.kind === 'apiKey') return `apiKey:${principal.apiKeyId}`;
  return null;
}

/**
 * The HMAC key of download links, made on first use and kept in `cabinet.secrets`, so that a link signed by one
 * gateway process is accepted by every other.
 */
export async function downloadSecret(db: SqlRunner): Promise<Buffer> {
  const [created] = await db.query<{ value: Buffer }>(
    `INSERT INTO cabinet.secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value`,
    [SECRET_NAME, randomBytes(32)],
  );
  if (created) return created.value;
  const [existing] = await db.query<{ value: Buffer }>(`SELECT value FROM cabinet.secrets WHERE name = $1`, [SECRET_NAME]);
  if (!existing) throw new Error('The download secret is missing although it could not be created');
  return existing.value;
}

const mac = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest();

export function signDownload<Spec>(secret: Buffer, claims: DownloadClaims<Spec>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a link signed with `secret`, expired or not; null for anything forged or malformed. */
export function readDownload<Spec>(secret: Buffer, token: string): DownloadClaims<Spec> | null {
  const match = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const given = Buffer.from(match[2], 'base64url');
  const expected = mac(secret, match[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(match[1], 'base64url').toString()) as DownloadClaims<Spec>;
    return typeof claims.principal === 'string' && Number.isSafeInteger(claims.exp) && Number.isSafeInteger(claims.companyId) ? claims : null;
  } catch {
    return null;
  }
}
