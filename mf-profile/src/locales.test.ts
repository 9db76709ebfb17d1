import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';

function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('the profile’s messages', () => {
  it('say the same things in English, Russian and Kazakh', () => {
    expect(keys(ru).sort()).toEqual(keys(en).sort());
    expect(keys(kk).sort()).toEqual(keys(en).sort());
  });

  it('translate every error code of the webhooks and every reason a URL is refused', () => {
    for (const messages of [en, ru, kk]) {
      expect(Object.keys(messages.profile.webhooks.errors).sort()).toEqual(['WEBHOOK_ENDPOINT_DISABLED', 'WEBHOOK_ENDPOINT_LIMIT', 'WEBHOOK_URL_NOT_ALLOWED']);
      expect(Object.keys(messages.profile.webhooks.urlRefused).sort()).toEqual(['CREDENTIALS', 'PRIVATE_ADDRESS', 'SCHEME', 'UNRESOLVABLE']);
    }
  });
});
