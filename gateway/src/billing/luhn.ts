/** The Luhn check digit of a digit string (the last digit of ICCIDs and IMEIs). */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  let double = true;
  for (let i = payload.length - 1; i >= 0; i--) {
    let digit = payload.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isLuhnValid(value: string): boolean {
  return /^[0-9]{2,}$/.test(value) && luhnCheckDigit(value.slice(0, -1)) === value.slice(-1);
}
