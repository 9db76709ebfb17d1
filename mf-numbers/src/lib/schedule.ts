import { TIME_ZONE } from '@cabinet/kit';

/** How far ahead an operation may be scheduled (the API refuses more with BAD_USER_INPUT). */
export const SCHEDULE_MAX_DAYS = 365;

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A moment as its day (YYYY-MM-DD) and time (HH:MM) on the clocks of Asia/Almaty, as the schedule fields show it. */
export function almatyParts(iso: string): { day: string; time: string } {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/** "9:05", "09.05", "09:05" → "09:05"; null when it is no time of day. */
export function parseTime(text: string): string | null {
  const match = TIME.exec(text.trim());
  return match ? `${match[1].padStart(2, '0')}:${match[2]}` : null;
}

/**
 * The moment (ISO, UTC) that a day and a time of day in Asia/Almaty name. The zone's offset is read from the
 * platform's time-zone data, not assumed, so a change of the zone's rules needs no change here.
 */
export function almatyToIso(day: string, time: string): string {
  const [year, month, date] = day.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, date, hour, minute);
  // The offset at the guessed moment; one correction covers a guess on the other side of an offset change.
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const shown = almatyParts(new Date(guess).toISOString());
    const [sy, sm, sd] = shown.day.split('-').map(Number);
    const [sh, smin] = shown.time.split(':').map(Number);
    guess += wall - Date.UTC(sy, sm - 1, sd, sh, smin);
  }
  return new Date(guess).toISOString();
}

export type ScheduleProblem = 'day' | 'time' | 'past' | 'tooFar';

/** What is wrong with a chosen start (null: it is a start the API takes), `now` given for tests. */
export function scheduleProblem(day: string, timeText: string, now: Date = new Date()): ScheduleProblem | null {
  if (!day) return 'day';
  const time = parseTime(timeText);
  if (!time) return 'time';
  const at = new Date(almatyToIso(day, time)).getTime();
  if (at <= now.getTime()) return 'past';
  if (at > now.getTime() + SCHEDULE_MAX_DAYS * 86_400_000) return 'tooFar';
  return null;
}
