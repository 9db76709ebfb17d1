/** The gateway's rules for the profile's fields (gateway/src/auth/auth.validation.ts), checked before sending. */
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;
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
