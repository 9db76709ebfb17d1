import { useMutation, useQuery } from '@vue/apollo-composable';
import { ref } from 'vue';
import { usePaymentHistory } from './usePaymentHistory';

jest.mock('@vue/apollo-composable', () => ({ useQuery: jest.fn(), useMutation: jest.fn() }));

describe('usePaymentHistory', () => {
  it('asks for nothing (each answer is a recorded view) until the number is known to pay in advance', () => {
    let options!: () => { enabled: boolean };
    (useQuery as jest.Mock).mockImplementation((_document, _variables, opts) => {
      options = opts;
      return { result: ref(undefined), loading: ref(false), error: ref(null), refetch: jest.fn() };
    });
    (useMutation as jest.Mock).mockReturnValue({ mutate: jest.fn() });
    const advance = ref(false);
    usePaymentHistory({ numberId: ref('TnVtYmVyOjM='), period: ref({ from: '2026-11-01', to: '2026-12-01' }), enabled: advance });
    expect(options().enabled).toBe(false);
    advance.value = true;
    expect(options().enabled).toBe(true);
  });
});
