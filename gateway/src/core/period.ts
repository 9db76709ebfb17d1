import { addMonths, todayInAlmaty as todayIn, windowStartByDays, type DayPeriod } from '@cabinet/schema/rules';
import { BadUserInputError } from './errors';

export { addDays, addMonths, TIME_ZONE } from '@cabinet/schema/rules';
export { todayIn };

/** A period of whole days: `from` and `to` inclusive, YYYY-MM-DD in Asia/Almaty. */
export type Period = DayPeriod;

/**
 * A period given by a client, defaulting to the last month up to today, with start ≤ end.
 * `maxDaysBack` bounds how far back the start may lie (today counts as day 1).
 */
export function resolvePeriod(from: string | null | undefined, to: string | null | undefined, maxDaysBack?: number, now = new Date()): Period {
  const today = todayIn(now);
  const end = to ?? today;
  const earliest = maxDaysBack === undefined ? undefined : windowStartByDays(maxDaysBack, now);
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
