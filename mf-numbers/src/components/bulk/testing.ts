import { language } from '@cabinet/kit';
import { createI18n } from 'vue-i18n';
import bulkEn from '../../locales/bulk/en.json';
import bulkRu from '../../locales/bulk/ru.json';
import en from '../../locales/en.json';
import ru from '../../locales/ru.json';

/** The section's messages as it mounts them, in `locale` (the portal's language too), for component tests of fleet operations. */
export function bulkI18n(locale: 'en' | 'ru' = 'en') {
  language.value = locale;
  const kit = {
    errors: { INTERNAL_SERVER_ERROR: 'Something went wrong', NETWORK_ERROR: 'Offline' },
    close: 'Close',
    date: { format: 'DD/MM/YYYY', formatHint: 'Format: {format}', invalid: 'Not a day', beforeMin: 'Too early', afterMax: 'Too late' },
  };
  return createI18n({ legacy: false, locale, messages: { en: { ...en, bulk: bulkEn, kit }, ru: { ...ru, bulk: bulkRu, kit } } });
}
