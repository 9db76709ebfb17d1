import type { Language } from '../core/language';

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

export { almatyWallClock, formatDateTime, type WallClock } from '../core/wall-clock';

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
