import { downloadFile } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { nextTick, ref, type Ref } from 'vue';
import { UsageRecordsDocument, UsageTotalsDocument, type UsageKind } from '../graphql/generated/graphql';
import { useUsageDetails } from './useUsageDetails';

jest.mock('@vue/apollo-composable', () => ({ useQuery: jest.fn(), useMutation: jest.fn() }));
jest.mock('@cabinet/kit', () => ({ ...jest.requireActual('@cabinet/kit'), downloadFile: jest.fn() }));

type Variables = () => Record<string, unknown>;

function setUp() {
  const variables = new Map<unknown, Variables>();
  const usage = ref({ number: { id: 'n', usage: { edges: [{ cursor: 'c1', node: { id: 'u1' } }], pageInfo: { hasNextPage: true, endCursor: 'c50' } } } });
  (useQuery as jest.Mock).mockImplementation((document, vars: Variables) => {
    variables.set(document, vars);
    return { result: document === UsageRecordsDocument ? usage : ref(null), loading: ref(false), error: ref(null), refetch: jest.fn() };
  });
  const mutate = jest.fn(async () => ({ data: { downloadUsageDetails: { url: '/downloads/t', filename: 'usage.pdf', expiresAt: '' } } }));
  (useMutation as jest.Mock).mockReturnValue({ mutate });
  (downloadFile as jest.Mock).mockImplementation(async (request: () => Promise<unknown>) => request());
  const period = ref({ from: '2025-03-01', to: '2025-03-31' });
  const type: Ref<UsageKind | null> = ref(null);
  const details = useUsageDetails({ numberId: ref('TnVtYmVyOjE='), period, type, pageSize: 50 });
  return { details, period, type, mutate, records: () => variables.get(UsageRecordsDocument)!(), totals: () => variables.get(UsageTotalsDocument)!() };
}

describe('useUsageDetails', () => {
  it('asks for the first page of the period, of every kind, and for the totals of the same period', () => {
    const { records, totals } = setUp();
    expect(records()).toEqual({ numberId: 'TnVtYmVyOjE=', from: '2025-03-01', to: '2025-03-31', type: undefined, first: 50, after: undefined });
    expect(totals()).toEqual({ numberId: 'TnVtYmVyOjE=', from: '2025-03-01', to: '2025-03-31' });
  });

  it('pages with the cursor and starts again when the period or the kind changes', async () => {
    const { details, records, period, type } = setUp();
    details.next();
    expect(records().after).toBe('c50');
    period.value = { from: '2025-03-10', to: '2025-03-20' };
    await nextTick();
    expect(records()).toMatchObject({ from: '2025-03-10', to: '2025-03-20', after: undefined });
    details.next();
    type.value = 'SMS';
    await nextTick();
    expect(records()).toMatchObject({ type: 'SMS', after: undefined });
  });

  it('downloads the file of the period and kind shown, in the format asked for', async () => {
    const { details, mutate, type } = setUp();
    type.value = 'CALL';
    const outcome = await details.download('XLSX');
    expect(mutate).toHaveBeenCalledWith({ numberId: 'TnVtYmVyOjE=', from: '2025-03-01', to: '2025-03-31', type: 'CALL', format: 'XLSX' });
    expect(outcome).toMatchObject({ ok: true, link: { url: '/downloads/t' } });
  });
});
