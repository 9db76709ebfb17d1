import { binCheckDigitValid, parseBin, parseEmail, parseNewBin } from './validation';

describe('BIN/IIN control digit', () => {
  it('accepts a number whose last digit is the weighted sum of the others mod 11', () => {
    expect(binCheckDigitValid('180240522639')).toBe(true);
    expect(binCheckDigitValid('990140000126')).toBe(true);
    expect(binCheckDigitValid('990140000123')).toBe(false);
  });

  it('uses the second weights when the first sum leaves 10, and refuses a number for which both do', () => {
    expect(binCheckDigitValid('100000000205')).toBe(true);
    expect(binCheckDigitValid('100000000200')).toBe(false);
    for (let last = 0; last <= 9; last++) expect(binCheckDigitValid(`10000000028${last}`)).toBe(false);
  });

  it('is asked of new registrations only: known companies are still found by their BIN', () => {
    expect(parseBin('750750750750')).toBe('750750750750');
    expect(() => parseNewBin('750750750750')).toThrow(/control digit/);
    expect(parseNewBin(' 7507 5075 0759 ')).toBe('750750750759');
  });
});

describe('e-mail addresses', () => {
  it('take only what the mailer can send to', () => {
    expect(parseEmail(' erlan@example.kz ')).toBe('erlan@example.kz');
    for (const bad of ['a@[127.0.0.1]', 'иван@почта.kz', 'a@b', 'x@example.kz, y@example.kz']) expect(() => parseEmail(bad)).toThrow();
  });
});
