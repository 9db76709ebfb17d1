import { useQuery } from '@vue/apollo-composable';
import { nextTick, ref, type Ref } from 'vue';
import { useNumbers } from './useNumbers';

jest.mock('@vue/apollo-composable', () => ({ useQuery: jest.fn() }));

type Variables = Record<string, unknown>;

function setUp(pageInfo = { hasNextPage: true, endCursor: 'cursor-25' }) {
  let variables!: Ref<Variables>;
  let options!: () => { enabled: boolean };
  const result = ref({ numbers: { edges: [{ cursor: 'c1', node: { id: 'n1', msisdn: '77010542006' } }], pageInfo } });
  (useQuery as jest.Mock).mockImplementation((_document, vars, opts) => {
    variables = vars;
    options = opts;
    return { result, loading: ref(false), error: ref(null), refetch: jest.fn() };
  });
  const companyId = ref<string | null>('Q29tcGFueTox');
  const search = ref('');
  const state = ref<'ACTIVE' | 'BLOCKED' | 'BLOCKED_DEBT' | 'IN_PROCESS' | null>(null);
  const numbers = useNumbers({ companyId, search, state, pageSize: 25 });
  return { numbers, companyId, search, state, result, variables: () => variables.value, enabled: () => options().enabled };
}

describe('useNumbers', () => {
  it('asks for the first page of the selected company, leaving out an empty search, filter and cursor', () => {
    const { variables } = setUp();
    expect(variables()).toEqual({ companyId: 'Q29tcGFueTox', search: undefined, state: undefined, first: 25, after: undefined });
  });

  it('pages forward with the end cursor and back through the cursors already seen', () => {
    const { numbers, variables, result } = setUp();
    numbers.next();
    expect(variables().after).toBe('cursor-25');
    expect(numbers.page.value).toBe(2);
    expect(numbers.hasPrevious.value).toBe(true);
    result.value = { numbers: { edges: [], pageInfo: { hasNextPage: true, endCursor: 'cursor-50' } } };
    numbers.next();
    expect(variables().after).toBe('cursor-50');
    numbers.previous();
    numbers.previous();
    expect(variables().after).toBeUndefined();
    expect(numbers.page.value).toBe(1);
  });

  it('does not page past the last page', () => {
    const { numbers, variables } = setUp({ hasNextPage: false, endCursor: 'cursor-3' });
    expect(numbers.hasNext.value).toBe(false);
    numbers.next();
    expect(variables().after).toBeUndefined();
  });

  it('starts again from the first page when the search, the state filter or the company changes', async () => {
    const { numbers, variables, search, state, companyId } = setUp();
    numbers.next();
    search.value = ' 7010542 ';
    await nextTick();
    expect(variables()).toMatchObject({ search: '7010542', after: undefined });
    numbers.next();
    state.value = 'BLOCKED_DEBT';
    await nextTick();
    expect(variables()).toMatchObject({ state: 'BLOCKED_DEBT', after: undefined });
    numbers.next();
    companyId.value = 'Q29tcGFueToy';
    await nextTick();
    expect(variables()).toMatchObject({ companyId: 'Q29tcGFueToy', after: undefined });
  });

  it('waits for a company before asking', () => {
    const { companyId, enabled } = setUp();
    companyId.value = null;
    expect(enabled()).toBe(false);
  });
});
