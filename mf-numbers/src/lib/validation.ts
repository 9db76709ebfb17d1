import { normalizePhone } from '@cabinet/kit';

/** True when the digits end in a valid Luhn check digit (ICCID and IMEI). */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Why an ICCID would be refused, as the API checks it; null when it is fine. */
export type IccidProblem = 'LENGTH' | 'CHECK_DIGIT';

/** The ICCID as typed ("8999 7021 …") reduced to its digits. */
export const iccidDigits = (value: string) => value.replace(/[\s-]/g, '');

export function checkIccid(value: string): IccidProblem | null {
  const digits = iccidDigits(value);
  if (!/^\d{20}$/.test(digits)) return 'LENGTH';
  return isLuhnValid(digits) ? null : 'CHECK_DIGIT';
}

/** "89997021234567899456" → "8999 7021 2345 6789 9456", as printed on the card. */
export function groupIccid(value: string): string {
  return value
    .replace(/\D/g, '')
    .slice(0, 20)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

export type ForwardingTargetProblem = 'FORMAT' | 'SELF';

/** The forwarding target as the API wants it (11 digits starting with 7), or why it is refused. */
export function checkForwardingTarget(value: string, ownMsisdn: string): { target: string; problem: ForwardingTargetProblem | null } {
  const target = normalizePhone(value.trim());
  if (!/^7\d{10}$/.test(target)) return { target, problem: 'FORMAT' };
  return { target, problem: target === ownMsisdn ? 'SELF' : null };
}

/**
 * The digits to search the numbers list by, as the API takes them: spaces, brackets, dashes and a leading + dropped,
 * a full national number "8 701 …" read as 7 701 …; null when it is not up to 11 digits of a number.
 */
export function searchDigits(value: string): string | null {
  const digits = value.replace(/[\s+()-]/g, '');
  if (!/^\d{0,11}$/.test(digits)) return null;
  return digits.length === 11 && digits.startsWith('8') ? `7${digits.slice(1)}` : digits;
}
