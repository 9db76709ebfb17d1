import { formatDate, formatDateTime, formatMoney, formatPhone, normalizePhone } from './format';

const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('formats tenge in each language from the decimal string', () => {
    expect(spaces(formatMoney('9793.33', 'ru'))).toBe('9 793,33 ₸');
    expect(spaces(formatMoney('9793.33', 'kk'))).toBe('9 793,33 ₸');
    expect(spaces(formatMoney('9793.33', 'en'))).toBe('9,793.33 ₸');
  });

  it('prints whole amounts without kopecks, as the operator does', () => {
    expect(spaces(formatMoney('446.00', 'ru'))).toBe('446 ₸');
    expect(spaces(formatMoney('0.00', 'en'))).toBe('0 ₸');
  });

  it('keeps every digit of amounts a float cannot hold', () => {
    expect(spaces(formatMoney('90071992547409931.07', 'en'))).toBe('90,071,992,547,409,931.07 ₸');
  });

  it('shows negative amounts with a minus sign and single fraction digits as two', () => {
    expect(spaces(formatMoney('-2338.5', 'ru'))).toBe('−2 338,50 ₸');
    expect(spaces(formatMoney('-0.00', 'ru'))).toBe('0 ₸');
  });

  it('shows a dash for no amount', () => {
    expect(formatMoney(null, 'en')).toBe('—');
  });
});

describe('dates', () => {
  it('shows instants in Asia/Almaty (UTC+5 since March 2024, UTC+6 before)', () => {
    expect(formatDateTime('2025-08-06T05:25:25Z', 'ru')).toBe('06.08.2025, 10:25:25');
    expect(formatDateTime('2018-08-06T04:25:25Z', 'ru')).toBe('06.08.2018, 10:25:25');
    expect(formatDateTime('2025-08-06T05:25:25Z', 'en')).toBe('06/08/2025, 10:25:25');
  });

  it('shows calendar dates as they are, whatever the time zone', () => {
    expect(formatDate('2019-02-01', 'ru')).toBe('01.02.2019');
  });
});

describe('phones', () => {
  it('groups a number as the operator writes it', () => {
    expect(formatPhone('77010542006')).toBe('+7 701 054 20 06');
  });

  it('accepts the ways people type a number', () => {
    expect(normalizePhone('+7 701 211-21-70')).toBe('77012112170');
    expect(normalizePhone('87012112170')).toBe('77012112170');
    expect(normalizePhone('7012112170')).toBe('77012112170');
  });
});
