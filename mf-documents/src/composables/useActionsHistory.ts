import { connectionPage, useCursorPager } from '@cabinet/kit';
import { useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import { ActionAdministratorsDocument, CompanyActionsDocument, type ActionCode, type ActionStatus } from '../graphql/generated/graphql';

/** The filters of the actions history the API offers; an empty one is left out. */
export interface ActionFilters {
  from: string;
  to: string;
  administratorId: string;
  msisdn: string;
  status: ActionStatus | '';
  action: ActionCode | '';
}

export const NO_ACTION_FILTERS: Readonly<ActionFilters> = Object.freeze({ from: '', to: '', administratorId: '', msisdn: '', status: '', action: '' });

/** The actions history of a company (F21), newest first, a page at a time; new filters start from the first page. */
export function useActionsHistory({ companyId, filters, pageSize = 25 }: { companyId: Ref<string | null>; filters: Ref<ActionFilters>; pageSize?: number }) {
  const pager = useCursorPager([companyId, filters]);
  const variables = computed(() => {
    const f = filters.value;
    return {
      companyId: companyId.value ?? '',
      from: f.from || undefined,
      to: f.to || undefined,
      administratorId: f.administratorId || undefined,
      msisdn: f.msisdn || undefined,
      status: f.status || undefined,
      action: f.action || undefined,
      first: pageSize,
      after: pager.after.value,
    };
  });
  const { result, loading, error, refetch } = useQuery(CompanyActionsDocument, variables, () => ({
    enabled: Boolean(companyId.value),
    fetchPolicy: 'cache-and-network',
    keepPreviousResult: true,
  }));
  const { items, ...page } = connectionPage(
    pager,
    computed(() => result.value?.company.actions),
  );
  return {
    actions: items,
    loading,
    error,
    ...page,
    refresh: () => refetch(),
  };
}

/** Every administrator who has acted on the company, for the administrator filter. */
export function useActionAdministrators(companyId: Ref<string | null>) {
  const { result } = useQuery(
    ActionAdministratorsDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({
      enabled: Boolean(companyId.value),
      fetchPolicy: 'cache-and-network',
    }),
  );
  return computed(() => result.value?.company.actionAdministrators ?? []);
}
