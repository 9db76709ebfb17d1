import { BadUserInputError } from './errors';

export interface Period {
  /** First day, inclusive, YYYY-MM-DD in Asia/Almaty. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

export const TIME_ZONE = 'Asia/Almaty';

export function todayIn(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * A period given by a client, defaulting to the last month up to today, with start ≤ end.
 * `maxDaysBack` bounds how far back the start may lie (today counts as day 1).
 */
export function resolvePeriod(from: string | null | undefined, to: string | null | undefined, maxDaysBack?: number, now = new Date()): Period {
  const today = todayIn(now);
  const end = to ?? today;
  const earliest = maxDaysBack === undefined ? undefined : addDays(today, -(maxDaysBack - 1));
  let start = from ?? addMonths(end, -1);
  if (from === null || from === undefined) {
    if (earliest !== undefined && start < earliest) start = earliest;
  }
  if (start > end) throw new BadUserInputError('from', 'from must not be after to');
  if (end > today) throw new BadUserInputError('to', 'to must not be in the future');
  if (earliest !== undefined && start < earliest) {
    throw new BadUserInputError('from', `from must be within the last ${maxDaysBack} days (not before ${earliest})`);
  }
  return { from: start, to: end };
}
