import { useApolloClient } from '@vue/apollo-composable';
import { flushPromises, mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import CallForwardingDialog from './CallForwardingDialog.vue';

jest.mock('@vue/apollo-composable', () => ({ useApolloClient: jest.fn() }));

const number = {
  id: 'TnVtYmVyOjM=',
  msisdn: '77010542003',
  callForwardings: [{ condition: 'BUSY' as const, target: '77010542006', setAt: '2025-03-01T10:00:00Z' }],
};
const accepted = (kind: string) => ({ data: { op: { id: 'op', kind, status: 'IN_PROCESS', parameters: [], number } } });

function render(mutate: jest.Mock, pendingConditions: string[] = []) {
  (useApolloClient as jest.Mock).mockReturnValue({ resolveClient: () => ({ mutate }) });
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit: { errors: {}, close: 'Close' } } } });
  return mount(CallForwardingDialog, { props: { open: true, number, pendingConditions }, global: { plugins: [i18n] }, attachTo: document.body });
}

describe('CallForwardingDialog', () => {
  it('refuses a malformed target or the number itself without asking the API', async () => {
    const mutate = jest.fn();
    const dialog = render(mutate);
    const input = dialog.get('input[type="tel"]');
    await input.setValue('+7 701');
    await dialog.get('form').trigger('submit');
    expect(dialog.get('[role="alert"]').text()).toBe(en.numbers.forwarding.problems.FORMAT);
    expect(input.attributes('aria-invalid')).toBe('true');
    await input.setValue('+7 701 054 20 03');
    await dialog.get('form').trigger('submit');
    expect(dialog.get('[role="alert"]').text()).toBe(en.numbers.forwarding.problems.SELF);
    expect(mutate).not.toHaveBeenCalled();
  });

  it('forwards once to the normalized number with an idempotency key, then clears the field', async () => {
    let answer!: (value: unknown) => void;
    const mutate = jest.fn().mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const dialog = render(mutate);
    await dialog.get('select').setValue('NO_ANSWER');
    await dialog.get('input[type="tel"]').setValue('+7 (701) 054-20-07');
    await dialog.get('form').trigger('submit');
    await dialog.get('form').trigger('submit');
    answer(accepted('SET_CALL_FORWARDING'));
    await flushPromises();
    expect(mutate).toHaveBeenCalledTimes(1);
    expect(mutate.mock.calls[0][0].variables).toMatchObject({
      numberId: number.id,
      condition: 'NO_ANSWER',
      target: '77010542007',
      idempotencyKey: expect.stringMatching(/^cabinet-.+:SET_CALL_FORWARDING$/),
    });
    expect((dialog.get('input[type="tel"]').element as HTMLInputElement).value).toBe('');
  });

  it('takes "already being carried out" away once the operation in process has finished', async () => {
    const refused = Object.assign(new Error('x'), { graphQLErrors: [{ message: 'busy', extensions: { code: 'OPERATION_IN_PROGRESS' } }] });
    const mutate = jest.fn().mockRejectedValue(refused);
    const dialog = render(mutate, ['BUSY']);
    await dialog.get('select').setValue('BUSY');
    await dialog.get('input[type="tel"]').setValue('+7 701 054 20 07');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(dialog.text()).toContain(en.numbers.errors.OPERATION_IN_PROGRESS);
    await dialog.setProps({ pendingConditions: [] });
    expect(dialog.text()).not.toContain(en.numbers.errors.OPERATION_IN_PROGRESS);
  });

  it('cancels a rule, and waits while its change is in process', async () => {
    const mutate = jest.fn().mockResolvedValue(accepted('CANCEL_CALL_FORWARDING'));
    const dialog = render(mutate);
    await dialog.get('[data-condition="BUSY"] button').trigger('click');
    await flushPromises();
    expect(mutate.mock.calls[0][0].variables).toMatchObject({ condition: 'BUSY', idempotencyKey: expect.stringMatching(/:CANCEL_CALL_FORWARDING$/) });
    const pending = render(jest.fn(), ['BUSY']).get('[data-condition="BUSY"] button');
    expect(pending.attributes('disabled')).toBeDefined();
    expect(pending.text()).toBe('In process');
  });

  it("shows the API's refusal of the target under the field, and any other refusal above", async () => {
    const fieldError = Object.assign(new Error('x'), { graphQLErrors: [{ message: 'not ours', extensions: { code: 'BAD_USER_INPUT', field: 'target' } }] });
    const dialog = render(jest.fn().mockRejectedValueOnce(fieldError));
    await dialog.get('input[type="tel"]').setValue('77010542007');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(dialog.get('input[type="tel"]').attributes('aria-invalid')).toBe('true');
    expect(dialog.get('[role="alert"]').text()).toBe(en.numbers.errors.fields.target);
    expect(dialog.findAll('.k-alert')).toHaveLength(0);

    const other = Object.assign(new Error('x'), { graphQLErrors: [{ message: 'blocked', extensions: { code: 'NUMBER_BLOCKED_FOR_DEBT' } }] });
    const second = render(jest.fn().mockRejectedValue(other));
    await second.get('input[type="tel"]').setValue('77010542007');
    await second.get('form').trigger('submit');
    await flushPromises();
    expect(second.get('.k-alert').text()).toBe(en.numbers.errors.NUMBER_BLOCKED_FOR_DEBT);
  });
});
