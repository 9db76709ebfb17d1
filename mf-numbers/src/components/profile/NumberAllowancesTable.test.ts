import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import type { AllowanceFieldsFragment } from '../../graphql/generated/graphql';
import en from '../../locales/en.json';
import NumberAllowancesTable from './NumberAllowancesTable.vue';

const allowance = (more: Partial<AllowanceFieldsFragment>): AllowanceFieldsFragment => ({
  kind: 'ONNET_CALLS',
  unit: 'SECOND',
  unlimited: false,
  available: '24000',
  total: '30000',
  validFrom: '2026-03-01',
  validTo: '2026-03-31',
  ...more,
});

describe('NumberAllowancesTable', () => {
  it('says Unlimited under both Available and Total, never under Total alone', () => {
    const table = mount(NumberAllowancesTable, {
      props: { caption: 'Tariff balances', allowances: [allowance({ unlimited: true, available: null, total: null })] },
      global: { plugins: [createI18n({ legacy: false, locale: 'en', messages: { en } })] },
    });
    const cells = table.findAll('tbody tr td');
    expect(cells).toHaveLength(4);
    expect(table.get('[data-column="available"]').text()).toBe(en.numbers.allowances.unlimited);
    expect(table.get('[data-column="total"]').text()).toBe(en.numbers.allowances.unlimited);
    expect(table.findAll('[colspan]')).toHaveLength(0);
  });
});
