import { mount } from '@vue/test-utils';
import { sectionI18n } from '../../testing';
import NumbersReportForm from './NumbersReportForm.vue';

const render = (props: Record<string, unknown> = {}, lang: 'en' | 'ru' | 'kk' = 'en') =>
  mount(NumbersReportForm, { props: { defaultEmail: 'petrov.ivan@kcell.kz', ...props }, global: { plugins: [sectionI18n(lang)] } });

describe('NumbersReportForm', () => {
  it("offers the administrator's own e-mail and sends the report there", async () => {
    const form = render();
    const input = form.get<HTMLInputElement>('input[type="email"]');
    expect(input.element.value).toBe('petrov.ivan@kcell.kz');
    expect(form.text()).toContain('yours (petrov.ivan@kcell.kz)');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toEqual([['petrov.ivan@kcell.kz']]);
  });

  it('sends to another address, trimmed', async () => {
    const form = render();
    await form.get('input[type="email"]').setValue('  buh@company.kz ');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toEqual([['buh@company.kz']]);
  });

  it('refuses an empty or malformed address, marks the field and says why', async () => {
    const form = render();
    const input = form.get('input[type="email"]');
    await input.setValue('');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.get('[data-error="email"]').text()).toBe('Enter the e-mail address to send the report to.');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toBe(form.get('[data-error="email"]').attributes('id'));

    await input.setValue('buh@company');
    expect(form.get('[data-error="email"]').text()).toBe('Enter one e-mail address, for example name@company.kz.');
    await input.setValue('buh@company.kz');
    expect(form.find('[data-error="email"]').exists()).toBe(false);
  });

  it("shows the API's refusal of the address in the administrator's language", () => {
    const form = render({ problem: { code: 'BAD_USER_INPUT', message: 'email must be one e-mail address', field: 'email' } }, 'ru');
    expect(form.get('[role="alert"].k-alert').text()).toBe('Проверьте выделенные поля.');
    expect(form.get('[data-error="email"]').text()).toBe('Этот электронный адрес не принят.');
  });

  it('speaks Kazakh', () => {
    const form = render({}, 'kk');
    expect(form.get('button[type="submit"]').text()).toBe('Сұрау');
    expect(form.get('label').text()).toBe('Email');
  });
});
