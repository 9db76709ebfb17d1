import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import NumberTariffChoices from './NumberTariffChoices.vue';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const choices = [
  { id: 'VGFyaWZmOjM=', code: '11_CORP', name: '11 corp', monthlyFee: '2500.00' },
  { id: 'VGFyaWZmOjY=', code: 'BUSINESS_CLASS_DIRECTOR', name: 'Business Class Director', monthlyFee: '12900.00' },
];
const number = (allowedOperations: string[]) => ({ id: 'TnVtYmVyOjY=', msisdn: '77010542006', allowedOperations, tariffChoices: choices }) as never;

function render(props: { number: never; operations?: unknown[] }, mutate = jest.fn()) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  const kit = { errors: { INTERNAL_SERVER_ERROR: 'Something went wrong' }, close: 'Close' };
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit } } });
  return mount(NumberTariffChoices, { props: { operations: [], ...props } as never, global: { plugins: [i18n] }, attachTo: document.body });
}

describe('NumberTariffChoices', () => {
  it('lists the plans the number may move to with their monthly fee, and moves it to the one confirmed', async () => {
    const operation = {
      id: 'op-1',
      kind: 'CHANGE_TARIFF',
      status: 'IN_PROCESS',
      failureReason: null,
      createdAt: '',
      finishedAt: null,
      parameters: [],
      number: { id: 'TnVtYmVyOjY=', msisdn: '77010542006' },
    };
    const mutate = jest.fn().mockResolvedValue({ data: { changeTariff: operation } });
    const list = render({ number: number(['CHANGE_TARIFF', 'BLOCK_NUMBER']) }, mutate);
    expect(list.findAll('[data-tariff]').map((row) => row.attributes('data-tariff'))).toEqual(['11_CORP', 'BUSINESS_CLASS_DIRECTOR']);
    expect(list.get('[data-tariff="BUSINESS_CLASS_DIRECTOR"]').text()).toMatch(/12[\s\u00a0,]?900/);
    await list.get('[data-tariff="BUSINESS_CLASS_DIRECTOR"] [data-test="change-tariff"]').trigger('click');
    const form = document.body.querySelector('form[data-operation="CHANGE_TARIFF"]') as HTMLFormElement;
    expect(form.textContent).toContain('Business Class Director');
    form.dispatchEvent(new Event('submit'));
    await flushPromises();
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0][0].variables).toMatchObject({ numberId: 'TnVtYmVyOjY=', tariffId: 'VGFyaWZmOjY=' });
    list.unmount();
  });

  it('offers no change on a number that is not Active, and says why', () => {
    const list = render({ number: number(['REGISTER_DEVICE']) });
    expect(list.findAll('[data-test="change-tariff"]')).toHaveLength(0);
    expect(list.find('[data-test="tariffs-active-only"]').exists()).toBe(true);
    list.unmount();
  });

  it('shows the change in process on its plan and offers no other until it is done', () => {
    const pending = { kind: 'CHANGE_TARIFF', status: 'IN_PROCESS', parameters: [{ name: 'tariff', value: '11_CORP' }] };
    const list = render({ number: number(['CHANGE_TARIFF']), operations: [pending] });
    expect(list.get('[data-tariff="11_CORP"]').find('.k-badge').exists()).toBe(true);
    expect(list.findAll('[data-test="change-tariff"]')).toHaveLength(0);
    list.unmount();
  });
});
