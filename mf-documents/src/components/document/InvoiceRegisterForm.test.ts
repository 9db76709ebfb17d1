import { mount } from '@vue/test-utils';
import { sectionI18n } from '../../testing';
import InvoiceRegisterForm from './InvoiceRegisterForm.vue';

const NOW = new Date('2026-03-15T06:00:00Z');
// What the API offers on NOW: the ended months with charges, newest first (March is not over).
const MONTHS = ['2026-02', '2026-01', '2025-12', '2025-11', '2025-10', '2025-09', '2025-08', '2025-07', '2025-06', '2025-05', '2025-04', '2025-03', '2025-02'];

function render(lang: 'en' | 'ru' | 'kk' = 'en') {
  const form = mount(InvoiceRegisterForm, { props: { now: NOW, months: MONTHS }, global: { plugins: [sectionI18n(lang)] } });
  const pick = async (bound: 'from' | 'to', month: number, year: number) => {
    await form.get(`select[name="${bound}Year"]`).setValue(String(year));
    await form.get(`select[name="${bound}Month"]`).setValue(String(month));
  };
  return { form, pick, submit: () => form.get('form').trigger('submit') };
}

describe('InvoiceRegisterForm', () => {
  it('starts with the newest month the API can list and asks for the chosen range', async () => {
    const { form, pick, submit } = render();
    expect((form.get('select[name="fromMonth"]').element as HTMLSelectElement).value).toBe('2');
    expect((form.get('select[name="toYear"]').element as HTMLSelectElement).value).toBe('2026');
    await pick('from', 3, 2025);
    await submit();
    expect(form.emitted('submit')).toEqual([[{ fromMonth: '2025-03', toMonth: '2026-02' }]]);
  });

  it('refuses a range of more than 12 months and explains the rule', async () => {
    const { form, pick, submit } = render();
    expect(form.text()).toContain('At most 12 months that have ended.');
    await pick('from', 2, 2025);
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

  it('offers no month that has not ended: the current one is not listable yet', () => {
    const { form } = render();
    const march = form.get('select[name="toMonth"] option[value="3"]');
    const february = form.get('select[name="toMonth"] option[value="2"]');
    expect(march.attributes('disabled')).toBeDefined();
    expect(february.attributes('disabled')).toBeUndefined();
  });

  it('shows the API’s reason for refusing the last month', async () => {
    const { form } = render();
    await form.setProps({ problem: { code: 'BAD_USER_INPUT', field: 'toMonth', reason: 'MONTH_NOT_ENDED', message: 'March 2026 has not ended yet.' } });
    expect(form.get('[data-error="to"]').text()).toBe('March 2026 has not ended yet.');
  });

  it('names the months in Kazakh', () => {
    const { form } = render('kk');
    expect(form.get('select[name="fromMonth"] option[value="3"]').text()).toBe('Наурыз');
    expect(form.get('button[type="submit"]').text()).toBe('Жүктеу');
  });
});
