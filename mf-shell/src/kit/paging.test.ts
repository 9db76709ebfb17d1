import { nextTick, ref } from 'vue';
import { useCursorPager } from './paging';

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
