import { isEmailAddress } from '@cabinet/schema/rules';
import { BadUserInputError } from './errors';

export const PHONE = /^7\d{10}$/;

/** Accepts "+7 701 211 21 70" as well as "77012112170"; refuses anything that is not 7 and 10 digits. */
export function parsePhone(value: string, field = 'phone'): string {
  const digits = value.replace(/[\s+()-]/g, '');
  if (!PHONE.test(digits)) throw new BadUserInputError(field, `${field} must be 11 digits starting with 7, e.g. 77012112170`);
  return digits;
}

export function parseEmail(value: string, field = 'email'): string {
  const email = value.trim();
  if (!isEmailAddress(email)) throw new BadUserInputError(field, `${field} must be an e-mail address`);
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

const BIN_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const BIN_WEIGHTS_AGAIN = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The control digit of a 12-digit BIN/IIN: weights 1…11 mod 11; on 10, weights 3…11, 1, 2; 10 again is never issued. */
export function binCheckDigitValid(bin: string): boolean {
  const digits = [...bin].map(Number);
  const sum = (weights: number[]) => weights.reduce((total, w, i) => total + w * digits[i], 0) % 11;
  let control = sum(BIN_WEIGHTS);
  if (control === 10) control = sum(BIN_WEIGHTS_AGAIN);
  return control !== 10 && control === digits[11];
}

/** A BIN typed for a new registration: the 12 digits, and a control digit that matches. */
export function parseNewBin(value: string, field = 'bin'): string {
  const bin = parseBin(value, field);
  if (!binCheckDigitValid(bin)) throw new BadUserInputError(field, `${field} has a wrong control digit: check the number`);
  return bin;
}
