import { randomBytes } from 'node:crypto';
import * as argon2 from '@node-rs/argon2';
import { isCommonPassword } from './password-list';

export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

// Algorithm and Version are const enums, erased when each file is transpiled alone (swc), so their values are spelled out.
const ARGON2ID: argon2.Algorithm.Argon2id = 2;
const V0x13: argon2.Version.V0x13 = 1;

/** Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane); every hash records them in its PHC string. */
export const ARGON2_PARAMS = Object.freeze({
  algorithm: ARGON2ID,
  version: V0x13,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
});

/** The form in which a password is hashed, verified and checked, so that equivalent Unicode input matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalizePassword(password), ARGON2_PARAMS);
}

/** False for a wrong password and for a hash that cannot be parsed; never throws. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, normalizePassword(password));
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than {@link ARGON2_PARAMS} (or cannot be parsed). */
export function needsRehash(hash: string): boolean {
  try {
    const stored = argon2.parseOptions(hash);
    return (
      stored.algorithm !== ARGON2_PARAMS.algorithm ||
      stored.version !== ARGON2_PARAMS.version ||
      stored.memoryCost !== ARGON2_PARAMS.memoryCost ||
      stored.timeCost !== ARGON2_PARAMS.timeCost ||
      stored.parallelism !== ARGON2_PARAMS.parallelism ||
      stored.outputLen !== ARGON2_PARAMS.outputLen
    );
  } catch {
    return true;
  }
}

/** Hash of random bytes nobody knows, made with the current parameters at start-up. */
export const DUMMY_HASH: string = argon2.hashSync(randomBytes(32), ARGON2_PARAMS);

/** Spends the time of a real verification, so that a sign-in for an unknown phone takes as long as for a known one. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}

export type PasswordProblemCode = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_IDENTITY' | 'MISMATCH' | 'SAME_AS_CURRENT';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

/** Who the password belongs to; missing or null fields are skipped. */
export interface PasswordContext {
  phone?: string | null;
  email?: string | null;
  name?: string | null;
}

const MESSAGES: Record<PasswordProblemCode, string> = {
  TOO_SHORT: `Use a passphrase of at least ${PASSWORD_MIN} characters — several unrelated words work well.`,
  TOO_LONG: `Use at most ${PASSWORD_MAX} characters.`,
  COMMON: 'This password is common and easy to guess. Choose a passphrase of several unrelated words instead.',
  CONTAINS_IDENTITY: 'Leave your phone number, e-mail and name out of the password — choose words nobody can look up about you.',
  MISMATCH: 'The passwords differ. Type the same password in both fields.',
  SAME_AS_CURRENT: 'This is your current password. Choose a new one.',
};

// The last 10 digits are the national number, however the user prefixes it (+7, 8 or nothing).
const NATIONAL_DIGITS = 10;
const MIN_PHONE_DIGITS = 6;
const MIN_IDENTITY_PART = 4;

function fold(value: string): string {
  return normalizePassword(value).toLowerCase();
}

function squeeze(value: string): string {
  return fold(value).replace(/[\s\p{P}\p{S}]/gu, '');
}

function containsIdentity(password: string, { phone, email, name }: PasswordContext): boolean {
  const squeezed = squeeze(password);
  const national = (phone ?? '').replace(/\D/gu, '').slice(-NATIONAL_DIGITS);
  if (national.length >= MIN_PHONE_DIGITS && squeezed.includes(national)) return true;
  const localPart = email?.includes('@') ? email.slice(0, email.lastIndexOf('@')) : undefined;
  const nameWords = (name ?? '').split(/[\s\p{P}]+/u);
  const identities = [email, localPart, name, ...nameWords].filter((value) => typeof value === 'string').map(squeeze);
  // Short parts (initials, "li") occur in ordinary words; longer ones anywhere in the password give it away.
  return identities.some(
    (identity) => identity.length > 0 && (identity === squeezed || ([...identity].length >= MIN_IDENTITY_PART && squeezed.includes(identity))),
  );
}

/** The problem with its message, for checks made outside {@link checkNewPassword}. */
export function problem(code: PasswordProblemCode): PasswordProblem {
  return { code, message: MESSAGES[code] };
}

/**
 * Checks a new password against NIST SP 800-63B-4 for single-factor passwords: 15 to 128 characters counted
 * as Unicode code points after NFKC, any characters, no composition rules; not common, not the user's own
 * phone, e-mail or name, nor contain them; equal to `repeat` when one is given. Returns the first problem, or null.
 * Whether it equals the current password needs the stored hash, so the services check that apart (SAME_AS_CURRENT).
 */
export function checkNewPassword(password: string, repeat?: string, context: PasswordContext = {}): PasswordProblem | null {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < PASSWORD_MIN) return problem('TOO_SHORT');
  if (length > PASSWORD_MAX) return problem('TOO_LONG');
  if (isCommonPassword(normalized.toLowerCase())) return problem('COMMON');
  if (containsIdentity(normalized, context)) return problem('CONTAINS_IDENTITY');
  if (repeat !== undefined && normalizePassword(repeat) !== normalized) return problem('MISMATCH');
  return null;
}
