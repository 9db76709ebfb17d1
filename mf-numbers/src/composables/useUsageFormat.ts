import { formatInteger, language, type Language } from '@cabinet/kit';

const NBSP = '\u00a0';
const UNITS: Record<Language, { minutes: string; seconds: string; megabytes: string; decimal: string }> = {
  en: { minutes: 'min', seconds: 'sec', megabytes: 'MB', decimal: '.' },
  ru: { minutes: 'мин', seconds: 'сек', megabytes: 'МБ', decimal: ',' },
  kk: { minutes: 'мин', seconds: 'сек', megabytes: 'МБ', decimal: ',' },
};

const whole = (value: string | number | bigint | null | undefined): bigint | null => {
  if (value === null || value === undefined || value === '') return null;
  try {
    return BigInt(value);
  } catch {
    return null;
  }
};

/**
 * Whole seconds as "5 min 3 sec" ("45 sec" under a minute), as the usage details file writes them.
 * Seconds arrive as an Int or a BigInt string; both stay exact.
 */
export function formatDuration(seconds: string | number | bigint | null | undefined, lang: Language): string {
  const total = whole(seconds);
  if (total === null || total < 0n) return '—';
  const units = UNITS[lang];
  const rest = `${total % 60n}${NBSP}${units.seconds}`;
  return total < 60n ? rest : `${formatInteger(total / 60n, lang)}${NBSP}${units.minutes}${NBSP}${rest}`;
}

/** Kilobytes as megabytes (1 MB = 1024 KB) with two decimals, rounded half up, as the usage details file writes them. */
export function formatVolumeKb(kb: string | number | bigint | null | undefined, lang: Language): string {
  const total = whole(kb);
  if (total === null || total < 0n) return '—';
  const hundredths = (total * 200n + 1024n) / 2048n;
  const units = UNITS[lang];
  return `${formatInteger(hundredths / 100n, lang)}${units.decimal}${String(hundredths % 100n).padStart(2, '0')}${NBSP}${units.megabytes}`;
}

/** The usage formatters bound to the portal's current language, for templates. */
export function useUsageFormat() {
  return {
    duration: (seconds: string | number | null | undefined) => formatDuration(seconds, language.value),
    volume: (kb: string | number | null | undefined) => formatVolumeKb(kb, language.value),
  };
}
