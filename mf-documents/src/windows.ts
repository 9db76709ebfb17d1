import { TIME_ZONE } from '@cabinet/kit';

/**
 * The windows the API enforces on documents and reports, checked in the form first so that the administrator
 * hears about a bad period before asking (the gateway's rules: `resolvePeriod`, `reconciliationPeriod`,
 * `invoiceRegister`, `completedWorksAct`, `isEmailAddress`).
 */

/** The invoice register spans at most 12 months. */
export const INVOICE_REGISTER_MAX_MONTHS = 12;
/** The reconciliation act reaches at most 12 months back from today. */
export const RECONCILIATION_WINDOW_MONTHS = 12;
/** The oldest year the API accepts for monthly documents. */
export const FIRST_YEAR = 2000;

export type PeriodProblem = 'required' | 'invalid' | 'future' | 'order' | 'window';
export type MonthRangeProblem = 'required' | 'invalid' | 'future' | 'order' | 'span';
export type EmailProblem = 'required' | 'invalid';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Today in Asia/Almaty, YYYY-MM-DD. */
export function todayInAlmaty(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The current month in Asia/Almaty, YYYY-MM. */
export function currentMonth(now: Date = new Date()): string {
  return todayInAlmaty(now).slice(0, 7);
}

/** The same day `months` months later (or earlier), clipped to the month's last day, as the API counts. */
export function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

/** The default period of the API: one month back to today. */
export function lastMonth(now: Date = new Date()): { from: string; to: string } {
  const to = todayInAlmaty(now);
  return { from: addMonths(to, -1), to };
}

const isDay = (value: string) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

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
    const earliest = addMonths(today, -monthsBack);
    if (to < earliest) return { to: 'window' };
    if (from < earliest) return { from: 'window' };
  }
  return {};
}

/** The first day a period reaching `monthsBack` months back may start on. */
export function earliestDay(monthsBack: number, now: Date = new Date()): string {
  return addMonths(todayInAlmaty(now), -monthsBack);
}

const monthsBetween = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));

/** What is wrong with a range of months (YYYY-MM): both given, not in the future, in order, at most `maxMonths` long. */
export function monthRangeProblems(
  fromMonth: string,
  toMonth: string,
  { now = new Date(), maxMonths = INVOICE_REGISTER_MAX_MONTHS }: { now?: Date; maxMonths?: number } = {},
): { from?: MonthRangeProblem; to?: MonthRangeProblem } {
  const problems: { from?: MonthRangeProblem; to?: MonthRangeProblem } = {};
  const invalid = (month: string) => !MONTH.test(month) || Number(month.slice(0, 4)) < FIRST_YEAR;
  if (!fromMonth) problems.from = 'required';
  else if (invalid(fromMonth)) problems.from = 'invalid';
  if (!toMonth) problems.to = 'required';
  else if (invalid(toMonth)) problems.to = 'invalid';
  else if (toMonth > currentMonth(now)) problems.to = 'future';
  if (problems.from || problems.to) return problems;
  if (fromMonth > toMonth) return { from: 'order' };
  if (monthsBetween(fromMonth, toMonth) >= maxMonths) return { from: 'span' };
  return {};
}

/** Whether a month of a year is still to come (the act of a future month does not exist yet). */
export function isFutureMonth(year: number, month: number, now: Date = new Date()): boolean {
  return `${year}-${String(month).padStart(2, '0')}` > currentMonth(now);
}

// The API's own address rule (narrower than RFC 5322: one mailbox, no display name).
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** What is wrong with an e-mail address typed for a report. */
export function emailProblem(value: string): EmailProblem | null {
  const address = value.trim();
  if (!address) return 'required';
  return address.length <= 254 && ADDRESS.test(address) ? null : 'invalid';
}
