import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import ru from '../../locales/ru.json';
import type { OperationRequest } from '../../composables/useNumberOperation';
import ConfirmOperationDialog from './ConfirmOperationDialog.vue';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const number = { id: 'TnVtYmVyOjY=', msisdn: '77010542006' };
const operation = { id: 'op-1', kind: 'BLOCK_NUMBER', status: 'IN_PROCESS', failureReason: null, createdAt: '', finishedAt: null, parameters: [], number };
const apiFailure = (code: string, message = 'refused') => Object.assign(new Error(message), { graphQLErrors: [{ message, extensions: { code } }] });

function render(mutate: jest.Mock, locale: 'en' | 'ru' = 'en', request: OperationRequest = { kind: 'BLOCK_NUMBER' }) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  const kit = { errors: { INTERNAL_SERVER_ERROR: 'Something went wrong', NETWORK_ERROR: 'Offline' }, close: 'Close' };
  const i18n = createI18n({ legacy: false, locale, messages: { en: { ...en, kit }, ru: { ...ru, kit } } });
  return mount(ConfirmOperationDialog, { props: { open: true, number, request }, global: { plugins: [i18n] }, attachTo: document.body });
}

describe('ConfirmOperationDialog', () => {
  it('asks before blocking and submits the block once confirmed, then closes', async () => {
    const mutate = jest.fn().mockResolvedValue({ data: { blockNumber: operation } });
    const dialog = render(mutate);
    expect(dialog.text()).toContain('Are you sure you want to block this number?');
    expect(dialog.text()).toContain('+7 701 054 20 06');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0][0].variables).toMatchObject({ numberId: number.id });
    expect(dialog.emitted('close')).toHaveLength(1);
  });

  it('repeats a submission that got no answer with the same idempotency key', async () => {
    const mutate = jest
      .fn()
      .mockRejectedValueOnce(new Error('Failed to fetch'))
      .mockResolvedValue({ data: { blockNumber: operation } });
    const dialog = render(mutate);
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(dialog.text()).toContain('Offline');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    const keys = mutate.mock.calls.map((call) => call[0].variables.idempotencyKey);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_.:-]{1,100}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('explains a refused unblock of a number blocked for debt in the portal language', async () => {
    const mutate = jest.fn().mockRejectedValue(apiFailure('NUMBER_BLOCKED_FOR_DEBT'));
    const dialog = render(mutate, 'ru', { kind: 'UNBLOCK_NUMBER' });
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(dialog.find('[role="alert"]').text()).toContain('Заблокирован / Долг');
    expect(dialog.emitted('close')).toBeUndefined();
  });

  it('falls back to the API message for a code it does not know', async () => {
    const mutate = jest.fn().mockRejectedValue(apiFailure('SOMETHING_NEW', 'A new rule refused it'));
    const dialog = render(mutate);
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(dialog.find('[role="alert"]').text()).toBe('A new rule refused it');
  });

  it('names the service it connects', () => {
    const dialog = render(jest.fn(), 'en', { kind: 'CONNECT_SERVICE', serviceId: 'U2VydmljZTox' });
    expect(dialog.text()).toContain('Connect the service');
  });
});
