import { mount } from '@vue/test-utils';
import { sectionI18n } from '../../testing';
import ReconciliationActForm from './ReconciliationActForm.vue';

const NOW = new Date('2026-03-15T06:00:00Z');

function render(lang: 'en' | 'ru' | 'kk' = 'en') {
  const form = mount(ReconciliationActForm, { props: { defaultEmail: 'petrov.ivan@kcell.kz', now: NOW }, global: { plugins: [sectionI18n(lang)] } });
  return {
    form,
    from: form.get<HTMLInputElement>('input[name="from"]'),
    to: form.get<HTMLInputElement>('input[name="to"]'),
    submit: () => form.get('form').trigger('submit'),
  };
}

describe('ReconciliationActForm', () => {
  it('starts with the last month and sends the period with the e-mail', async () => {
    const { form, from, to, submit } = render();
    expect(from.element.value).toBe('15/02/2026');
    expect(to.element.value).toBe('15/03/2026');
    await submit();
    expect(form.emitted('submit')).toEqual([[{ from: '2026-02-15', to: '2026-03-15', email: 'petrov.ivan@kcell.kz' }]]);
  });

  it('explains the 12-month window and offers no earlier day or later than today', () => {
    const { form, from, to } = render();
    expect(form.text()).toContain('The longest period is 12 months back from today: from 15/03/2025 at the earliest.');
    expect(from.attributes('data-min')).toBe('2025-03-15');
    expect(to.attributes('data-max')).toBe('2026-03-15');
  });

  it('accepts exactly 12 months back and refuses a day more', async () => {
    const { form, from, submit } = render();
    await from.setValue('15/03/2025');
    await submit();
    expect(form.emitted('submit')).toHaveLength(1);
    await from.setValue('14/03/2025');
    await submit();
    expect(form.emitted('submit')).toHaveLength(1);
    expect(form.get('[data-error="from"]').text()).toBe('The period may start no earlier than 15/03/2025: at most 12 months back from today.');
    expect(from.attributes('aria-invalid')).toBe('true');
  });

  it('refuses an end in the future and a start after the end', async () => {
    const { form, from, to, submit } = render();
    await to.setValue('16/03/2026');
    await submit();
    expect(form.get('[data-error="to"]').text()).toBe('The period cannot end in the future.');
    await to.setValue('01/03/2026');
    await from.setValue('10/03/2026');
    expect(form.find('[data-error="to"]').exists()).toBe(false);
    expect(form.get('[data-error="from"]').text()).toBe('The start must not be after the end.');
    expect(form.emitted('submit')).toBeUndefined();
  });

  it('needs an e-mail address too', async () => {
    const { form, submit } = render();
    await form.get('input[type="email"]').setValue('not an address');
    await submit();
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.find('[data-error="email"]').exists()).toBe(true);
  });

  it('explains the window in Russian and Kazakh', () => {
    expect(render('ru').form.text()).toContain('Максимальный период запроса — 12 месяцев от текущей даты: не раньше 15.03.2025.');
    expect(render('kk').form.text()).toContain('Сұраудың ең ұзақ кезеңі — бүгіннен бастап 12 ай: 15.03.2025 күнінен ерте емес.');
  });
});
