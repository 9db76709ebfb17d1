import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { slot } from './slot';

setFlagsFromString('--expose-gc');
// V8 would otherwise allocate straight into the old generation from sites whose objects it saw survive (the WeakMap's
// values below), and the measure of one case would depend on the other.
setFlagsFromString('--no-allocation-site-pretenuring');
const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;

const oldGenerationMb = () =>
  getHeapSpaceStatistics()
    .filter((space) => space.space_name === 'old_space' || space.space_name === 'large_object_space')
    .reduce((sum, space) => sum + space.space_used_size, 0) / 1048576;

/**
 * What 2,000 short-lived keys with a value each (which refers back to its key, as a request's record refers to the
 * request) leave in the old generation after two minor collections.
 */
function promotedMb(attach: (key: object, value: object) => void): number {
  gc();
  const before = oldGenerationMb();
  for (let i = 0; i < 2000; i++) {
    const key = {};
    const rows = [];
    for (let j = 0; j < 500; j++) rows.push({ j });
    attach(key, { key, rows });
  }
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  return oldGenerationMb() - before;
}

describe('slot', () => {
  it('gives back what was set on each object, and nothing for another', () => {
    const record = slot<object, string>('record');
    const other = slot<object, string>('other');
    const a = {};
    const b = {};
    record.set(a, 'a');
    other.set(a, 'not a record');
    expect(record.get(a)).toBe('a');
    expect(record.get(b)).toBeUndefined();
    expect(Object.keys(a)).toEqual([]);
    expect(JSON.stringify(a)).toBe('{}');
  });

  it('lets a value die with its short-lived key in a minor collection, where a WeakMap keeps it into the old generation', () => {
    const onObject = slot<object, object>('value');
    // The least of three: a collection of the rest of the process's heap in between cannot pass for a promotion.
    const slotMb = Math.min(...[1, 2, 3].map(() => promotedMb((key, value) => onObject.set(key, value))));
    const map = new WeakMap<object, object>();
    const weakMapMb = promotedMb((key, value) => map.set(key, value));
    expect(weakMapMb).toBeGreaterThan(10);
    expect(slotMb).toBeLessThan(5);
  });
});
