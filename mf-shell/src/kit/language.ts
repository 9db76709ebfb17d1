import { ref, watch } from 'vue';

export type Language = 'en' | 'ru' | 'kk';
export const LANGUAGES: readonly Language[] = ['en', 'ru', 'kk'];
/** Names of the languages in themselves, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', kk: 'Қазақша' };

const STORAGE_KEY = 'cabinet.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function initialLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be disabled; the browser's language still applies.
  }
  const browser = globalThis.navigator?.language?.slice(0, 2).toLowerCase();
  return isLanguage(browser) ? browser : 'ru';
}

/** The language of the whole portal, shared by the shell and every section. */
export const language = ref<Language>(initialLanguage());

watch(
  language,
  (value) => {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, value);
    } catch {
      // Not persisted in this browser; the administrator's profile still keeps it.
    }
    if (globalThis.document) document.documentElement.lang = value;
  },
  { immediate: true },
);
