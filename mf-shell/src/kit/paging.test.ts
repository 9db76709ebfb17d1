import { nextTick, ref } from 'vue';
import { connectionPage, useCursorPager, type ConnectionLike } from './paging';

describe('useCursorPager', () => {
  it('goes forward with cursors and back through those seen', () => {
    const pager = useCursorPager();
    expect(pager.after.value).toBeUndefined();
    pager.next('a');
    pager.next('b');
    expect(pager.after.value).toBe('b');
    expect(pager.page.value).toBe(3);
    pager.previous();
    expect(pager.after.value).toBe('a');
    pager.previous();
    pager.previous();
    expect(pager.page.value).toBe(1);
    expect(pager.hasPrevious.value).toBe(false);
  });

  it('ignores a missing cursor', () => {
    const pager = useCursorPager();
    pager.next(null);
    expect(pager.page.value).toBe(1);
  });

  it('starts again when what it depends on changes', async () => {
    const filter = ref('a');
    const pager = useCursorPager([filter]);
    pager.next('x');
    filter.value = 'b';
    await nextTick();
    expect(pager.page.value).toBe(1);
  });
});

describe('connectionPage', () => {
  const connection = (nodes: string[], hasNextPage: boolean, endCursor: string | null): ConnectionLike<string> => ({
    edges: nodes.map((node) => ({ node })),
    pageInfo: { hasNextPage, endCursor },
  });

  it('shows the nodes and moves forward only when the connection has a next page', () => {
    const pager = useCursorPager();
    const current = ref<ConnectionLike<string> | undefined>(undefined);
    const page = connectionPage(pager, current);
    expect(page.items.value).toEqual([]);
    expect(page.hasNext.value).toBe(false);
    page.next();
    expect(pager.page.value).toBe(1);
    current.value = connection(['a', 'b'], true, 'c2');
    expect(page.items.value).toEqual(['a', 'b']);
    page.next();
    expect(pager.after.value).toBe('c2');
    current.value = connection(['c'], false, 'c3');
    page.next();
    expect(page.page.value).toBe(2);
    page.previous();
    expect(page.hasPrevious.value).toBe(false);
  });
});
