import { createHash, randomBytes } from 'node:crypto';

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
