import { activeOverrides, isOverridden, overridesState } from './overrides';

const meta = (content: string) => {
  document.head.innerHTML = `<meta name="cabinet-overrides" content="${content}">`;
};
const library = (imports: Record<string, string>) => {
  (window as unknown as { importMapOverrides?: unknown }).importMapOverrides = { getOverrideMap: () => ({ imports }) };
};

describe('import-map overrides as the page sees them', () => {
  afterEach(() => {
    document.head.innerHTML = '';
    delete (window as unknown as { importMapOverrides?: unknown }).importMapOverrides;
  });

  it('knows from the gateway whether overrides are unavailable, allowed but off, or on', () => {
    expect(overridesState()).toBe('unavailable');
    meta('off');
    expect(overridesState()).toBe('off');
    meta('on');
    expect(overridesState()).toBe('on');
    meta('anything');
    expect(overridesState()).toBe('unavailable');
  });

  it('lists the library’s overrides, sorted, only while the page was served with them', () => {
    library({ '@cabinet/mf-profile': 'http://127.0.0.1:5175/mf-profile.js', '@cabinet/mf-numbers': 'http://127.0.0.1:5173/mf-numbers.js' });
    meta('off');
    expect(activeOverrides()).toEqual([]);
    expect(isOverridden('@cabinet/mf-numbers')).toBe(false);
    meta('on');
    expect(activeOverrides()).toEqual([
      { specifier: '@cabinet/mf-numbers', url: 'http://127.0.0.1:5173/mf-numbers.js' },
      { specifier: '@cabinet/mf-profile', url: 'http://127.0.0.1:5175/mf-profile.js' },
    ]);
    expect(isOverridden('@cabinet/mf-numbers')).toBe(true);
    expect(isOverridden('@cabinet/mf-numbers/style.css')).toBe(false);
  });
});
