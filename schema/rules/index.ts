/**
 * @cabinet/schema/rules — the rules of the contract that the gateway enforces and the front ends check before
 * asking: one copy, imported by both.
 */
export { isEmailAddress } from './email';
export {
  addDays,
  addMonths,
  currentMonth,
  isDay,
  lastMonth,
  monthsBetween,
  TIME_ZONE,
  todayInAlmaty,
  windowStartByDays,
  windowStartByMonths,
  type DayPeriod,
} from './dates';
export {
  API_KEY_BUDGET,
  DEFAULT_PAGE_SIZE,
  FIRST_DOCUMENT_YEAR,
  INVOICE_REGISTER_MAX_MONTHS,
  MAX_PAGE_SIZE,
  QUERY_LIMITS,
  RECONCILIATION_WINDOW_MONTHS,
  USAGE_WINDOW_DAYS,
} from './limits';
export { containsIdentity, normalizePassword, PASSWORD_MAX, PASSWORD_MIN, passwordLength, type PasswordContext } from './password';
