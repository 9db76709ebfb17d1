import { mount } from '@vue/test-utils';
import { defineComponent } from 'vue';
import { createI18n } from 'vue-i18n';
import { createMemoryHistory, createRouter } from 'vue-router';
import en from '../../locales/en.json';
import kk from '../../locales/kk.json';
import ru from '../../locales/ru.json';
import NumberOperationsMenu from './NumberOperationsMenu.vue';

const Page = defineComponent({ render: () => null });
const NUMBER = 'TnVtYmVyOjM=';

async function render(props: Record<string, unknown>, locale: 'en' | 'ru' | 'kk' = 'en') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/numbers', name: 'numbers', component: Page },
      { path: '/numbers/:id/usage', name: 'number-usage', component: Page },
      { path: '/numbers/:id/payments', name: 'number-payments', component: Page },
    ],
  });
  await router.push('/numbers');
  const i18n = createI18n({ legacy: false, locale, messages: { en, ru, kk } });
  const menu = mount(NumberOperationsMenu, {
    props: { allowed: [], msisdn: '77010542003', ...props },
    global: { plugins: [router, i18n] },
    attachTo: document.body,
  });
  return { menu, router };
}

describe('NumberOperationsMenu', () => {
  it("leads from an Advance number's menu to its usage details and payment history", async () => {
    const { menu } = await render({ numberId: NUMBER, paymentMethod: 'ADVANCE', allowed: ['BLOCK_NUMBER'] });
    await menu.get('[data-test="operations-menu"]').trigger('click');
    const usage = menu.get('[data-link="usage"]');
    const payments = menu.get('[data-link="payments"]');
    expect(usage.text()).toBe('Usage details');
    expect(usage.attributes('href')).toBe(`/numbers/${NUMBER}/usage`);
    expect(payments.text()).toBe('Payment history');
    expect(payments.attributes('href')).toBe(`/numbers/${NUMBER}/payments`);
  });

  it('offers no payment history for a Credit number, whose payments are the company’s', async () => {
    const { menu } = await render({ numberId: NUMBER, paymentMethod: 'CREDIT' });
    expect(menu.find('[data-link="usage"]').exists()).toBe(true);
    expect(menu.find('[data-link="payments"]').exists()).toBe(false);
  });

  it('opens even when no operation is allowed, since the links remain', async () => {
    const { menu } = await render({ numberId: NUMBER, paymentMethod: 'ADVANCE' });
    expect(menu.get('[data-test="operations-menu"]').attributes('disabled')).toBeUndefined();
    const { menu: withoutLinks } = await render({});
    expect(withoutLinks.get('[data-test="operations-menu"]').attributes('disabled')).toBeDefined();
  });

  it('goes to the page chosen and closes', async () => {
    const { menu, router } = await render({ numberId: NUMBER, paymentMethod: 'ADVANCE' });
    await menu.get('[data-test="operations-menu"]').trigger('click');
    await menu.get('[data-link="payments"]').trigger('click');
    await router.isReady();
    await new Promise((resolve) => setTimeout(resolve));
    expect(router.currentRoute.value.name).toBe('number-payments');
    expect(menu.get('ul').isVisible()).toBe(false);
  });

  it('names the links in Russian and Kazakh', async () => {
    const { menu: ru } = await render({ numberId: NUMBER, paymentMethod: 'ADVANCE' }, 'ru');
    expect(ru.get('[data-link="usage"]').text()).toBe('Детализация');
    expect(ru.get('[data-link="payments"]').text()).toBe('История платежей');
    const { menu: kk } = await render({ numberId: NUMBER, paymentMethod: 'ADVANCE' }, 'kk');
    expect(kk.get('[data-link="usage"]').text()).toBe('Шығыс толығы');
    expect(kk.get('[data-link="payments"]').text()).toBe('Төлемдер тарихы');
  });
});
