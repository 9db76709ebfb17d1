import { language } from '@cabinet/kit';
import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../locales/en.json';
import LanguageSwitcher from './LanguageSwitcher.vue';

describe('LanguageSwitcher', () => {
  const render = () => mount(LanguageSwitcher, { global: { plugins: [createI18n({ legacy: false, locale: 'en', messages: { en } })] } });

  it('offers EN, RU and KK as a labelled group, the current one pressed', () => {
    language.value = 'en';
    const switcher = render();
    expect(switcher.attributes('role')).toBe('group');
    expect(switcher.attributes('aria-label')).toBe('Language');
    expect(switcher.findAll('button').map((b) => b.text())).toEqual(['EN', 'RU', 'KK']);
    expect(switcher.find('button[aria-pressed="true"]').text()).toBe('EN');
    expect(switcher.find('[data-language="kk"]').attributes('aria-label')).toBe('KK — Қазақша');
  });

  it('switches the whole portal, remembered in the browser before sign-in', async () => {
    language.value = 'en';
    const switcher = render();
    await switcher.find('[data-language="kk"]').trigger('click');
    expect(language.value).toBe('kk');
    expect(document.documentElement.lang).toBe('kk');
    expect(localStorage.getItem('cabinet.language')).toBe('kk');
  });
});
