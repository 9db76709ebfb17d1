import { isLuhnValid } from '../billing';
import { BadUserInputError } from '../core/errors';

/** ICCID as printed on the card, grouped or not: 20 digits, the last a Luhn check digit. */
export function parseIccid(value: string, field = 'iccid'): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{20}$/.test(digits)) throw new BadUserInputError(field, 'The ICCID is the 20 digits printed on the SIM card');
  if (!isLuhnValid(digits)) throw new BadUserInputError(field, 'The ICCID has a wrong check digit: check the last digit on the card');
  return digits;
}

/** IMEI: 15 digits, the last a Luhn check digit. */
export function parseImei(value: string, field = 'imei'): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{15}$/.test(digits)) throw new BadUserInputError(field, 'The IMEI is 15 digits (dial *#06# on the device)');
  if (!isLuhnValid(digits)) throw new BadUserInputError(field, 'The IMEI has a wrong check digit');
  return digits;
}

export function parseIdempotencyKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(value)) {
    throw new BadUserInputError('idempotencyKey', 'idempotencyKey must be 1 to 100 letters, digits or _ . : -');
  }
  return value;
}
