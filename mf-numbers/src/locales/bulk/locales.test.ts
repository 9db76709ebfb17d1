import en from './en.json';
import kk from './kk.json';
import ru from './ru.json';

const keys = (messages: object, prefix = ''): string[] =>
  Object.entries(messages).flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const at = (messages: object, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string;

describe('fleet operations messages', () => {
  it.each([
    ['ru', ru],
    ['kk', kk],
  ])('%s has every English message, with the same placeholders, and no empty one', (_language, messages) => {
    expect(keys(messages).sort()).toEqual(keys(en).sort());
    for (const key of keys(en)) {
      expect(at(messages, key).trim()).not.toBe('');
      expect(placeholders(at(messages, key))).toEqual(placeholders(at(en, key)));
    }
  });
});
