import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import type { ServiceFieldsFragment } from '../../graphql/generated/graphql';
import en from '../../locales/en.json';
import NumberServices from './NumberServices.vue';

const service = (code: string, infoUrl: string | null): ServiceFieldsFragment => ({
  id: `s-${code}`,
  code,
  name: code === 'ROAMING' ? 'Roaming' : 'Internet 1',
  description: 'Terms',
  category: 'VOICE',
  monthlyFee: '0.00',
  infoUrl,
});

describe('NumberServices', () => {
  it('links a service to its page on the operator’s site when the API gives one', () => {
    const list = mount(NumberServices, {
      props: {
        number: {
          state: 'ACTIVE',
          allowedOperations: ['CONNECT_SERVICE'],
          connectedServices: [{ service: service('ROAMING', 'https://www.kcell.kz/business/services/roaming'), connectedAt: '2026-03-01T10:00:00Z' }],
          availableServices: [{ category: 'INTERNET', services: [service('INTERNET_1', null)] }],
        },
        pendingServices: [],
      },
      global: { plugins: [createI18n({ legacy: false, locale: 'en', messages: { en } })] },
    });
    const links = list.findAll('[data-link="service-info"]');
    expect(links).toHaveLength(1);
    expect(links[0].attributes('href')).toBe('https://www.kcell.kz/business/services/roaming');
    expect(links[0].text()).toBe('Roaming on the operator’s site (opens in a new tab)');
    expect(list.get('[data-service="INTERNET_1"]').find('[data-link="service-info"]').exists()).toBe(false);
  });
});
