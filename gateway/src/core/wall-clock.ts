import type { Language } from './language';
import { TIME_ZONE } from './period';

// The operator's wall clock, shown on documents, e-mails and pages alike.

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallClockFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

let lastHour = Number.NaN;
let lastOffset = 0;

function offsetAt(time: number): number {
  const clock: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of wallClockFormat.formatToParts(time)) {
    if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
  }
  const local = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return local - Math.floor(time / 1000) * 1000;
}

/** The Asia/Almaty calendar date and time of an instant (UTC+6 before 1 March 2024, UTC+5 since). */
export function almatyWallClock(date: Date): WallClock {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('Invalid Date');
  // Intl is slow per call and the offset only changes on the hour, so consecutive rows share one look-up.
  const hour = Math.floor(time / 3_600_000);
  if (hour !== lastHour) {
    lastOffset = offsetAt(time);
    lastHour = hour;
  }
  const local = new Date(time + lastOffset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const two = (value: number): string => String(value).padStart(2, '0');

/**
 * "dd.mm.yyyy HH:MM:SS" in Asia/Almaty. Kazakhstan writes dates this way in all three languages,
 * and the XLSX cells use the same pattern, so `language` does not change it.
 */
export function formatDateTime(date: Date, _language: Language): string {
  const t = almatyWallClock(date);
  return `${two(t.day)}.${two(t.month)}.${t.year} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
}
