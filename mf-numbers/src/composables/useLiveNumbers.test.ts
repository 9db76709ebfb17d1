import { ApolloClient, ApolloLink, gql, InMemoryCache, Observable, type FetchResult, type Operation } from '@apollo/client/core';
import { print } from 'graphql';
import { toasts } from '@cabinet/kit';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, ref } from 'vue';
import { createI18n } from 'vue-i18n';
import en from '../locales/en.json';
import { useLiveNumbers } from './useLiveNumbers';
import { submittedOperations } from './useNumberOperation';

const COMPANY = 'Q29tcGFueTox';
const NUMBER = 'TnVtYmVyOjM=';

function numberOf(state: string) {
  return {
    __typename: 'Number',
    id: NUMBER,
    msisdn: '77010542003',
    state,
    stateChangedAt: '2025-04-01T10:00:00Z',
    isM2m: false,
    balance: '100.00',
    availableFunds: '100.00',
    individualLimit: null,
    creditLimit: null,
    roamingDebt: '0.00',
    registrationForm: null,
    smsUssdBan: false,
    allowedOperations: [],
    company: { __typename: 'Company', id: COMPANY },
    account: { __typename: 'Account', id: 'QWNjb3VudDox', accountNo: '25060833', paymentMethod: 'ADVANCE' },
    tariff: { __typename: 'Tariff', id: 'VGFyaWZmOjE=', name: 'Business' },
    simCard: { __typename: 'SimCard', iccid: '89997021000000000014', replacedAt: null },
    device: { __typename: 'Device', lastImei: null, lastImeiRegistered: false, registered: [] },
    callForwardings: [],
    tariffBalances: [],
    bonuses: [],
    connectedServices: [],
    availableServices: [],
  };
}

function operationOf(id: string, status: string, failureReason: string | null = null) {
  return {
    __typename: 'Operation',
    id,
    kind: 'BLOCK_NUMBER',
    status,
    failureReason,
    createdAt: '2025-04-01T10:00:00Z',
    finishedAt: status === 'IN_PROCESS' ? null : '2025-04-01T10:00:03Z',
    parameters: [],
    number: { __typename: 'Number', id: NUMBER, msisdn: '77010542003' },
  };
}

const STATE = gql`
  fragment LiveState on Number {
    id
    state
  }
`;

function setUp(shown: string | null = null) {
  const streams: Record<string, { next: (value: FetchResult) => void }> = {};
  const operations: Record<string, Operation> = {};
  const link = new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) => {
        streams[operation.operationName] = observer;
        operations[operation.operationName] = operation;
      }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const refetchQueries = jest
    .spyOn(client, 'refetchQueries')
    .mockImplementation(() => Object.assign(Promise.resolve([]), { queries: [], results: [] }) as never);
  client.cache.writeFragment({ id: `Number:${NUMBER}`, fragment: STATE, data: { __typename: 'Number', id: NUMBER, state: 'ACTIVE' } });
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } });
  const Host = defineComponent({
    setup() {
      useLiveNumbers(ref(COMPANY), ref(shown));
      return () => null;
    },
  });
  const wrapper = mount(Host, { global: { plugins: [i18n], provide: { [DefaultApolloClient]: client } } });
  return {
    client,
    operations,
    refetchQueries,
    wrapper,
    number: async (sequence: number, state: string) => {
      streams.NumberChanged.next({ data: { numberChanged: { __typename: 'NumberChange', sequence, cursor: `n${sequence}`, number: numberOf(state) } } });
      await flushPromises();
    },
    operation: async (sequence: number, operation: ReturnType<typeof operationOf>) => {
      streams.OperationChanged.next({ data: { operationChanged: { __typename: 'OperationChange', sequence, cursor: `o${sequence}`, operation } } });
      await flushPromises();
    },
  };
}

beforeEach(() => {
  toasts.splice(0);
  submittedOperations.clear();
});

