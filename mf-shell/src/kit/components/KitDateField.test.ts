import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { createI18n } from 'vue-i18n';
import { language } from '../language';
import en from '../locales/en.json';
import kk from '../locales/kk.json';
import ru from '../locales/ru.json';
import KitDateField from './KitDateField.vue';

const i18n = (locale: string) => createI18n({ legacy: false, locale, messages: { en: { kit: en }, ru: { kit: ru }, kk: { kit: kk } } });

function field(lang: 'en' | 'ru' | 'kk', props: Record<string, unknown> = {}) {
  language.value = lang;
  return mount(KitDateField, {
    props: { id: 'from', modelValue: '2025-03-31', 'onUpdate:modelValue': (value: string) => wrapper.setProps({ modelValue: value }), ...props },
    global: { plugins: [i18n(lang)] },
  });
}
let wrapper: ReturnType<typeof field>;

describe('KitDateField', () => {
  afterEach(() => {
    language.value = 'en';
  });

  it('shows the day in the language format, day first, and describes that format', () => {
    for (const [lang, shown, format] of [
      ['ru', '31.03.2025', 'ДД.ММ.ГГГГ'],
      ['kk', '31.03.2025', 'КК.АА.ЖЖЖЖ'],
      ['en', '31/03/2025', 'DD/MM/YYYY'],
    ] as const) {
      wrapper = field(lang);
      const input = wrapper.find('input');
      expect((input.element as HTMLInputElement).value).toBe(shown);
      expect(input.attributes('type')).toBe('text');
      const described = input.attributes('aria-describedby')!.split(' ');
      expect(wrapper.find(`#${described[0]}`).text()).toContain(format);
    }
  });

  it('takes a typed day, day first, into its model as YYYY-MM-DD', async () => {
    wrapper = field('ru');
    await wrapper.find('input').setValue('1.2.2025');
    expect(wrapper.props('modelValue')).toBe('2025-02-01');
    await wrapper.find('input').trigger('change');
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('01.02.2025');
    await wrapper.find('input').setValue('15/01/2025');
    expect(wrapper.props('modelValue')).toBe('2025-01-15');
  });

  it('refuses text that is no day, with a message, and leaves no day in the model', async () => {
    wrapper = field('en');
    await wrapper.find('input').setValue('31.02.2025');
    await wrapper.find('input').trigger('change');
    expect(wrapper.props('modelValue')).toBe('');
    const input = wrapper.find('input');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(wrapper.find('[role="alert"]').text()).toBe('Enter a date as DD/MM/YYYY.');
    expect(input.attributes('aria-describedby')).toContain(wrapper.find('[role="alert"]').attributes('id'));
  });

  it('refuses a day outside its window with the window end, unless the caller says it already', async () => {
    wrapper = field('ru', { min: '2025-01-01', max: '2025-03-31' });
    await wrapper.find('input').setValue('31.12.2024');
    expect(wrapper.find('[role="alert"]').text()).toBe('Самая ранняя дата — 01.01.2025.');
    expect(wrapper.find('input').attributes('aria-invalid')).toBe('true');
    await wrapper.find('input').setValue('01.04.2025');
    expect(wrapper.find('[role="alert"]').text()).toBe('Самая поздняя дата — 31.03.2025.');
    await wrapper.setProps({ error: true });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    await wrapper.find('input').setValue('15.02.2025');
    await wrapper.setProps({ error: false });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(wrapper.find('input').attributes('aria-invalid')).toBe('false');
  });

  it('follows its model and the language', async () => {
    wrapper = field('ru');
    await wrapper.setProps({ modelValue: '2024-12-01' });
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('01.12.2024');
    language.value = 'en';
    await nextTick();
    expect((wrapper.find('input').element as HTMLInputElement).value).toBe('01/12/2024');
  });
});
