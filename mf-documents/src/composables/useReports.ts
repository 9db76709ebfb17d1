import { useAttempt, type Outcome } from '@cabinet/kit';
import { useMutation, useQuery, useSubscription } from '@vue/apollo-composable';
import { computed, ref, watch, type Ref } from 'vue';
import {
  CompanyReportsDocument,
  ReportChangedDocument,
  RequestNumbersReportDocument,
  RequestReconciliationActDocument,
  type ReportFieldsFragment,
  type ReportKind,
} from '../graphql/generated/graphql';

export type Report = ReportFieldsFragment;

/** Of two states of one report, the later: a finished report never goes back to In process. */
const later = (a: Report, b: Report) => (a.status !== 'IN_PROCESS' ? a : b);

/**
 * The reports of one kind requested for a company (F22, F25), newest first, kept up to date by the
 * `reportChanged` subscription: a report shows In process, then Sent or Failed without a reload. After a dropped
 * connection the kit resumes the subscription from its last event's cursor (`$after`), so the list is not fetched
 * again unless the gateway answers CURSOR_EXPIRED.
 */
export function useReports({ companyId, kind, pageSize = 20 }: { companyId: Ref<string | null>; kind: ReportKind; pageSize?: number }) {
  const enabled = () => Boolean(companyId.value);
  const { result, loading, error, refetch } = useQuery(
    CompanyReportsDocument,
    () => ({ companyId: companyId.value ?? '', first: pageSize }),
    () => ({ enabled: enabled(), fetchPolicy: 'cache-and-network' }),
  );
  const live = ref<Record<string, Report>>({});
  watch(companyId, () => {
    live.value = {};
  });

  function remember(report: Report): void {
    const known = live.value[report.id];
    live.value = { ...live.value, [report.id]: known ? later(report, known) : report };
  }

  const { onResult } = useSubscription(
    ReportChangedDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({ enabled: enabled() }),
  );
  onResult(({ data }) => {
    const change = data?.reportChanged;
    if (!change) return;
    remember(change.report);
  });

  const reports = computed<Report[]>(() => {
    const byId = new Map<string, Report>();
    for (const edge of result.value?.company.reports.edges ?? []) byId.set(edge.node.id, edge.node);
    for (const report of Object.values(live.value)) {
      const listed = byId.get(report.id);
      byId.set(report.id, listed ? later(listed, report) : report);
    }
    return [...byId.values()].filter((report) => report.kind === kind).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  });

  const numbersReport = useMutation(RequestNumbersReportDocument);
  const reconciliationAct = useMutation(RequestReconciliationActDocument);

  const { run, busy: requesting, error: requestError } = useAttempt();
  const requestedTo = ref<string | null>(null);

  /**
   * Requests the report: the answer (In process) joins the list at once and `requestedTo` says where it goes;
   * `requestError` keeps why the API refused it.
   */
  function request(variables: { email: string; from?: string; to?: string }): Promise<Outcome<{ report: Report }>> {
    requestedTo.value = null;
    return run(async () => {
      const id = companyId.value ?? '';
      const report =
        kind === 'NUMBERS_LIST'
          ? (await numbersReport.mutate({ companyId: id, email: variables.email }))?.data?.requestNumbersReport
          : (await reconciliationAct.mutate({ companyId: id, email: variables.email, from: variables.from, to: variables.to }))?.data?.requestReconciliationAct;
      if (!report) throw new Error('The API returned no report');
      remember(report);
      requestedTo.value = report.email;
      return { report };
    });
  }

  return { reports, loading, error, requesting, request, requestError, requestedTo, refresh: () => refetch() };
}
