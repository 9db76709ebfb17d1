/** A text in each language the portal speaks. */
export interface LocalizedText {
  en: string;
  ru: string;
  kk: string;
}

export type Language = 'en' | 'ru' | 'kk';
export const LANGUAGES: Language[] = ['en', 'ru', 'kk'];

export function localize(text: LocalizedText, language: Language): string {
  return text[language] || text.en;
}

/** Picks en, ru or kk from an Accept-Language header; English when none matches. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { tag: tag.toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((entry) => (LANGUAGES as string[]).includes(entry.tag))?.tag as Language | undefined) ?? 'en';
}
