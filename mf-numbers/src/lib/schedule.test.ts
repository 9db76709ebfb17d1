import { almatyParts, almatyToIso, parseTime, scheduleProblem } from './schedule';

describe('schedule times in Asia/Almaty', () => {
  it('reads a day and a time on the clocks of Almaty (UTC+5) as the moment they name', () => {
    expect(almatyToIso('2026-12-03', '09:30')).toBe('2026-12-03T04:30:00.000Z');
    expect(almatyToIso('2027-01-01', '00:00')).toBe('2026-12-31T19:00:00.000Z');
  });

  it('shows a moment as its Almaty day and time, the other way round', () => {
    expect(almatyParts('2026-12-31T19:00:00.000Z')).toEqual({ day: '2027-01-01', time: '00:00' });
    const { day, time } = almatyParts('2026-12-03T04:30:00.000Z');
    expect(almatyToIso(day, time)).toBe('2026-12-03T04:30:00.000Z');
  });

  it('takes times as H:MM, HH:MM or HH.MM and refuses anything else', () => {
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime(' 21.45 ')).toBe('21:45');
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('12:60')).toBeNull();
    expect(parseTime('noon')).toBeNull();
  });

  it('says what is wrong with a start: no day, no time, passed, more than a year ahead', () => {
    const now = new Date('2026-12-02T07:00:00Z'); // 12:00 in Almaty
    expect(scheduleProblem('', '10:00', now)).toBe('day');
    expect(scheduleProblem('2026-12-02', '1000', now)).toBe('time');
    expect(scheduleProblem('2026-12-02', '11:59', now)).toBe('past');
    expect(scheduleProblem('2026-12-02', '12:01', now)).toBeNull();
    expect(scheduleProblem('2027-12-03', '12:00', now)).toBe('tooFar');
  });
});
