import { useApolloClient, useQuery } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { ref } from 'vue';
import type { BulkKind } from '../../lib/bulk';
import BulkOperationDialog from './BulkOperationDialog.vue';
import { bulkI18n } from './testing';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn(), useQuery: jest.fn() }));

const plan = (token: string, changes: number) => ({
  token,
  total: 3,
  changes,
  groups: [{ outcome: 'CHANGE', code: null, reason: null, count: changes, sample: ['77010542006'] }],
  invalidLines: [],
  invalidLineCount: 0,
  monthlyFeeChange: null,
  approvalRequired: false,
});
const operation = { id: 'b1', kind: 'BLOCK_NUMBER', status: 'RUNNING', total: 3, startAt: null };
const refusal = (code: string) => Object.assign(new Error(code), { graphQLErrors: [{ message: code, extensions: { code } }] });
const services = {
  number: {
    id: 'n1',
    tariffChoices: [],
    availableServices: [{ category: 'VOICE', services: [{ id: 's1', code: 'CONF', name: 'Conference', monthlyFee: '500.00' }] }],
  },
};

function render(mutate: jest.Mock, kind: BulkKind = 'BLOCK_NUMBER') {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  (useQuery as jest.Mock).mockReturnValue({ result: ref(services), loading: ref(false), error: ref(null) });
  return mount(BulkOperationDialog, {
    props: {
      open: true,
      companyId: 'c1',
      kind,
      selection: { numberIds: ['n1', 'n2', 'n3'] },
      described: 'Numbers selected: 3',
      choicesOf: { id: 'n1', msisdn: '77010542006' },
    },
    global: { plugins: [bulkI18n()] },
    attachTo: document.body,
  });
}

describe('BulkOperationDialog', () => {
  it('checks first (a dry run), shows the plan, and starts it once confirmed', async () => {
    const mutate = jest
      .fn()
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1', 3), operation: null } } })
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1', 3), operation } } });
    const dialog = render(mutate);
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables).toMatchObject({ dryRun: true, input: { kind: 'BLOCK_NUMBER', selection: { numberIds: ['n1', 'n2', 'n3'] } } });
    expect(dialog.find('[data-test="bulk-plan"]').exists()).toBe(true);
    expect(dialog.find('[data-test="bulk-confirm"]').text()).toBe('Start (3)');
    await dialog.find('[data-test="bulk-confirm"]').trigger('click');
    await flushPromises();
    expect(mutate.mock.calls[1][0].variables).toMatchObject({ dryRun: false, token: 't1' });
    expect(dialog.emitted('done')?.[0]).toEqual([operation]);
    expect(dialog.emitted('close')).toHaveLength(1);
  });

  it('shows the new plan when the numbers changed since the check, to be confirmed again', async () => {
    const mutate = jest
      .fn()
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t1', 3), operation: null } } })
      .mockRejectedValueOnce(refusal('DRY_RUN_OUTDATED'))
      .mockResolvedValueOnce({ data: { bulkOperation: { plan: plan('t2', 2), operation: null } } });
    const dialog = render(mutate);
    await dialog.find('form').trigger('submit');
    await flushPromises();
    await dialog.find('[data-test="bulk-confirm"]').trigger('click');
    await flushPromises();
    expect(dialog.find('[data-test="plan-outdated"]').exists()).toBe(true);
    expect(dialog.find('[data-test="bulk-confirm"]').text()).toBe('Start (2)');
    expect(dialog.find('[data-test="bulk-error"]').exists()).toBe(false);
    expect(dialog.emitted('close')).toBeUndefined();
  });

  it('asks for the service before the check, and sends the one chosen', async () => {
    const mutate = jest.fn().mockResolvedValue({ data: { bulkOperation: { plan: plan('t1', 3), operation: null } } });
    const dialog = render(mutate, 'CONNECT_SERVICE');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(mutate).not.toHaveBeenCalled();
    expect(dialog.find('[data-test="bulk-service"]').attributes('aria-invalid')).toBe('true');
    await dialog.find('[data-test="bulk-service"]').setValue('s1');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables.input).toMatchObject({ kind: 'CONNECT_SERVICE', serviceId: 's1' });
  });

  it('shows the API’s refusal in the administrator’s words', async () => {
    const dialog = render(jest.fn().mockRejectedValue(refusal('BULK_TOO_LARGE')));
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(dialog.find('[data-test="bulk-error"]').text()).toBe('At most 100,000 numbers can be changed at once.');
  });
});
