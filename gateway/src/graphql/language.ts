import type { LocalizedText } from '../billing/billing.entities';
import type { Language } from './context';

export type { LocalizedText };

export function localize(text: LocalizedText, language: Language): string {
  return text[language] || text.en;
}
