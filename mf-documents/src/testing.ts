import { createKitI18n, language, type Language } from '@cabinet/kit';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';

/** The section's messages with the kit's, as a mounted section has them, in the given language. */
export function sectionI18n(lang: Language = 'en') {
  language.value = lang;
  return createKitI18n({ en, ru, kk }).i18n;
}
