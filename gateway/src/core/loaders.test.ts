import { PrimedLoader, whenKnown } from './loaders';

describe('PrimedLoader', () => {
  it('answers a primed key at once and any other through one batch, as a promise', async () => {
    const batches: number[][] = [];
    const loader = new PrimedLoader<number, string>(async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => `loaded ${k}`);
    });
    loader.prime(1, 'primed 1');
    expect(loader.get(1)).toBe('primed 1');
    const [two, three] = [loader.get(2), loader.get(3)];
    expect(two).toBeInstanceOf(Promise);
    expect(await Promise.all([two, three])).toEqual(['loaded 2', 'loaded 3']);
    expect(batches).toEqual([[2, 3]]);
  });

  it('keeps the first value primed, as the loader it extends does, and forgets a cleared key', async () => {
    const loader = new PrimedLoader<number, string>(async (keys) => keys.map((k) => `loaded ${k}`));
    loader.prime(1, 'first').prime(1, 'second');
    expect(loader.get(1)).toBe('first');
    expect(await loader.load(1)).toBe('first');
    loader.clear(1);
    await expect(loader.get(1)).resolves.toBe('loaded 1');
    loader.prime(4, 'four').clearAll();
    expect(loader.get(4)).toBeInstanceOf(Promise);
  });

  it('does not answer at once for a primed error: it rejects as load does', async () => {
    const loader = new PrimedLoader<number, string>(async (keys) => keys.map((k) => `loaded ${k}`));
    loader.prime(5, new Error('gone'));
    await expect(loader.get(5)).rejects.toThrow('gone');
  });
});

describe('whenKnown', () => {
  it('maps a known value at once and a promised one when it comes', async () => {
    expect(whenKnown(2, (n) => n * 10)).toBe(20);
    const later = whenKnown(Promise.resolve(3), (n) => n * 10);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(30);
  });
});
