import { useMutation, useQuery, useSubscription } from '@vue/apollo-composable';
import { mount } from '@vue/test-utils';
import { print } from 'graphql';
import { defineComponent, h, nextTick, ref } from 'vue';
import ReportList from '../components/report/ReportList.vue';
import type { ReportFieldsFragment } from '../graphql/generated/graphql';
import { sectionI18n } from '../testing';
import { useReports } from './useReports';

jest.mock('@vue/apollo-composable', () => ({ useQuery: jest.fn(), useSubscription: jest.fn(), useMutation: jest.fn() }));

const report = (id: string, status: ReportFieldsFragment['status'], more: Partial<ReportFieldsFragment> = {}): ReportFieldsFragment => ({
  id,
  kind: 'NUMBERS_LIST',
  status,
  email: 'petrov.ivan@kcell.kz',
  createdAt: '2026-03-15T05:00:00.000Z',
  finishedAt: null,
  dataAsOf: null,
  rows: null,
  failureReason: null,
  ...more,
});

function setUp(listed: ReportFieldsFragment[] = []) {
  let emit!: (result: { data: unknown }) => void;
  const refetch = jest.fn();
  const result = ref({
    company: { id: 'c1', reports: { edges: listed.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: false, endCursor: null } } },
  });
  (useQuery as jest.Mock).mockReturnValue({ result, loading: ref(false), error: ref(null), refetch });
  (useSubscription as jest.Mock).mockReturnValue({ onResult: (fn: typeof emit) => (emit = fn) });
  const mutate = jest.fn();
  (useMutation as jest.Mock).mockReturnValue({ mutate, loading: ref(false) });
  const companyId = ref<string | null>('c1');
  const reports = useReports({ companyId, kind: 'NUMBERS_LIST' });
  const change = (sequence: number, r: ReportFieldsFragment) => emit({ data: { reportChanged: { sequence, report: r } } });
  return { reports, change, refetch, mutate, companyId };
}

describe('useReports', () => {
  it('shows a requested report In process at once, then Sent when the subscription says so', async () => {
    const { reports, change, mutate } = setUp();
    mutate.mockResolvedValue({ data: { requestNumbersReport: report('r1', 'IN_PROCESS') } });
    await reports.request({ email: 'petrov.ivan@kcell.kz' });
    expect(mutate).toHaveBeenCalledWith({ companyId: 'c1', email: 'petrov.ivan@kcell.kz' });
    expect(reports.reports.value.map((r) => [r.id, r.status])).toEqual([['r1', 'IN_PROCESS']]);

    change(1, report('r1', 'IN_PROCESS'));
    change(2, report('r1', 'SUCCESS', { rows: 15, finishedAt: '2026-03-15T05:00:04.000Z', dataAsOf: '2026-03-15T05:00:01.000Z' }));
    expect(reports.reports.value).toEqual([expect.objectContaining({ id: 'r1', status: 'SUCCESS', rows: 15 })]);
  });

  it("keeps where a form's report goes, or why the API refused it", async () => {
    const { reports, mutate } = setUp();
    mutate.mockResolvedValueOnce({ data: { requestNumbersReport: report('r1', 'IN_PROCESS', { email: 'buh@company.kz' }) } });
    expect((await reports.request({ email: 'buh@company.kz' })).ok).toBe(true);
    expect(reports.requestedTo.value).toBe('buh@company.kz');
    expect(reports.requestError.value).toBeNull();
    mutate.mockRejectedValueOnce({ graphQLErrors: [{ message: 'email must be one e-mail address', extensions: { code: 'BAD_USER_INPUT', field: 'email' } }] });
    const refused = await reports.request({ email: 'x' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT', field: 'email' } });
    expect(reports.requestedTo.value).toBeNull();
    expect(reports.requestError.value).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('never takes a finished report back to In process when events arrive late', () => {
    const { reports, change } = setUp([report('r1', 'IN_PROCESS')]);
    change(1, report('r1', 'FAILURE', { failureReason: 'SMTP refused' }));
    change(2, report('r1', 'IN_PROCESS'));
    expect(reports.reports.value[0].status).toBe('FAILURE');
  });

  it('adds reports requested elsewhere, newest first, and keeps only its kind', () => {
    const { reports, change } = setUp([report('r1', 'SUCCESS')]);
    change(1, report('r2', 'IN_PROCESS', { createdAt: '2026-03-15T06:00:00.000Z' }));
    change(2, report('r3', 'IN_PROCESS', { kind: 'RECONCILIATION_ACT', createdAt: '2026-03-15T07:00:00.000Z' }));
    expect(reports.reports.value.map((r) => r.id)).toEqual(['r2', 'r1']);
  });

  it('subscribes with `$after` and each event’s cursor, so that the kit resumes it instead of fetching the list again', () => {
    const { change, refetch } = setUp();
    const text = print((useSubscription as jest.Mock).mock.calls.at(-1)[0]);
    expect(text).toMatch(/reportChanged\(companyId: \$companyId, after: \$after\)/);
    expect(text).toMatch(/\bcursor\b/);
    change(4, report('r1', 'IN_PROCESS'));
    change(7, report('r2', 'IN_PROCESS'));
    expect(refetch).not.toHaveBeenCalled();
  });

  it('forgets the events of the previous company', async () => {
    const { reports, change, companyId } = setUp();
    change(1, report('r9', 'IN_PROCESS'));
    companyId.value = 'c2';
    await nextTick();
    expect(reports.reports.value).toEqual([]);
  });

  it('changes on screen from Being prepared to Sent with the time the data are valid for', async () => {
    const { reports, change } = setUp();
    const Host = defineComponent({ setup: () => () => h(ReportList, { reports: reports.reports.value }) });
    const page = mount(Host, { global: { plugins: [sectionI18n('en')] } });
    change(1, report('r1', 'IN_PROCESS'));
    await nextTick();
    expect(page.get('tr[data-report="r1"]').attributes('data-status')).toBe('IN_PROCESS');
    expect(page.get('tr[data-report="r1"]').text()).toContain('Being prepared');
    change(2, report('r1', 'SUCCESS', { rows: 1234, finishedAt: '2026-03-15T05:00:04.000Z', dataAsOf: '2026-03-15T05:00:01.000Z' }));
    await nextTick();
    const row = page.get('tr[data-report="r1"]');
    expect(row.attributes('data-status')).toBe('SUCCESS');
    expect(row.text()).toContain('Sent');
    expect(row.text()).toContain('Data as of 15/03/2026, 10:00:01');
    expect(row.text()).toContain('Rows: 1,234');
  });
});
