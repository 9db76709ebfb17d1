import { language, type Language } from '@cabinet/kit';
import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/history/en.json';
import kk from '../../locales/history/kk.json';
import ru from '../../locales/history/ru.json';
import type { PeriodProblems } from '../../composables/usePeriod';
import HistoryPeriodPicker from './HistoryPeriodPicker.vue';

const WINDOW = { min: '2025-01-02', max: '2025-04-01' };

function render({
  problems = {} as PeriodProblems,
  bounds = WINDOW as { min?: string; max: string },
  windowDays = 90 as number | undefined,
  locale = 'en' as Language,
} = {}) {
  language.value = locale;
  const i18n = createI18n({ legacy: false, locale, messages: { en: { history: en }, ru: { history: ru }, kk: { history: kk } } });
  return mount(HistoryPeriodPicker, {
    props: { id: 'p', modelValue: { from: '2025-03-01', to: '2025-04-01' }, problems, bounds, windowDays },
    global: { plugins: [i18n] },
  });
}

describe('HistoryPeriodPicker', () => {
  it('offers only the days of the window in both date fields and explains why', () => {
    const picker = render();
    for (const field of ['from', 'to']) {
      const input = picker.get(`#p-${field}`);
      expect(input.attributes('data-min')).toBe('2025-01-02');
      expect(input.attributes('data-max')).toBe('2025-04-01');
      expect(input.attributes('aria-describedby')).toBe(`p-hint p-${field}-format`);
      expect(picker.get(`label[for="p-${field}"]`).text()).not.toBe('');
    }
    expect(picker.get('#p-hint').text()).toBe('Usage details are kept for 90 days, today included: choose days from 02/01/2025 to 01/04/2025.');
  });

  it('announces what is wrong on the field it concerns', () => {
    const picker = render({ problems: { from: 'beforeWindow' } });
    const input = picker.get('#p-from');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toBe('p-hint p-from-error p-from-format');
    const error = picker.get('#p-from-error');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toBe('Usage details are kept for 90 days: choose 02/01/2025 or later.');
    expect(picker.get('#p-to').attributes('aria-invalid')).toBe('false');
  });

  it('speaks Russian and Kazakh', () => {
    expect(
      render({ problems: { to: 'future' }, locale: 'ru' })
        .get('#p-to-error')
        .text(),
    ).toBe('Дата не может быть в будущем (сегодня 01.04.2025).');
    expect(render({ locale: 'kk' }).get('#p-hint').text()).toContain('90 күн');
  });

  it('sets no lower bound for a period without a window', () => {
    const picker = render({ bounds: { max: '2025-04-01' }, windowDays: undefined });
    expect(picker.get('#p-from').attributes('data-min')).toBeUndefined();
    expect(picker.get('#p-hint').text()).toBe('Any period up to today (01/04/2025).');
  });

  it('edits the period through v-model and submits the form', async () => {
    const picker = render();
    await picker.get('#p-from').setValue('15/03/2025');
    expect(picker.emitted('update:modelValue')).toBeUndefined();
    expect((picker.props('modelValue') as { from: string }).from).toBe('2025-03-15');
    await picker.get('form').trigger('submit');
    expect(picker.emitted('submit')).toHaveLength(1);
  });
});
