import { signedIn } from '@cabinet/kit';
import { addErrorHandler, getAppStatus, registerApplication, triggerAppChange, unloadApplication, type LifeCycles } from 'single-spa';
import { reactive } from 'vue';
import { isOverridden } from './overrides';

export interface SectionRoute {
  /** Package name without scope; the import map names its entry `@cabinet/<name>`. */
  name: string;
  prefix: string;
}

/** Route prefix → section. Sections are loaded through the import map, so each deploys on its own. */
export const SECTIONS: SectionRoute[] = [
  { name: 'mf-numbers', prefix: '/numbers' },
  { name: 'mf-documents', prefix: '/documents' },
  { name: 'mf-profile', prefix: '/profile' },
];

export type SectionState = 'idle' | 'loading' | 'mounted' | 'failed';
/** What the shell knows about each section, for the loading indicator and the friendly error. */
export const sectionStates = reactive<Record<string, SectionState>>(Object.fromEntries(SECTIONS.map((s) => [s.name, 'idle'])));

export const underPrefix = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

function styleHref(specifier: string): string | undefined {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return undefined;
  }
}

/** Puts a section's stylesheet in the page (once) and resolves when it has loaded or failed. */
function addStyles(name: string, href: string | undefined): Promise<void> {
  if (!href || document.querySelector(`link[data-section-styles="${CSS.escape(name)}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.dataset.sectionStyles = name;
    link.onload = () => resolve();
    link.onerror = () => resolve();
    document.head.append(link);
  });
}

const asArray = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/**
 * Loads a section; its stylesheet is in the page only while it is mounted, so one section's rules never
 * restyle another (mounting again re-adds it from the browser's cache).
 */
async function loadSection(name: string): Promise<LifeCycles> {
  const specifier = `@cabinet/${name}`;
  // A section served by its dev server brings its own styles; the release's stylesheet stays out unless it is overridden too.
  const styles = `${specifier}/style.css`;
  const href = isOverridden(specifier) && !isOverridden(styles) ? undefined : styleHref(styles);
  await addStyles(name, href);
  const lifecycles = (await import(/* @vite-ignore */ specifier)) as LifeCycles;
  return {
    ...lifecycles,
    mount: [() => addStyles(name, href), ...asArray(lifecycles.mount)],
    unmount: [
      ...asArray(lifecycles.unmount),
      async () => {
        document.querySelector(`link[data-section-styles="${CSS.escape(name)}"]`)?.remove();
      },
    ],
  };
}

function refreshStates(): void {
  for (const { name } of SECTIONS) {
    const status = getAppStatus(name);
    if (status === 'MOUNTED') sectionStates[name] = 'mounted';
    else if (status === 'LOAD_ERROR' || status === 'SKIP_BECAUSE_BROKEN') sectionStates[name] = 'failed';
    else if (status === 'LOADING_SOURCE_CODE' || status === 'NOT_BOOTSTRAPPED' || status === 'BOOTSTRAPPING' || status === 'MOUNTING') {
      sectionStates[name] = 'loading';
    } else if (sectionStates[name] !== 'failed') sectionStates[name] = 'idle';
  }
}

/** Registers every section with single-spa; a section that fails to load or mount is reported, the rest keep working. */
export function registerSections(host: () => HTMLElement | null): void {
  for (const section of SECTIONS) {
    registerApplication({
      name: section.name,
      app: () => loadSection(section.name),
      activeWhen: (location) => signedIn.value && underPrefix(location.pathname, section.prefix),
      customProps: () => ({ domElement: host() ?? undefined }),
    });
  }
  addErrorHandler((error) => {
    const name = (error as { appOrParcelName?: string }).appOrParcelName;
    if (name) sectionStates[name] = 'failed';
    console.error(error);
  });
  window.addEventListener('single-spa:before-app-change', (event) => {
    const detail = (event as CustomEvent<{ appsByNewStatus?: { MOUNTED?: string[] } }>).detail;
    for (const name of detail?.appsByNewStatus?.MOUNTED ?? []) if (sectionStates[name] !== 'mounted') sectionStates[name] = 'loading';
  });
  window.addEventListener('single-spa:routing-event', refreshStates);
}

/** Tries a failed section again without reloading the page. */
export async function retrySection(name: string): Promise<void> {
  sectionStates[name] = 'loading';
  if (getAppStatus(name) === 'SKIP_BECAUSE_BROKEN') await unloadApplication(name, { waitForUnmount: false });
  await triggerAppChange();
  refreshStates();
}
