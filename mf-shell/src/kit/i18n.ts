import { watch, type WatchStopHandle } from 'vue';
import { createI18n } from 'vue-i18n';
import { formatDate, formatDateTime, formatInteger, formatMoney } from './format';
import { language, type Language } from './language';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';

export type Messages = Record<Language, Record<string, unknown>>;
const KIT_MESSAGES: Messages = { en, ru, kk };

/**
 * A vue-i18n instance for one mounted Vue app (the shell or a section) that follows the portal's language.
 * The kit's own messages are under `kit.`. vue-i18n disposes an instance when its app unmounts, so every
 * mount makes a new one; call `stop` on unmount.
 */
export function createKitI18n(messages: Messages) {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const lang of Object.keys(KIT_MESSAGES) as Language[]) merged[lang] = { ...messages[lang], kit: KIT_MESSAGES[lang] };
  const i18n = createI18n({
    legacy: false,
    locale: language.value,
    fallbackLocale: 'en',
    // The kit and each section merge their JSON messages at run time; vue-i18n's message types want one literal
    // schema known at compile time, which no single type here describes.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    messages: merged as Record<string, any>,
    missingWarn: false,
    fallbackWarn: false,
  });
  const stop: WatchStopHandle = watch(language, (value) => {
    i18n.global.locale.value = value;
  });
  return { i18n, stop };
}

/** Formatters bound to the portal's current language, for templates. */
export function useFormat() {
  return {
    money: (amount: string | null | undefined) => formatMoney(amount, language.value),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, language.value),
    date: (date: string | null | undefined) => formatDate(date, language.value),
    integer: (value: string | number | bigint) => formatInteger(value, language.value),
  };
}
