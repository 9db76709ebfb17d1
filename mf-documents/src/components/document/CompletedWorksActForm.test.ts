import { mount } from '@vue/test-utils';
import { sectionI18n } from '../../testing';
import CompletedWorksActForm from './CompletedWorksActForm.vue';

const NOW = new Date('2026-03-15T06:00:00Z');
const ACCOUNTS = [
  { id: 'QWNjb3VudDox', accountNo: '25060831', paymentMethod: 'CREDIT' as const },
  { id: 'QWNjb3VudDoy', accountNo: '25060832', paymentMethod: 'ADVANCE' as const },
];

const render = (lang: 'en' | 'ru' = 'en') => mount(CompletedWorksActForm, { props: { accounts: ACCOUNTS, now: NOW }, global: { plugins: [sectionI18n(lang)] } });

describe('CompletedWorksActForm', () => {
  it('asks for the act of a chosen account, for the previous month by default', async () => {
    const form = render();
    await form.get('select[name="accountId"]').setValue('QWNjb3VudDox');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toEqual([[{ accountId: 'QWNjb3VudDox', year: 2026, month: 2 }]]);
  });

  it('needs an account to be chosen', async () => {
    const form = render();
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.get('[data-error="account"]').text()).toBe('Choose a personal account.');
  });

  it('finds the account by a phone number, as the API wants it written', async () => {
    const form = render();
    await form.get('input[value="phone"]').setValue(true);
    const phone = form.get('input[name="msisdn"]');
    await phone.setValue('8 701 054 20');
    await form.get('form').trigger('submit');
    expect(form.get('[data-error="phone"]').text()).toBe('Enter a number of 11 digits starting with 7.');
    await phone.setValue('+7 701 054 20 06');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toEqual([[{ msisdn: '77010542006', year: 2026, month: 2 }]]);
  });

  it('refuses a month that has not begun', async () => {
    const form = render('ru');
    await form.get('select[name="accountId"]').setValue('QWNjb3VudDox');
    await form.get('select[name="month"]').setValue('4');
    await form.get('form').trigger('submit');
    expect(form.emitted('submit')).toBeUndefined();
    expect(form.get('[data-error="month"]').text()).toBe('Акта за еще не начавшийся месяц пока нет.');
  });

  it('shows the personal accounts with their payment method', () => {
    const form = render();
    expect(form.get('option[data-account-no="25060831"]').text()).toBe('25060831 (credit)');
  });
});
