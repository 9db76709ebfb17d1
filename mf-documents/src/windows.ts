import {
  currentMonth,
  FIRST_DOCUMENT_YEAR,
  INVOICE_REGISTER_MAX_MONTHS,
  isDay,
  isEmailAddress,
  monthsBetween,
  RECONCILIATION_WINDOW_MONTHS,
  todayInAlmaty,
  windowStartByMonths,
} from '@cabinet/schema/rules';

/**
 * The windows the API enforces on documents and reports, checked in the form first so that the administrator
 * hears about a bad period before asking: the contract's own rules and window lengths (@cabinet/schema/rules).
 */
export { FIRST_DOCUMENT_YEAR, INVOICE_REGISTER_MAX_MONTHS, RECONCILIATION_WINDOW_MONTHS };

export type PeriodProblem = 'required' | 'invalid' | 'future' | 'order' | 'window';
export type MonthRangeProblem = 'required' | 'invalid' | 'future' | 'order' | 'span';
export type EmailProblem = 'required' | 'invalid';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * What is wrong with a period of days: each bound required and a real date, the end not in the future, the start
 * not after the end, and with `monthsBack` the start no earlier than that many months before today.
 */
export function periodProblems(
  from: string,
  to: string,
  { now = new Date(), monthsBack }: { now?: Date; monthsBack?: number } = {},
): { from?: PeriodProblem; to?: PeriodProblem } {
  const problems: { from?: PeriodProblem; to?: PeriodProblem } = {};
  const today = todayInAlmaty(now);
  if (!from) problems.from = 'required';
  else if (!isDay(from)) problems.from = 'invalid';
  if (!to) problems.to = 'required';
  else if (!isDay(to)) problems.to = 'invalid';
  else if (to > today) problems.to = 'future';
  if (problems.from || problems.to) return problems;
  if (from > to) return { from: 'order' };
  if (monthsBack !== undefined) {
    const earliest = windowStartByMonths(monthsBack, now);
    if (to < earliest) return { to: 'window' };
    if (from < earliest) return { from: 'window' };
  }
  return {};
}

/**
 * What is wrong with a range of months (YYYY-MM): both given, in order, at most `maxMonths` long, and not after
 * `latest` (the newest month the API offers; by default the current one).
 */
export function monthRangeProblems(
  fromMonth: string,
  toMonth: string,
  { now = new Date(), maxMonths = INVOICE_REGISTER_MAX_MONTHS, latest }: { now?: Date; maxMonths?: number; latest?: string | null } = {},
): { from?: MonthRangeProblem; to?: MonthRangeProblem } {
  const problems: { from?: MonthRangeProblem; to?: MonthRangeProblem } = {};
  const invalid = (month: string) => !MONTH.test(month) || Number(month.slice(0, 4)) < FIRST_DOCUMENT_YEAR;
  if (!fromMonth) problems.from = 'required';
  else if (invalid(fromMonth)) problems.from = 'invalid';
  if (!toMonth) problems.to = 'required';
  else if (invalid(toMonth)) problems.to = 'invalid';
  else if (toMonth > (latest ?? currentMonth(now))) problems.to = 'future';
  if (problems.from || problems.to) return problems;
  if (fromMonth > toMonth) return { from: 'order' };
  if (monthsBetween(fromMonth, toMonth) >= maxMonths) return { from: 'span' };
  return {};
}

/** What is wrong with an e-mail address typed for a report. */
export function emailProblem(value: string): EmailProblem | null {
  const address = value.trim();
  if (!address) return 'required';
  return isEmailAddress(address) ? null : 'invalid';
}
