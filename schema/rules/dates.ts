/** The time zone of every day, month and period the API takes or gives. */
export const TIME_ZONE = 'Asia/Almaty';

/** A period of whole days in Asia/Almaty, both ends inclusive (YYYY-MM-DD). */
export interface DayPeriod {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ALMATY_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Asia/Almaty, YYYY-MM-DD. */
export function todayInAlmaty(now: Date = new Date()): string {
  return ALMATY_DAY.format(now);
}

/** The current month in Asia/Almaty, YYYY-MM: the first month that has not ended. */
export function currentMonth(now: Date = new Date()): string {
  return todayInAlmaty(now).slice(0, 7);
}

/** The day `days` days later (or earlier). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The same day `months` months away, on the month's last day when it is shorter (31 March − 1 month = 28/29 February). */
export function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

/** How many months `to` lies after `from` (both YYYY-MM…): 0 for the same month. */
export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** Whether a string is a day that exists, YYYY-MM-DD (2025-02-29 is not). */
export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The first day of a window of `days` days ending today, today counted as day 1 (the API's `maxDaysBack`). */
export function windowStartByDays(days: number, now: Date = new Date()): string {
  return addDays(todayInAlmaty(now), -(days - 1));
}

/** The first day of a window reaching `months` months back from today. */
export function windowStartByMonths(months: number, now: Date = new Date()): string {
  return addMonths(todayInAlmaty(now), -months);
}

/** The API's default period: one month back to today, its start clipped to `earliest` when given. */
export function lastMonth(now: Date = new Date(), earliest?: string): DayPeriod {
  const to = todayInAlmaty(now);
  const from = addMonths(to, -1);
  return { from: earliest !== undefined && from < earliest ? earliest : from, to };
}
