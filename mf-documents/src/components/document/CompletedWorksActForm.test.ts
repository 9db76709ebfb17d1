import { mount } from '@vue/test-utils';
import { sectionI18n } from '../../testing';
import CompletedWorksActForm from './CompletedWorksActForm.vue';

const ACCOUNTS = [
  { id: 'QWNjb3VudDox', accountNo: '25060831', paymentMethod: 'CREDIT' as const, actMonths: ['2026-02', '2026-01', '2025-12'] },
  { id: 'QWNjb3VudDoy', accountNo: '25060832', paymentMethod: 'ADVANCE' as const, actMonths: [] },
];
const COMPANY_MONTHS = ['2026-02', '2026-01', '2025-12', '2025-11'];

const render = (lang: 'en' | 'ru' = 'en', problem: Record<string, string> | null = null) =>
  mount(CompletedWorksActForm, {
    props: { accounts: ACCOUNTS, companyMonths: COMPANY_MONTHS, problem: problem as never },
    global: { plugins: [sectionI18n(lang)] },
  });
const offered = (form: ReturnType<typeof render>) => form.findAll('select[name="month"] option').map((o) => o.attributes('value'));

describe('CompletedWorksActForm', () => {
  it('offers only the months the API can issue for the chosen account, the newest first', async () => {
    const form = render();
    await form.get('select[name="accountId"]').setValue('QWNjb3VudDox');
    expect(offered(form)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(form.get('select[name="month"] option').text()).toBe('February 2026');
    await form.get('select[name="month"]').setValue('2026-01');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toEqual([[{ accountId: 'QWNjb3VudDox', year: 2026, month: 1 }]]);
  });

  it('says so when an account has no month to issue, and asks for nothing', async () => {
    const form = render('ru');
    await form.get('select[name="accountId"]').setValue('QWNjb3VudDoy');
    expect(offered(form)).toEqual([]);
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.get('[data-error="month"]').text()).toBe('Акт по этому лицевому счету пока нельзя получить: нет начислений за завершившийся месяц.');
  });

  it('needs an account to be chosen', async () => {
    const form = render();
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.get('[data-error="account"]').text()).toBe('Choose a personal account.');
  });

  it('finds the account by a phone number, as the API wants it written, among the company’s months', async () => {
    const form = render();
    await form.get('input[value="phone"]').setValue(true);
    expect(offered(form)).toEqual(COMPANY_MONTHS);
    const phone = form.get('input[name="msisdn"]');
    await phone.setValue('8 701 054 20');
    await form.get('form').trigger('submit');
    expect(form.get('[data-error="phone"]').text()).toBe('Enter a number of 11 digits starting with 7.');
    await phone.setValue('+7 701 054 20 06');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toEqual([[{ msisdn: '77010542006', year: 2026, month: 2 }]]);
  });

  it('shows the API’s reason for refusing a month under the month', () => {
    const form = render('ru', {
      code: 'BAD_USER_INPUT',
      field: 'month',
      reason: 'NO_CHARGES',
      message: 'По лицевому счету 25060831 нет начислений за Ноябрь 2025: акта за этот месяц нет.',
    });
    expect(form.get('[data-error="month"]').text()).toBe('По лицевому счету 25060831 нет начислений за Ноябрь 2025: акта за этот месяц нет.');
    expect(form.find('.k-alert--error').exists()).toBe(false);
  });

  it('shows the personal accounts with their payment method', () => {
    const form = render();
    expect(form.get('option[data-account-no="25060831"]').text()).toBe('25060831 (credit)');
  });
});
