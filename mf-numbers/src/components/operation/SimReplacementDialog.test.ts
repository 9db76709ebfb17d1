import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import SimReplacementDialog from './SimReplacementDialog.vue';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const number = { id: 'TnVtYmVyOjM=', msisdn: '77010542003', account: { accountNo: '25060833' } };

function render(mutate: jest.Mock) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit: { errors: {}, close: 'Close' } } } });
  return mount(SimReplacementDialog, { props: { open: true, number }, global: { plugins: [i18n] }, attachTo: document.body });
}

describe('SimReplacementDialog', () => {
  it('groups the ICCID four digits at a time and sends its 20 digits', async () => {
    const mutate = jest.fn().mockResolvedValue({ data: { replaceSim: { id: 'op', kind: 'REPLACE_SIM', status: 'IN_PROCESS', parameters: [], number } } });
    const dialog = render(mutate);
    await dialog.find('input').setValue('89997021000000000014');
    expect((dialog.find('input').element as HTMLInputElement).value).toBe('8999 7021 0000 0000 0014');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables).toMatchObject({ numberId: number.id, iccid: '89997021000000000014' });
  });

  it('refuses a short ICCID or a wrong check digit without asking the API', async () => {
    const mutate = jest.fn();
    const dialog = render(mutate);
    await dialog.find('input').setValue('8999 7021');
    await dialog.find('form').trigger('submit');
    expect(dialog.text()).toContain('The SIM card number is 20 digits.');
    await dialog.find('input').setValue('89997021000000000015');
    await dialog.find('form').trigger('submit');
    expect(dialog.find('input').attributes('aria-invalid')).toBe('true');
    expect(dialog.text()).toContain('wrong check digit');
    expect(mutate).not.toHaveBeenCalled();
  });

  it('shows the stock refusal of the API', async () => {
    const error = Object.assign(new Error('x'), { graphQLErrors: [{ message: 'not free', extensions: { code: 'SIM_NOT_IN_STOCK', field: 'iccid' } }] });
    const dialog = render(jest.fn().mockRejectedValue(error));
    await dialog.find('input').setValue('89997021234567899456');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(dialog.find('[role="alert"]').text()).toContain('not a free card');
  });
});
