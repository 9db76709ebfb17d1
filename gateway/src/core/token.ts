import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Language } from './language';
import type { Principal } from './principal';

/** A random opaque token: 256 bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256: a leaked table does not let anyone sign in. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A random key named `name` in `cabinet.secrets`, made on first use, so that every gateway process uses the same. */
export async function serverSecret(db: SqlRunner, name: string): Promise<Buffer> {
  const [created] = await db.query<{ value: Buffer }>(
    `INSERT INTO cabinet.secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value`,
    [name, randomBytes(32)],
  );
  if (created) return created.value;
  const [existing] = await db.query<{ value: Buffer }>(`SELECT value FROM cabinet.secrets WHERE name = $1`, [name]);
  if (!existing) throw new Error(`The secret ${name} is missing although it could not be created`);
  return existing.value;
}

/**
 * What a signed link carries (a download link, an upload URL): what it is for (`spec`, as its domain describes it),
 * and who may use it for which company until when. Each kind of link is signed with a secret of its own, so that a
 * link of one kind is never taken for another.
 */
export interface LinkClaims<Spec = unknown> {
  /** `administrator:<id>` or `apiKey:<id>` (`principalKey`): only that principal may use the link. */
  principal: string;
  companyId: number;
  language: Language;
  spec: Spec;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** The key a link is bound to, or null for an anonymous caller. */
export function principalKey(principal: Principal): string | null {
  if (principal.kind === 'administrator') return `administrator:${principal.administratorId}`;
  if (principal.kind === 'apiKey') return `apiKey:${principal.apiKeyId}`;
  return null;
}

const mac = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest();

/** The claims as a URL-safe token: base64url JSON, a dot, its HMAC-SHA256 under `secret`. */
export function signLink<Spec>(secret: Buffer, claims: LinkClaims<Spec>): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a link signed with `secret`, expired or not; null for anything forged or malformed. */
export function readLink<Spec>(secret: Buffer, token: string): LinkClaims<Spec> | null {
  const match = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const given = Buffer.from(match[2], 'base64url');
  const expected = mac(secret, match[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(match[1], 'base64url').toString()) as LinkClaims<Spec>;
    return typeof claims.principal === 'string' && Number.isSafeInteger(claims.exp) && Number.isSafeInteger(claims.companyId) ? claims : null;
  } catch {
    return null;
  }
}
