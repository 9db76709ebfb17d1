import { mount } from '@vue/test-utils';
import { sectionI18n } from '../../testing';
import InvoiceRegisterForm from './InvoiceRegisterForm.vue';

const NOW = new Date('2026-03-15T06:00:00Z');

function render(lang: 'en' | 'ru' | 'kk' = 'en') {
  const form = mount(InvoiceRegisterForm, { props: { now: NOW }, global: { plugins: [sectionI18n(lang)] } });
  const pick = async (bound: 'from' | 'to', month: number, year: number) => {
    await form.get(`select[name="${bound}Year"]`).setValue(String(year));
    await form.get(`select[name="${bound}Month"]`).setValue(String(month));
  };
  return { form, pick, submit: () => form.get('form').trigger('submit') };
}

describe('InvoiceRegisterForm', () => {
  it('starts with the current month and asks for the chosen range', async () => {
    const { form, pick, submit } = render();
    expect((form.get('select[name="fromMonth"]').element as HTMLSelectElement).value).toBe('3');
    expect((form.get('select[name="toYear"]').element as HTMLSelectElement).value).toBe('2026');
    await pick('from', 4, 2025);
    await submit();
    expect(form.emitted('submit')).toEqual([[{ fromMonth: '2025-04', toMonth: '2026-03' }]]);
  });

  it('refuses a range of more than 12 months and explains the rule', async () => {
    const { form, pick, submit } = render();
    expect(form.text()).toContain('At most 12 months, up to the current month.');
    await pick('from', 3, 2025);
    await submit();
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.get('[data-error="from"]').text()).toBe('The register covers at most 12 months.');
    expect(form.get('select[name="fromMonth"]').attributes('aria-invalid')).toBe('true');
  });

  it('refuses a first month after the last one', async () => {
    const { form, pick, submit } = render();
    await pick('from', 2, 2026);
    await pick('to', 1, 2026);
    await submit();
    expect(form.get('[data-error="from"]').text()).toBe('The first month must not be after the last one.');
    expect(form.emitted('submit')).toBeUndefined();
  });

  it('offers no month to come in the current year', () => {
    const { form } = render();
    const april = form.get('select[name="toMonth"] option[value="4"]');
    const march = form.get('select[name="toMonth"] option[value="3"]');
    expect(april.attributes('disabled')).toBeDefined();
    expect(march.attributes('disabled')).toBeUndefined();
  });

  it('names the months in Kazakh', () => {
    const { form } = render('kk');
    expect(form.get('select[name="fromMonth"] option[value="3"]').text()).toBe('Наурыз');
    expect(form.get('button[type="submit"]').text()).toBe('Жүктеу');
  });
});
