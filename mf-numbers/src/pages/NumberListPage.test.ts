import { useQuery } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, ref } from 'vue';
import { createI18n } from 'vue-i18n';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import { NumberListDocument } from '../graphql/generated/graphql';
import bulkEn from '../locales/bulk/en.json';
import en from '../locales/en.json';
import { routes } from '../router';
import NumberListPage from './NumberListPage.vue';

jest.mock('@vue/apollo-composable', () => ({
  useQuery: jest.fn(),
  useMutation: jest.fn(() => ({ mutate: jest.fn(), loading: { value: false } })),
  useSubscription: jest.fn(() => ({ onResult: jest.fn(), onError: jest.fn() })),
  useApolloClient: jest.fn(() => ({ resolveClient: jest.fn() })),
}));

const row = (msisdn: string) => ({
  id: `n${msisdn}`,
  msisdn,
  state: 'ACTIVE',
  balance: '100.00',
  allowedOperations: ['BLOCK_NUMBER'],
  account: { id: 'a1', accountNo: '25071141', paymentMethod: 'ADVANCE' },
  tariff: { id: 't1', name: 'Business Class Junior' },
});

async function render(url = '/numbers') {
  const asked: Record<string, unknown>[] = [];
  (useQuery as jest.Mock).mockImplementation((document, variables) => {
    if (document !== NumberListDocument) return { result: ref(undefined), loading: ref(false), error: ref(null), refetch: jest.fn(), onResult: jest.fn() };
    const result = ref({
      numbers: {
        edges: [row('77010542006'), row('77010542007')].map((node) => ({ cursor: node.id, node })),
        pageInfo: { hasNextPage: true, endCursor: 'cursor-2' },
      },
    });
    return {
      result,
      loading: ref(false),
      error: ref(null),
      refetch: jest.fn(),
      variables: () => (typeof variables === 'function' ? variables() : variables.value),
      asked,
    };
  });
  const stub = defineComponent({ render: () => null });
  const router = createRouter({ history: createMemoryHistory(), routes: routes.map((route) => ({ ...route, component: stub })) as RouteRecordRaw[] });
  await router.push(url);
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, bulk: bulkEn } } });
  const page = mount(NumberListPage, { global: { plugins: [router, i18n] } });
  await flushPromises();
  const variables = () => {
    const calls = (useQuery as jest.Mock).mock.calls.filter(([document]) => document === NumberListDocument);
    const vars = calls[calls.length - 1][1];
    return typeof vars === 'function' ? vars() : vars.value;
  };
  return { page, router, variables };
}

describe('NumberListPage', () => {
  it('reads the national 8 prefix as 7 and keeps the search in the URL', async () => {
    const { page, router, variables } = await render();
    await page.get('input[name="q"]').setValue('8 701 054 20 06');
    await page.get('form[role="search"]').trigger('submit');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ q: '77010542006' });
    expect(variables()).toMatchObject({ search: '77010542006' });
  });

  it('says next to the field what is wrong with a search of letters, and keeps the list', async () => {
    const { page, router } = await render('/numbers?state=ACTIVE');
    await page.get('input[name="q"]').setValue('abc');
    await page.get('form[role="search"]').trigger('submit');
    await flushPromises();
    const input = page.get('input[name="q"]');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(page.get(`#${input.attributes('aria-describedby')}`).text()).toBe(en.numbers.searchInvalid);
    expect(page.findAll('tbody tr')).toHaveLength(2);
    expect(router.currentRoute.value.query).toEqual({ state: 'ACTIVE' });
  });

  it('shows the list a URL describes: search, state and page', async () => {
    const { page, variables } = await render('/numbers?q=70105&state=BLOCKED&after=c1&after=c2');
    expect(variables()).toMatchObject({ search: '70105', state: 'BLOCKED', after: 'c2' });
    expect((page.get('input[name="q"]').element as HTMLInputElement).value).toBe('70105');
    expect((page.get('select[name="state"]').element as HTMLSelectElement).value).toBe('BLOCKED');
  });

  it('turns pages in the URL, so that Back returns to the page before', async () => {
    const { page, router } = await render('/numbers?q=701');
    await page.get('nav.k-pager button:last-of-type').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/numbers?q=701&after=cursor-2');
    router.back();
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(router.currentRoute.value.fullPath).toBe('/numbers?q=701');
  });

  it('selects rows, then all numbers of the list, and offers what the selection allows', async () => {
    const { page } = await render('/numbers?state=ACTIVE');
    expect(page.find('[data-test="bulk-bar"]').exists()).toBe(false);
    await page.findAll('[data-test="select-row"]')[0].setValue(true);
    expect(page.get('[data-test="bulk-count"]').text()).toBe('Numbers selected: 1');
    expect((page.get('[data-test="select-page"]').element as HTMLInputElement).indeterminate).toBe(true);
    expect(page.findAll('[data-test="bulk-kind"] option:not([disabled])').map((o) => o.attributes('value'))).toEqual(['BLOCK_NUMBER']);
    await page.get('[data-test="select-page"]').setValue(true);
    expect(page.get('[data-test="bulk-count"]').text()).toBe('Numbers selected: 2');
    await page.get('[data-test="select-all-matching"]').trigger('click');
    expect(page.get('[data-test="bulk-count"]').text()).toBe('All numbers of the list');
    expect(page.findAll('[data-test="bulk-kind"] option:not([disabled])').length).toBeGreaterThan(5);
    await page.get('[data-test="clear-selection"]').trigger('click');
    expect(page.find('[data-test="bulk-bar"]').exists()).toBe(false);
  });

  it('names each row’s checkbox by its number', async () => {
    const { page } = await render();
    expect(page.findAll('[data-test="select-row"]')[1].attributes('aria-label')).toBe('Select +7 701 054 20 07');
  });
});
