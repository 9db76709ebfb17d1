/**
 * The gateway's rules for the profile's fields (gateway/src/auth/email.ts, auth.validation.ts), checked before
 * sending; validation.test.ts holds the two e-mail rules to the same answers.
 */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_MAX = 254;
export const API_KEY_NAME_MAX = 100;

export function isEmail(value: string): boolean {
  const email = value.trim();
  return email.length <= EMAIL_MAX && EMAIL.test(email);
}

/** A name as the gateway stores it: trimmed, inner runs of spaces made one. */
export function cleanName(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}
