import { randomBytes } from 'node:crypto';
import * as argon2 from '@node-rs/argon2';
import { PASSWORD_MAX, PASSWORD_MIN, containsIdentity, normalizePassword, passwordLength, type PasswordContext } from '@cabinet/schema/rules';
import { isCommonPassword } from './password-list';

export { PASSWORD_MAX, PASSWORD_MIN, normalizePassword, type PasswordContext };

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

const MESSAGES: Record<PasswordProblemCode, string> = {
  TOO_SHORT: `Use a passphrase of at least ${PASSWORD_MIN} characters — several unrelated words work well.`,
  TOO_LONG: `Use at most ${PASSWORD_MAX} characters.`,
  COMMON: 'This password is common and easy to guess. Choose a passphrase of several unrelated words instead.',
  CONTAINS_IDENTITY: 'Leave your phone number, e-mail and name out of the password — choose words nobody can look up about you.',
  MISMATCH: 'The passwords differ. Type the same password in both fields.',
  SAME_AS_CURRENT: 'This is your current password. Choose a new one.',
};

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
  const length = passwordLength(normalized);
  if (length < PASSWORD_MIN) return problem('TOO_SHORT');
  if (length > PASSWORD_MAX) return problem('TOO_LONG');
  if (isCommonPassword(normalized.toLowerCase())) return problem('COMMON');
  if (containsIdentity(normalized, context)) return problem('CONTAINS_IDENTITY');
  if (repeat !== undefined && normalizePassword(repeat) !== normalized) return problem('MISMATCH');
  return null;
}
