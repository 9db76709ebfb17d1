import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import SmsUssdBanDialog from './SmsUssdBanDialog.vue';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const number = { id: 'TnVtYmVyOjM=', msisdn: '77010542003', smsUssdBan: false };
const accepted = { data: { setSmsUssdBan: { id: 'op', kind: 'SET_SMS_USSD_BAN', status: 'IN_PROCESS', parameters: [], number } } };

function render(mutate: jest.Mock, smsUssdBan = false) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit: { errors: {}, close: 'Close' } } } });
  return mount(SmsUssdBanDialog, { props: { open: true, number: { ...number, smsUssdBan } }, global: { plugins: [i18n] }, attachTo: document.body });
}

describe('SmsUssdBanDialog', () => {
  it('cannot be saved until the choice differs from the ban now in force', async () => {
    const dialog = render(jest.fn());
    expect(dialog.get('[data-test="ban-now"]').text()).toBe(en.numbers.ban.off);
    expect(dialog.get('[data-test="confirm-operation"]').attributes('disabled')).toBeDefined();
    await dialog.get('input[type="radio"][value="true"]').setValue(true);
    expect(dialog.get('[data-test="confirm-operation"]').attributes('disabled')).toBeUndefined();
  });

  it('switches the ban once with an idempotency key, then closes', async () => {
    let answer!: (value: unknown) => void;
    const mutate = jest.fn().mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const dialog = render(mutate, true);
    await dialog.get('input[type="radio"][value="false"]').setValue(true);
    await dialog.get('form').trigger('submit');
    await dialog.get('form').trigger('submit');
    answer(accepted);
    await flushPromises();
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0][0].variables).toMatchObject({
      numberId: number.id,
      enabled: false,
      idempotencyKey: expect.stringMatching(/^cabinet-.+:SET_SMS_USSD_BAN$/),
    });
    expect(dialog.emitted('close')).toHaveLength(1);
  });

  it("shows the API's refusal and stays open", async () => {
    const error = Object.assign(new Error('x'), { graphQLErrors: [{ message: 'busy', extensions: { code: 'OPERATION_IN_PROGRESS' } }] });
    const dialog = render(jest.fn().mockRejectedValue(error));
    await dialog.get('input[type="radio"][value="true"]').setValue(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(dialog.get('[role="alert"]').text()).toBe(en.numbers.errors.OPERATION_IN_PROGRESS);
    expect(dialog.emitted('close')).toBeUndefined();
  });
});
