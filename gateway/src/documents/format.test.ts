import { decimalString, formatDateTime, formatDuration, formatInteger, formatMoney, formatPhone, formatVolumeKb } from './format';

const NBSP = '\u00a0';
const spaced = (text: string): string => text.replaceAll(' ', NBSP);

describe('formatMoney', () => {
  it('shows tiyn as tenge with the grouping and decimal mark of each language', () => {
    expect(formatMoney(979333n, 'en')).toBe(spaced('9,793.33 ₸'));
    expect(formatMoney(979333n, 'ru')).toBe(spaced('9 793,33 ₸'));
    expect(formatMoney(979333n, 'kk')).toBe(spaced('9 793,33 ₸'));
  });

  it('keeps every digit of amounts beyond the precision of a double', () => {
    expect(formatMoney(123456789012345n, 'en')).toBe(spaced('1,234,567,890,123.45 ₸'));
    expect(formatMoney(123456789012345n, 'ru')).toBe(spaced('1 234 567 890 123,45 ₸'));
    expect(formatMoney(9223372036854775807n, 'en')).toBe(spaced('92,233,720,368,547,758.07 ₸'));
  });

  it('signs negative amounts, including those under one tenge', () => {
    expect(formatMoney(-979333n, 'en')).toBe(spaced('-9,793.33 ₸'));
    expect(formatMoney(-5n, 'ru')).toBe(spaced('-0,05 ₸'));
    expect(formatMoney(0n, 'kk')).toBe(spaced('0,00 ₸'));
  });
});

describe('decimalString', () => {
  it('writes a plain decimal with the given number of digits', () => {
    expect(decimalString(12345n, 2)).toBe('123.45');
    expect(decimalString(-7n, 2)).toBe('-0.07');
    expect(decimalString(42n, 0)).toBe('42');
  });
});

describe('formatInteger', () => {
  it('groups the digits of numbers and bigints', () => {
    expect(formatInteger(1234567, 'en')).toBe('1,234,567');
    expect(formatInteger(12345678901234567890n, 'ru')).toBe(spaced('12 345 678 901 234 567 890'));
  });
});

describe('formatDateTime', () => {
  it('shows Almaty time (UTC+5 since March 2024)', () => {
    expect(formatDateTime(new Date('2025-03-04T09:05:03Z'), 'ru')).toBe('04.03.2025 14:05:03');
  });

  it('uses the UTC+6 offset Almaty had before March 2024', () => {
    expect(formatDateTime(new Date('2023-12-31T18:30:00Z'), 'en')).toBe('01.01.2024 00:30:00');
  });

  it('follows the switch from UTC+6 to UTC+5 on 1 March 2024 between consecutive instants', () => {
    expect(formatDateTime(new Date('2024-02-29T17:59:59Z'), 'ru')).toBe('29.02.2024 23:59:59');
    expect(formatDateTime(new Date('2024-02-29T18:00:00Z'), 'ru')).toBe('29.02.2024 23:00:00');
    expect(formatDateTime(new Date('2024-02-29T17:30:00Z'), 'ru')).toBe('29.02.2024 23:30:00');
  });

  it('uses 24-hour time in every language', () => {
    for (const language of ['en', 'ru', 'kk'] as const) {
      expect(formatDateTime(new Date('2025-07-01T18:00:00Z'), language)).toBe('01.07.2025 23:00:00');
    }
  });

  it('refuses an invalid date', () => {
    expect(() => formatDateTime(new Date('nonsense'), 'en')).toThrow(RangeError);
  });
});

describe('formatDuration', () => {
  it('shows minutes and seconds in each language', () => {
    expect(formatDuration(303, 'en')).toBe(spaced('5 min 3 sec'));
    expect(formatDuration(303, 'ru')).toBe(spaced('5 мин 3 сек'));
    expect(formatDuration(303n, 'kk')).toBe(spaced('5 мин 3 сек'));
  });

  it('leaves out minutes under a minute and keeps counting minutes past an hour', () => {
    expect(formatDuration(45, 'en')).toBe(spaced('45 sec'));
    expect(formatDuration(3600, 'en')).toBe(spaced('60 min 0 sec'));
  });

  it('refuses negative and fractional durations', () => {
    expect(() => formatDuration(-1, 'en')).toThrow(RangeError);
    expect(() => formatDuration(1.5, 'en')).toThrow(RangeError);
  });
});

describe('formatVolumeKb', () => {
  it('shows kilobytes as megabytes of 1024 KB with two decimals', () => {
    expect(formatVolumeKb(1536n, 'en')).toBe(spaced('1.50 MB'));
    expect(formatVolumeKb(1536n, 'ru')).toBe(spaced('1,50 МБ'));
    expect(formatVolumeKb(10485760n, 'kk')).toBe(spaced('10 240,00 МБ'));
  });

  it('rounds half a hundredth up', () => {
    expect(formatVolumeKb(128n, 'en')).toBe(spaced('0.13 MB'));
    expect(formatVolumeKb(5n, 'en')).toBe(spaced('0.00 MB'));
    expect(formatVolumeKb(6n, 'en')).toBe(spaced('0.01 MB'));
  });
});

describe('formatPhone', () => {
  it('groups a Kazakhstani number as the operator prints it and leaves other parties as they are', () => {
    expect(formatPhone('77010542001')).toBe('+7 701 054 20 01');
    expect(formatPhone('998901234567')).toBe('998901234567');
    expect(formatPhone('*100#')).toBe('*100#');
  });
});
