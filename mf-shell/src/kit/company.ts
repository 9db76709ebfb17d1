import { computed, ref, watch } from 'vue';
import { session, type Administrator } from './session';

export type Company = Administrator['companies'][number];

const storageKey = (administratorId: string) => `cabinet.company.${administratorId}`;
const chosen = ref<string | null>(null);

function stored(administratorId: string): string | null {
  try {
    return globalThis.localStorage?.getItem(storageKey(administratorId)) ?? null;
  } catch {
    return null;
  }
}

/** The companies the signed-in administrator manages. */
export const companies = computed<Company[]>(() => (session.administrator?.companies ?? []) as Company[]);

/** The company every section shows: the last one chosen in this browser, else the first granted. */
export const selectedCompany = computed<Company | null>(() => {
  const list = companies.value;
  return list.find((c) => c.id === chosen.value) ?? list[0] ?? null;
});
export const selectedCompanyId = computed<string | null>(() => selectedCompany.value?.id ?? null);

watch(
  () => session.administrator?.id,
  (administratorId) => {
    chosen.value = administratorId ? stored(administratorId) : null;
  },
  { immediate: true },
);

/** Chooses the company for every section; remembered per administrator in this browser. */
export function selectCompany(companyId: string): void {
  chosen.value = companyId;
  const administratorId = session.administrator?.id;
  if (!administratorId) return;
  try {
    globalThis.localStorage?.setItem(storageKey(administratorId), companyId);
  } catch {
    // The choice then lasts until the page is reloaded.
  }
}

/** How the administrator names a company: the short name they gave it, else the registered name. */
export function companyLabel(company: Pick<Company, 'name' | 'shortName'>): string {
  return company.shortName?.trim() || company.name;
}
