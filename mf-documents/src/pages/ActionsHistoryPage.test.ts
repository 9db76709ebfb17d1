import { useQuery } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ref } from 'vue';
import { ActionAdministratorsDocument, ActionCode, CompanyActionsDocument } from '../graphql/generated/graphql';
import { sectionI18n } from '../testing';
import ActionsHistoryPage from './ActionsHistoryPage.vue';

jest.mock('@vue/apollo-composable', () => ({ useQuery: jest.fn(), useMutation: jest.fn(), useSubscription: jest.fn() }));

const entry = (id: string, more: Record<string, unknown>) => ({
  id,
  action: 'BLOCK_NUMBER',
  description: 'Block number 77010542001',
  status: 'SUCCESS',
  failureReason: null,
  createdAt: '2026-03-15T05:00:00.000Z',
  actor: { administratorId: 'a2', name: 'Ахметова Алия', phone: '77012223344' },
  ...more,
});

function render(lang: 'en' | 'ru' = 'en') {
  (useQuery as jest.Mock).mockImplementation((document) => {
    if (document === ActionAdministratorsDocument) {
      return {
        result: ref({ company: { id: 'c1', actionAdministrators: [{ administratorId: 'a2', name: 'Ахметова Алия', phone: '77012223344' }] } }),
        loading: ref(false),
        error: ref(null),
      };
    }
    expect(document).toBe(CompanyActionsDocument);
    const edges = [
      entry('e1', { status: 'FAILURE', action: 'REPLACE_SIM', description: 'SIM replacement on number 77010542003', failureReason: 'Invalid SIM card number' }),
      entry('e2', {}),
    ].map((node) => ({ cursor: node.id, node }));
    return {
      result: ref({ company: { id: 'c1', actions: { edges, pageInfo: { hasNextPage: false, endCursor: null } } } }),
      loading: ref(false),
      error: ref(null),
      refetch: jest.fn(),
    };
  });
  return mount(ActionsHistoryPage, { global: { plugins: [sectionI18n(lang)] } });
}

describe('ActionsHistoryPage', () => {
  it('offers exactly the action codes of the API’s enum, each in words', async () => {
    const page = render();
    await flushPromises();
    const options = page.findAll('select[name="action"] option').slice(1);
    expect(options.map((o) => (o.element as HTMLOptionElement).value)).toEqual(Object.values(ActionCode));
    expect(options.map((o) => (o.element as HTMLOptionElement).value)).not.toContain('LOGIN');
    for (const option of options) expect(option.text()).not.toBe((option.element as HTMLOptionElement).value);
  });

  it('offers every administrator who has acted on the company', async () => {
    const page = render();
    await flushPromises();
    const labels = page.findAll('select[name="administratorId"] option').map((o) => [(o.element as HTMLOptionElement).value, o.text()]);
    expect(labels).toContainEqual(['a2', 'Ахметова Алия (+7 701 222 33 44)']);
  });

  it('gives the reason of a failure in its row', async () => {
    const page = render();
    await flushPromises();
    const rows = page.findAll('tbody tr');
    expect(rows[0].find('[data-failure-reason]').text()).toBe('Invalid SIM card number');
    expect(rows[1].find('[data-failure-reason]').exists()).toBe(false);
  });

  it('says a failure in the same word as the numbers section does', async () => {
    const numbers = JSON.parse(readFileSync(join(__dirname, '../../../mf-numbers/src/locales/ru.json'), 'utf8'));
    const page = render('ru');
    await flushPromises();
    const word = page.findAll('tbody tr')[0].find('.k-badge').text();
    expect(word).toBe('Неуспешно');
    expect(JSON.stringify(numbers)).not.toContain('"FAILURE":"Ошибка"');
    expect(JSON.stringify(numbers)).toContain(`"FAILURE":"${word}"`);
  });
});
