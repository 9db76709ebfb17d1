import { emailProblem, monthRangeProblems, periodProblems } from './windows';

// 15 March 2026, 23:30 in Almaty (UTC+5): still the 15th there, already past the UTC date's evening.
const NOW = new Date('2026-03-15T18:30:00Z');

describe('periodProblems', () => {
  it('accepts a period of past days in order', () => {
    expect(periodProblems('2026-02-01', '2026-03-15', { now: NOW })).toEqual({});
  });

  it('asks for both dates and refuses dates that do not exist', () => {
    expect(periodProblems('', '', { now: NOW })).toEqual({ from: 'required', to: 'required' });
    expect(periodProblems('2026-02-30', '2026-03-01', { now: NOW })).toEqual({ from: 'invalid' });
  });

  it('refuses an end in the future and a start after the end', () => {
    expect(periodProblems('2026-03-01', '2026-03-16', { now: NOW })).toEqual({ to: 'future' });
    expect(periodProblems('2026-03-10', '2026-03-01', { now: NOW })).toEqual({ from: 'order' });
  });

  it('holds a period to 12 months back from today when asked to', () => {
    expect(periodProblems('2025-03-15', '2026-03-15', { now: NOW, monthsBack: 12 })).toEqual({});
    expect(periodProblems('2025-03-14', '2026-03-15', { now: NOW, monthsBack: 12 })).toEqual({ from: 'window' });
    expect(periodProblems('2025-01-01', '2025-02-01', { now: NOW, monthsBack: 12 })).toEqual({ to: 'window' });
    expect(periodProblems('2025-03-14', '2026-03-15', { now: NOW })).toEqual({});
  });
});

describe('monthRangeProblems', () => {
  it('accepts up to 12 months ending with the current one', () => {
    expect(monthRangeProblems('2025-04', '2026-03', { now: NOW })).toEqual({});
    expect(monthRangeProblems('2026-03', '2026-03', { now: NOW })).toEqual({});
  });

  it('refuses a 13th month, a range out of order and a month to come', () => {
    expect(monthRangeProblems('2025-03', '2026-03', { now: NOW })).toEqual({ from: 'span' });
    expect(monthRangeProblems('2026-02', '2026-01', { now: NOW })).toEqual({ from: 'order' });
    expect(monthRangeProblems('2026-03', '2026-04', { now: NOW })).toEqual({ to: 'future' });
    expect(monthRangeProblems('2026-02', '2026-03', { now: NOW, latest: '2026-02' })).toEqual({ to: 'future' });
    expect(monthRangeProblems('2026-01', '2026-02', { now: NOW, latest: '2026-02' })).toEqual({});
  });

  it('asks for both months in the form YYYY-MM from 2000', () => {
    expect(monthRangeProblems('', '2026-01', { now: NOW })).toEqual({ from: 'required' });
    expect(monthRangeProblems('1999-12', '2000-01', { now: NOW })).toEqual({ from: 'invalid' });
    expect(monthRangeProblems('2026-1', '2026-13', { now: NOW })).toEqual({ from: 'invalid', to: 'invalid' });
  });
});

describe('emailProblem', () => {
  it('accepts one plain address, trimmed', () => {
    expect(emailProblem(' petrov.ivan@kcell.kz ')).toBeNull();
  });

  it('asks for an address and refuses anything that is not exactly one', () => {
    expect(emailProblem('  ')).toBe('required');
    expect(emailProblem('petrov.ivan')).toBe('invalid');
    expect(emailProblem('a@b.kz, c@d.kz')).toBe('invalid');
    expect(emailProblem('Ivan <ivan@kcell.kz>')).toBe('invalid');
    expect(emailProblem('ivan@localhost')).toBe('invalid');
  });
});
