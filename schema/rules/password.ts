/**
 * The password rules that need no server: length and the owner's identity. The gateway enforces them
 * (auth/password.ts) and the front-end kit gives live feedback with them, so both apply one rule.
 */
export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

/** Who the password belongs to; missing or null fields are skipped. */
export interface PasswordContext {
  phone?: string | null;
  email?: string | null;
  name?: string | null;
}

// The last 10 digits are the national number, however the user prefixes it (+7, 8 or nothing).
const NATIONAL_DIGITS = 10;
const MIN_PHONE_DIGITS = 6;
const MIN_IDENTITY_PART = 4;

/** The form in which a password is hashed, verified and checked, so that equivalent Unicode input matches. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** The length the policy counts: Unicode code points after NFKC. */
export function passwordLength(password: string): number {
  return [...normalizePassword(password)].length;
}

function fold(value: string): string {
  return normalizePassword(value).toLowerCase();
}

function squeeze(value: string): string {
  return fold(value).replace(/[\s\p{P}\p{S}]/gu, '');
}

/** True when the password is or contains the owner's phone, e-mail, its local part, name or a word of the name. */
export function containsIdentity(password: string, { phone, email, name }: PasswordContext): boolean {
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
