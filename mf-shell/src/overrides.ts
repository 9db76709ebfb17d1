/**
 * Import-map overrides as the page sees them. The gateway says in a meta element whether it allows them (`off`: allowed,
 * not on in this browser; `on`: the page was served with import-map-overrides, see the gateway's release.overrides.ts).
 * The switch is a cookie of this browser; the gateway honours it only for a signed-in administrator.
 */
export type OverridesState = 'unavailable' | 'off' | 'on';

export const OVERRIDES_COOKIE = 'cabinet_overrides';

interface ImportMapOverrides {
  getOverrideMap(includeDisabled?: boolean): { imports: Record<string, string> };
  removeOverride(specifier: string): boolean;
  resetOverrides(): void;
}

const library = () => (window as unknown as { importMapOverrides?: ImportMapOverrides }).importMapOverrides;

export function overridesState(): OverridesState {
  const content = document.querySelector<HTMLMetaElement>('meta[name="cabinet-overrides"]')?.content;
  return content === 'on' || content === 'off' ? content : 'unavailable';
}

/** The specifiers this page loads from somewhere else than the portal's import map, with where from. */
export function activeOverrides(): { specifier: string; url: string }[] {
  if (overridesState() !== 'on') return [];
  const imports = library()?.getOverrideMap().imports ?? {};
  return Object.entries(imports)
    .map(([specifier, url]) => ({ specifier, url }))
    .sort((a, b) => a.specifier.localeCompare(b.specifier));
}

export const isOverridden = (specifier: string) => activeOverrides().some((o) => o.specifier === specifier);

/** Turns overrides on or off in this browser; the page is reloaded, since the import map is fixed once a page has loaded. */
export function setOverrides(on: boolean): void {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${OVERRIDES_COOKIE}=${on ? 'on' : ''}; Path=/; SameSite=Strict; Max-Age=${on ? 365 * 86400 : 0}${secure}`;
  location.reload();
}

/** Forgets one override of this browser (or all of them) and reloads the page. */
export function removeOverride(specifier?: string): void {
  const imo = library();
  if (specifier) imo?.removeOverride(specifier);
  else imo?.resetOverrides();
  location.reload();
}
