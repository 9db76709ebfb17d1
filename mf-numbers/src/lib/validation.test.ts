import { checkForwardingTarget, checkIccid, groupIccid, isLuhnValid, searchDigits } from './validation';

describe('number operation input', () => {
  it('accepts the ICCIDs of the free stock and refuses a wrong check digit', () => {
    expect(checkIccid('89997021234567899456')).toBeNull();
    expect(checkIccid('8999 7021 2345 6789 9456')).toBeNull();
    expect(checkIccid('89997021234567899457')).toBe('CHECK_DIGIT');
  });

  it('wants exactly 20 digits in an ICCID', () => {
    expect(checkIccid('8999702123456789945')).toBe('LENGTH');
    expect(checkIccid('899970212345678994560')).toBe('LENGTH');
    expect(checkIccid('8999702123456789945a')).toBe('LENGTH');
  });

  it('checks IMEIs with the same Luhn rule', () => {
    expect(isLuhnValid('490154203237518')).toBe(true);
    expect(isLuhnValid('490154203237519')).toBe(false);
  });

  it('groups an ICCID four digits at a time as it is typed', () => {
    expect(groupIccid('89997021234567899456')).toBe('8999 7021 2345 6789 9456');
    expect(groupIccid('8999-70')).toBe('8999 70');
    expect(groupIccid('899970212345678994561234')).toBe('8999 7021 2345 6789 9456');
  });

  it('takes a forwarding target in any usual notation and refuses the number itself', () => {
    expect(checkForwardingTarget('+7 701 054 20 03', '77010542006')).toEqual({ target: '77010542003', problem: null });
    expect(checkForwardingTarget('87010542003', '77010542006')).toEqual({ target: '77010542003', problem: null });
    expect(checkForwardingTarget('12345', '77010542006').problem).toBe('FORMAT');
    expect(checkForwardingTarget('7 701 054 20 06', '77010542006').problem).toBe('SELF');
  });
});

describe('searchDigits', () => {
  it('reads a full national number with 8 as 7…, and keeps +7 and fragments as they are', () => {
    expect(searchDigits('87010542006')).toBe('77010542006');
    expect(searchDigits('8 (701) 054-20-06')).toBe('77010542006');
    expect(searchDigits('+7 701 054 20 06')).toBe('77010542006');
    expect(searchDigits('8701')).toBe('8701');
    expect(searchDigits('')).toBe('');
  });

  it('refuses letters and more than 11 digits', () => {
    expect(searchDigits('abc')).toBeNull();
    expect(searchDigits('770105420061')).toBeNull();
  });
});
