import { isDay } from '@cabinet/schema/rules';

/**
 * Days as the API takes them (YYYY-MM-DD in Asia/Almaty) and the arithmetic its period rules use — the
 * contract's own (@cabinet/schema/rules), so that forms refuse what the API would refuse — and the reading of
 * a typed day.
 */
export {
  addDays,
  addMonths,
  currentMonth,
  isDay,
  lastMonth,
  todayInAlmaty,
  windowStartByDays,
  windowStartByMonths,
  type DayPeriod,
} from '@cabinet/schema/rules';

const TYPED_DAY = /^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{4})$/;

/** A day typed day first (31.12.2025, 31/12/2025, 1.2.2025) or as YYYY-MM-DD, as YYYY-MM-DD; null when it is no day. */
export function parseDay(text: string): string | null {
  const value = text.trim();
  if (isDay(value)) return value;
  const match = TYPED_DAY.exec(value);
  if (!match) return null;
  const day = `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}`;
  return isDay(day) ? day : null;
}
