import { createHash, randomBytes } from 'node:crypto';

/** A random opaque token: 256 bits, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their SHA-256: a leaked table does not let anyone sign in. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
