import { nextTick, ref } from 'vue';
import { useNumberSelection } from './useNumberSelection';

const row = (n: number, allowed: string[] = ['BLOCK_NUMBER']) => ({ id: `n${n}`, msisdn: `7701054200${n}`, allowedOperations: allowed as never });

function setUp() {
  const search = ref('70105');
  const state = ref<'ACTIVE' | null>('ACTIVE');
  const company = ref('c1');
  const selection = useNumberSelection(() => ({ search: search.value, state: state.value }), [company, search, state]);
  return { selection, search, state, company };
}

describe('useNumberSelection', () => {
  it('picks rows one by one and sends their IDs', () => {
    const { selection } = setUp();
    selection.toggle(row(1));
    selection.toggle(row(2));
    selection.toggle(row(1));
    expect(selection.count.value).toBe(1);
    expect(selection.selection()).toEqual({ numberIds: ['n2'] });
  });

  it('picks a whole page, says when only some of it is picked, and unpicks it when all are', () => {
    const { selection } = setUp();
    const page = [row(1), row(2), row(3)];
    selection.toggle(page[0]);
    expect(selection.pageState(page)).toBe('some');
    selection.togglePage(page);
    expect(selection.pageState(page)).toBe('all');
    selection.togglePage(page);
    expect(selection.pageState(page)).toBe('none');
  });

  it('selects all numbers matching the search and filter as the API’s filter, not the rows', () => {
    const { selection } = setUp();
    selection.toggle(row(1));
    selection.selectAllMatching();
    expect(selection.isPicked('n9')).toBe(true);
    expect(selection.allowed.value).toBeNull();
    expect(selection.selection()).toEqual({ matching: { search: '70105', state: 'ACTIVE' } });
  });

  it('clears the selection when the company, search or filter changes', async () => {
    const { selection, search } = setUp();
    selection.toggle(row(1));
    search.value = '777';
    await nextTick();
    expect(selection.active.value).toBe(false);
  });
});
