import { isEmailAddress } from '@cabinet/schema/rules';

/** The gateway's rules for the profile's fields (auth.validation.ts and the contract's e-mail rule), checked before sending. */
export const API_KEY_NAME_MAX = 100;

/** An address typed in the profile, as the gateway reads it: trimmed, then the contract's one e-mail rule. */
export function isEmail(value: string): boolean {
  return isEmailAddress(value.trim());
}

/** A name as the gateway stores it: trimmed, inner runs of spaces made one. */
export function cleanName(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}