describe('useLiveNumbers', () => {
  it("writes a number's new state into the shared cache, so every view of it follows", async () => {
    const live = setUp();
    await flushPromises();
    await live.number(1, 'BLOCKED');
    expect(live.client.cache.readFragment({ id: `Number:${NUMBER}`, fragment: STATE })).toEqual({ __typename: 'Number', id: NUMBER, state: 'BLOCKED' });
    expect(live.refetchQueries).not.toHaveBeenCalled();
  });

  it('subscribes so that the kit resumes after the last event: with `$after`, selecting each event’s cursor', async () => {
    const live = setUp();
    await flushPromises();
    for (const name of ['NumberChanged', 'OperationChanged']) {
      const text = print(live.operations[name].query);
      expect(text).toMatch(/\$after: String/);
      expect(text).toMatch(/after: \$after/);
      expect(text).toMatch(/\bcursor\b/);
    }
  });

  it('does not refetch what is shown when events arrive after a reconnect (the kit resumes from the cursor)', async () => {
    const live = setUp();
    await flushPromises();
    await live.number(4, 'BLOCKED');
    await live.number(7, 'ACTIVE');
    expect(live.refetchQueries).not.toHaveBeenCalled();
  });

  it("refetches the shown number's profile and operations when an event is about it, nothing for other numbers", async () => {
    const shown = setUp(NUMBER);
    await flushPromises();
    await shown.number(1, 'BLOCKED');
    await shown.operation(1, operationOf('op-1', 'IN_PROCESS'));
    await shown.operation(2, operationOf('op-1', 'SUCCESS'));
    expect(shown.refetchQueries.mock.calls).toEqual([
      [{ include: ['NumberProfile'] }],
      [{ include: ['NumberOperations', 'NumberProfile'] }],
      [{ include: ['NumberOperations', 'NumberProfile'] }],
    ]);
    await shown.operation(3, operationOf('op-2', 'SUCCESS'));
    expect(shown.refetchQueries).toHaveBeenLastCalledWith({ include: ['NumberOperations', 'NumberProfile'] });

    const list = setUp();
    await flushPromises();
    await list.number(1, 'BLOCKED');
    await list.operation(1, operationOf('op-3', 'IN_PROCESS'));
    expect(list.refetchQueries).not.toHaveBeenCalled();
  });

  it('announces the outcome of an operation submitted here, once', async () => {
    const live = setUp();
    await flushPromises();
    submittedOperations.set('op-1', operationOf('op-1', 'IN_PROCESS') as never);
    await live.operation(1, operationOf('op-1', 'IN_PROCESS'));
    expect(toasts).toHaveLength(0);
    await live.operation(2, operationOf('op-1', 'SUCCESS'));
    expect(toasts.map(({ kind, text }) => ({ kind, text }))).toEqual([
      { kind: 'success', text: 'Block number for +7\u00a0701\u00a0054\u00a020\u00a003: done.' },
    ]);
    await live.operation(3, operationOf('op-1', 'SUCCESS'));
    expect(toasts).toHaveLength(1);
    expect(submittedOperations.has('op-1')).toBe(false);
  });

  it('announces a failure with its reason as an error', async () => {
    const live = setUp();
    await flushPromises();
    submittedOperations.set('op-9', operationOf('op-9', 'IN_PROCESS') as never);
    await live.operation(1, operationOf('op-9', 'FAILURE', 'Billing refused'));
    expect(toasts.map(({ kind, text }) => ({ kind, text }))).toEqual([
      { kind: 'error', text: 'Block number for +7\u00a0701\u00a0054\u00a020\u00a003 failed: Billing refused' },
    ]);
  });

  it('says nothing about operations submitted elsewhere', async () => {
    const live = setUp();
    await flushPromises();
    await live.operation(1, operationOf('op-elsewhere', 'SUCCESS'));
    expect(toasts).toHaveLength(0);
  });
});
