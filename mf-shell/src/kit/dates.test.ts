import { addDays, addMonths, currentMonth, isDay, lastMonth, parseDay, todayInAlmaty, windowStartByDays, windowStartByMonths } from './dates';

// 19:30 UTC on 31 March is already 1 April in Almaty (UTC+5).
const NOW = new Date('2025-03-31T19:30:00Z');

describe('days in Asia/Almaty', () => {
  it('takes today and the month from Almaty, not from UTC or the browser', () => {
    expect(todayInAlmaty(NOW)).toBe('2025-04-01');
    expect(currentMonth(NOW)).toBe('2025-04');
    expect(todayInAlmaty(new Date('2025-03-31T18:59:59Z'))).toBe('2025-03-31');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('moves a month to the last day of a shorter month', () => {
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2026-03-15', -12)).toBe('2025-03-15');
  });

  it('accepts only days that exist', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
    expect(isDay('2025-13-01')).toBe(false);
    expect(isDay('2025-04-31')).toBe(false);
    expect(isDay('2025-4-1')).toBe(false);
    expect(isDay('')).toBe(false);
  });

  it('opens a window of days with today as its first day counted', () => {
    expect(windowStartByDays(1, NOW)).toBe('2025-04-01');
    expect(windowStartByDays(90, NOW)).toBe('2025-01-02');
  });

  it('opens a window of months on the same day months back', () => {
    expect(windowStartByMonths(12, NOW)).toBe('2024-04-01');
  });

  it('defaults to the last month up to today, its start clipped to the earliest day', () => {
    expect(lastMonth(NOW)).toEqual({ from: '2025-03-01', to: '2025-04-01' });
    expect(lastMonth(NOW, '2025-03-13')).toEqual({ from: '2025-03-13', to: '2025-04-01' });
    expect(lastMonth(NOW, '2025-02-01')).toEqual({ from: '2025-03-01', to: '2025-04-01' });
  });
});

describe('typed days', () => {
  it('reads a day typed day first, or as YYYY-MM-DD', () => {
    expect(parseDay('31.12.2025')).toBe('2025-12-31');
    expect(parseDay(' 1/2/2025 ')).toBe('2025-02-01');
    expect(parseDay('2025-02-28')).toBe('2025-02-28');
  });

  it('refuses what is no day', () => {
    for (const text of ['', '29.02.2025', '12/31/2025', '31.12.25', 'abc']) expect(parseDay(text)).toBeNull();
  });
});
