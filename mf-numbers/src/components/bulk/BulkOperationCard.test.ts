import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import BulkOperationCard from './BulkOperationCard.vue';
import { bulkI18n } from './testing';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const base = {
  id: 'b1',
  kind: 'BLOCK_NUMBER',
  status: 'RUNNING',
  parameters: [],
  total: 200,
  counts: { pending: 100, inProcess: 20, success: 70, failure: 10, skipped: 0, cancelled: 0 },
  rate: 12.5,
  estimatedEndAt: '2026-12-02T07:40:00Z',
  startAt: null,
  createdAt: '2026-12-02T07:30:00Z',
  startedAt: '2026-12-02T07:30:01Z',
  finishedAt: null,
  actor: { administratorId: 'a1', name: 'Петров Иван', phone: '77012112170' },
  approvalRequired: false,
  approvalExpiresAt: null,
  decision: null,
  canDecide: false,
};
const router = createRouter({
  history: createMemoryHistory(),
  routes: [
    { path: '/', component: { template: '<p/>' } },
    { path: '/numbers/operations/:id', name: 'bulk-operation', component: { template: '<p/>' } },
  ],
});

function render(operation: Record<string, unknown>, mutate = jest.fn()) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  return mount(BulkOperationCard, {
    props: { operation: { ...base, ...operation } as never },
    global: { plugins: [bulkI18n(), router] },
    attachTo: document.body,
  });
}

describe('BulkOperationCard', () => {
  it('shows a running operation’s progress as a labelled bar with the counts, and offers pause and cancel', () => {
    const card = render({});
    const bar = card.find('[role="progressbar"]');
    expect(bar.attributes('aria-valuenow')).toBe('80');
    expect(bar.attributes('aria-valuemax')).toBe('200');
    expect(bar.attributes('aria-valuetext')).toBe('Progress: 80 of 200');
    expect(card.find('[data-count="failure"]').text()).toContain('10');
    expect(card.find('[data-test="bulk-pause"]').exists()).toBe(true);
    expect(card.find('[data-test="bulk-resume"]').exists()).toBe(false);
    expect(card.find('[data-test="bulk-cancel"]').exists()).toBe(true);
  });

  it('pauses it through the API', async () => {
    const mutate = jest.fn().mockResolvedValue({ data: { pauseBulkOperation: { ...base, status: 'PAUSED' } } });
    const card = render({}, mutate);
    await card.find('[data-test="bulk-pause"]').trigger('click');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables).toEqual({ id: 'b1' });
  });

  it('tells the requester it waits for another administrator, with the deadline', () => {
    const card = render({ status: 'AWAITING_APPROVAL', approvalRequired: true, approvalExpiresAt: '2026-12-03T07:30:00Z', startedAt: null });
    expect(card.find('[data-test="bulk-waiting"]').exists()).toBe(true);
    expect(card.find('[data-test="bulk-expires"]').text()).toBe('Approval needed by 03/12/2026, 12:30:00');
    expect(card.find('[data-test="bulk-decide"]').exists()).toBe(false);
  });

  it('lets another administrator reject only with a comment, and approve', async () => {
    const mutate = jest.fn().mockResolvedValue({ data: { rejectBulkOperation: { ...base, status: 'REJECTED' } } });
    const card = render({ status: 'AWAITING_APPROVAL', approvalRequired: true, canDecide: true, startedAt: null }, mutate);
    await card.find('[data-test="bulk-decide"]').trigger('click');
    await flushPromises();
    await card.find('[data-test="bulk-reject"]').trigger('click');
    expect(mutate).not.toHaveBeenCalled();
    expect(card.text()).toContain('Say why it is rejected.');
    await card.find('[data-test="bulk-comment"]').setValue('Not this month');
    await card.find('[data-test="bulk-reject"]').trigger('click');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables).toEqual({ id: 'b1', comment: 'Not this month' });
  });

  it('shows SELF_APPROVAL in the administrator’s words', async () => {
    const mutate = jest.fn().mockRejectedValue(Object.assign(new Error('x'), { graphQLErrors: [{ message: 'x', extensions: { code: 'SELF_APPROVAL' } }] }));
    const card = render({ status: 'AWAITING_APPROVAL', canDecide: true, startedAt: null }, mutate);
    await card.find('[data-test="bulk-decide"]').trigger('click');
    await card.find('[data-test="bulk-approve"]').trigger('click');
    await flushPromises();
    expect(card.find('[data-test="bulk-decide-error"]').text()).toBe('Another administrator must approve what you asked for.');
  });
});
