import { TIME_ZONE } from '@cabinet/schema/rules';
import type { Language } from './language';

export { TIME_ZONE };

const LOCALES: Record<Language, string> = { en: 'en-GB', ru: 'ru-RU', kk: 'kk-KZ' };

/** The BCP 47 locale the portal formats a language's numbers and dates with. */
export function localeOf(language: Language): string {
  return LOCALES[language];
}

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

// Separators are the portal's own, not the browser's locale data: some browsers carry no Kazakh number
// formats and would silently fall back to English ones.
const SEPARATORS: Record<Language, { group: string; decimal: string; date: string }> = {
  en: { group: ',', decimal: '.', date: '/' },
  ru: { group: '\u00a0', decimal: ',', date: '.' },
  kk: { group: '\u00a0', decimal: ',', date: '.' },
};

const groupDigits = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/**
 * Formats a Money decimal string ("9793.33") as tenge in the language's conventions ("9 793,33 ₸").
 * The digits are taken from the string: the amount never becomes a float. Whole amounts drop ".00", as the
 * operator's documents print them.
 */
export function formatMoney(amount: string | null | undefined, language: Language): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const match = MONEY.exec(amount.trim());
  if (!match) return `${amount} ₸`;
  const [, sign, wholeDigits, fraction = ''] = match;
  const { group, decimal } = SEPARATORS[language];
  const whole = wholeDigits.replace(/^0+(?=\d)/, '');
  const cents = fraction.padEnd(2, '0');
  const body = cents === '00' ? groupDigits(whole, group) : `${groupDigits(whole, group)}${decimal}${cents}`;
  const minus = sign && (whole !== '0' || cents !== '00') ? '−' : '';
  return `${minus}${body}\u00a0₸`;
}

/** Formats a whole count (a BigInt-safe string or a number) with the language's digit grouping. */
export function formatInteger(value: string | number | bigint, language: Language): string {
  const text = String(value);
  const negative = text.startsWith('-');
  return `${negative ? '−' : ''}${groupDigits(text.replace(/^-/, ''), SEPARATORS[language].group)}`;
}

const ALMATY_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Date and time in Asia/Almaty, e.g. "06.08.2018, 10:25:25" in Russian and Kazakh, "06/08/2018, 10:25:25" in English. */
export function formatDateTime(iso: string | null | undefined, language: Language): string {
  if (!iso) return '—';
  const p = Object.fromEntries(ALMATY_PARTS.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  const separator = SEPARATORS[language].date;
  return `${p.day}${separator}${p.month}${separator}${p.year}, ${p.hour}:${p.minute}:${p.second}`;
}

/** A calendar date (YYYY-MM-DD, already in Asia/Almaty) in the language's short format. */
export function formatDate(date: string | null | undefined, language: Language): string {
  if (!date) return '—';
  const [year, month, day] = date.split('-');
  const separator = SEPARATORS[language].date;
  return `${day}${separator}${month}${separator}${year}`;
}

/** "77010542006" → "+7 701 054 20 06", as the operator writes numbers. */
export function formatPhone(msisdn: string | null | undefined): string {
  if (!msisdn) return '—';
  const m = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(msisdn);
  return m ? `+7 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : msisdn;
}

/** What a person typed as a phone ("+7 701 211-21-70", "87012112170") as the API wants it: 11 digits starting with 7. */
export function normalizePhone(input: string): string {
  const digits = input.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) return `7${digits.slice(1)}`;
  if (digits.length === 10) return `7${digits}`;
  return digits;
}
