import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import DeviceRegistrationDialog from './DeviceRegistrationDialog.vue';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const device = (lastImei: string | null, lastImeiRegistered: boolean, registered: { imei: string; registeredAt: string }[] = []) => ({
  id: 'TnVtYmVyOjM=',
  msisdn: '77010542003',
  device: { lastImei, lastImeiRegistered, registered },
});
const accepted = (kind: string) => ({
  data: { op: { id: 'op', kind, status: 'IN_PROCESS', parameters: [], number: { id: 'TnVtYmVyOjM=', msisdn: '77010542003' } } },
});

function render(mutate: jest.Mock, number = device('356938035643809', false), pendingImeis: string[] = []) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit: { errors: {}, close: 'Close' } } } });
  return mount(DeviceRegistrationDialog, { props: { open: true, number, pendingImeis }, global: { plugins: [i18n] }, attachTo: document.body });
}

describe('DeviceRegistrationDialog', () => {
  it('offers to register the last device only while it is not registered', () => {
    expect(render(jest.fn()).find('[data-test="register-device"]').exists()).toBe(true);
    expect(render(jest.fn(), device('356938035643809', true)).find('[data-test="register-device"]').exists()).toBe(false);
    expect(render(jest.fn(), device(null, false)).find('[data-test="register-device"]').exists()).toBe(false);
  });

  it('registers once however often it is clicked, with an idempotency key', async () => {
    let answer!: (value: unknown) => void;
    const mutate = jest.fn().mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const dialog = render(mutate);
    await dialog.get('[data-test="register-device"]').trigger('click');
    await dialog.get('[data-test="register-device"]').trigger('click');
    answer(accepted('REGISTER_DEVICE'));
    await flushPromises();
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0][0].variables).toMatchObject({
      numberId: 'TnVtYmVyOjM=',
      imei: null,
      idempotencyKey: expect.stringMatching(/^cabinet-.+:REGISTER_DEVICE$/),
    });
  });

  it('removes the registration of the device chosen, and waits while one is in process', async () => {
    const mutate = jest.fn().mockResolvedValue(accepted('UNREGISTER_DEVICE'));
    const registered = [
      { imei: '356938035643809', registeredAt: '2025-03-01T10:00:00Z' },
      { imei: '490154203237518', registeredAt: '2025-03-02T10:00:00Z' },
    ];
    const dialog = render(mutate, device('356938035643809', true, registered), ['490154203237518']);
    const pending = dialog.get('[data-imei="490154203237518"] button');
    expect(pending.attributes('disabled')).toBeDefined();
    expect(pending.text()).toBe('In process');
    await dialog.get('[data-imei="356938035643809"] button').trigger('click');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables).toMatchObject({ imei: '356938035643809' });
  });

  it("shows the API's refusal", async () => {
    const error = Object.assign(new Error('x'), { graphQLErrors: [{ message: 'blocked', extensions: { code: 'NUMBER_BLOCKED_FOR_DEBT' } }] });
    const dialog = render(jest.fn().mockRejectedValue(error));
    await dialog.get('[data-test="register-device"]').trigger('click');
    await flushPromises();
    expect(dialog.get('[role="alert"]').text()).toBe(en.numbers.errors.NUMBER_BLOCKED_FOR_DEBT);
  });
});
