import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import type { OperationFieldsFragment } from '../../graphql/generated/graphql';
import en from '../../locales/en.json';
import ru from '../../locales/ru.json';
import NumberRecentOperations from './NumberRecentOperations.vue';

const operation = (more: Partial<OperationFieldsFragment>): OperationFieldsFragment => ({
  id: 'o1',
  kind: 'REPLACE_SIM',
  status: 'SUCCESS',
  failureReason: null,
  createdAt: '2026-03-15T05:00:00.000Z',
  finishedAt: null,
  parameters: [{ name: 'iccid', value: '89997026465467464869' }],
  number: { id: 'n1', msisdn: '77010542003' },
  ...more,
});

const render = (operations: OperationFieldsFragment[], locale: 'en' | 'ru' = 'en') =>
  mount(NumberRecentOperations, { props: { operations }, global: { plugins: [createI18n({ legacy: false, locale, messages: { en, ru } })] } });

describe('NumberRecentOperations', () => {
  it('shows an ICCID grouped 4 by 4, as everywhere else', () => {
    expect(render([operation({})]).text()).toContain('8999 7026 4654 6746 4869');
  });

  it('keeps each detail and the forwarding target on one line', () => {
    const list = render([
      operation({
        kind: 'SET_CALL_FORWARDING',
        parameters: [
          { name: 'condition', value: 'BUSY' },
          { name: 'target', value: '77010542006' },
        ],
      }),
    ]);
    const target = list.findAll('.nowrap').find((node) => node.text().startsWith('+7'));
    expect(target?.text()).toBe('+7 701 054 20 06');
  });

  it('says a failure in Russian with the word of the actions history', () => {
    expect(
      render([operation({ status: 'FAILURE', failureReason: 'Invalid SIM card number' })], 'ru')
        .find('.k-badge')
        .text(),
    ).toBe('Неуспешно');
  });
});
