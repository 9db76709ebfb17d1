import { BadUserInputError } from '../graphql/errors';

export const PHONE = /^7\d{10}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

/** Accepts "+7 701 211 21 70" as well as "77012112170"; refuses anything that is not 7 and 10 digits. */
export function parsePhone(value: string, field = 'phone'): string {
  const digits = value.replace(/[\s+()-]/g, '');
  if (!PHONE.test(digits)) throw new BadUserInputError(field, `${field} must be 11 digits starting with 7, e.g. 77012112170`);
  return digits;
}

export function parseEmail(value: string, field = 'email'): string {
  const email = value.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw new BadUserInputError(field, `${field} must be an e-mail address`);
  return email;
}

export function parseName(value: string, field: string, max: number): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length < 1 || name.length > max) throw new BadUserInputError(field, `${field} must be 1 to ${max} characters`);
  return name;
}

export function parseBin(value: string, field = 'bin'): string {
  const bin = value.replace(/\s/g, '');
  if (!/^\d{12}$/.test(bin)) throw new BadUserInputError(field, `${field} must be the 12-digit business identification number`);
  return bin;
}
