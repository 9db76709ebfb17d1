import type { Language } from '../core/language';
import { TIME_ZONE } from '../core/period';

/** How a table column's values are read and shown. */
export type ColumnKind = 'text' | 'money' | 'datetime' | 'integer';

const LOCALES: Record<Language, string> = { en: 'en-US', ru: 'ru-RU', kk: 'kk-KZ' };

const UNITS: Record<Language, { minutes: string; seconds: string; megabytes: string }> = {
  en: { minutes: 'min', seconds: 'sec', megabytes: 'MB' },
  ru: { minutes: 'мин', seconds: 'сек', megabytes: 'МБ' },
  kk: { minutes: 'мин', seconds: 'сек', megabytes: 'МБ' },
};

const NBSP = '\u00a0';

interface NumberSymbols {
  integer: Intl.NumberFormat;
  decimal: string;
  minus: string;
}

const symbols = new Map<Language, NumberSymbols>();

function numberSymbols(language: Language): NumberSymbols {
  let found = symbols.get(language);
  if (!found) {
    const integer = new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 0 });
    const parts = integer.formatToParts(-1);
    const decimalParts = new Intl.NumberFormat(LOCALES[language], { minimumFractionDigits: 1 }).formatToParts(1.5);
    found = {
      integer,
      decimal: decimalParts.find((part) => part.type === 'decimal')?.value ?? '.',
      minus: parts.find((part) => part.type === 'minusSign')?.value ?? '-',
    };
    symbols.set(language, found);
  }
  return found;
}

/** `units` in 1/10^digits as a plain decimal string: decimalString(-12345n, 2) is "-123.45". */
export function decimalString(units: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const magnitude = units < 0n ? -units : units;
  const fraction = digits > 0 ? `.${(magnitude % scale).toString().padStart(digits, '0')}` : '';
  return `${units < 0n ? '-' : ''}${magnitude / scale}${fraction}`;
}

/**
 * `units` in 1/10^digits, localized with exactly `digits` decimals. Intl only groups the whole part
 * (it formats bigint exactly); the digits never pass through a float.
 */
export function formatDecimal(units: bigint, digits: number, language: Language): string {
  const { integer, decimal, minus } = numberSymbols(language);
  const scale = 10n ** BigInt(digits);
  const magnitude = units < 0n ? -units : units;
  const whole = integer.format(magnitude / scale);
  const fraction = digits > 0 ? decimal + (magnitude % scale).toString().padStart(digits, '0') : '';
  return `${units < 0n ? minus : ''}${whole}${fraction}`;
}

/** Tiyn as tenge with two decimals and ₸, e.g. en "9,793.33 ₸", ru/kk "9 793,33 ₸" (non-breaking spaces). */
export function formatMoney(tiyn: bigint, language: Language): string {
  return `${formatDecimal(tiyn, 2, language)}${NBSP}₸`;
}

/** An integer with the language's digit grouping. */
export function formatInteger(value: bigint | number, language: Language): string {
  return numberSymbols(language).integer.format(value);
}

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

/** Whole seconds as "5 min 3 sec" ("5 мин 3 сек", non-breaking spaces); minutes are left out under a minute ("45 sec"). */
export function formatDuration(seconds: number | bigint, language: Language): string {
  const total = BigInt(seconds);
  if (total < 0n) throw new RangeError(`Duration must not be negative: ${seconds}`);
  const units = UNITS[language];
  const rest = `${total % 60n}${NBSP}${units.seconds}`;
  return total < 60n ? rest : `${formatInteger(total / 60n, language)}${NBSP}${units.minutes}${NBSP}${rest}`;
}

/** Kilobytes as megabytes (1 MB = 1024 KB) with two decimals, rounded half away from zero: "1.50 MB". */
export function formatVolumeKb(kb: bigint, language: Language): string {
  const magnitude = kb < 0n ? -kb : kb;
  const hundredths = (magnitude * 100n * 2n + 1024n) / (1024n * 2n);
  return `${formatDecimal(kb < 0n ? -hundredths : hundredths, 2, language)}${NBSP}${UNITS[language].megabytes}`;
}

/** A Kazakhstani number as printed by the operator, "+7 701 054 20 01"; anything else as it is. */
export function formatPhone(value: string): string {
  const match = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(value);
  return match ? `+7 ${match[1]} ${match[2]} ${match[3]} ${match[4]}` : value;
}
