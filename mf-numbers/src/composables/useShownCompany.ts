import { companies, selectCompany, selectedCompanyId } from '@cabinet/kit';
import { watch, type Ref } from 'vue';

/** The header's company follows the company of what the page shows (a branch's number opened by its URL). */
export function useShownCompany(companyId: Ref<string | null>): void {
  watch(
    companyId,
    (id) => {
      if (id && id !== selectedCompanyId.value && companies.value.some((c) => c.id === id)) selectCompany(id);
    },
    { immediate: true },
  );
}
