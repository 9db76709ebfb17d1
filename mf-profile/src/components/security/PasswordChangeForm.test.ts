import { mountWithMessages, settle } from '../../testing';
import PasswordChangeForm from './PasswordChangeForm.vue';

const identity = { phone: '77012112170', email: 'petrov@example.kz', name: 'Петров Иван' };
const GOOD = 'snow falls on the steppe at dawn';

function render(save = jest.fn().mockResolvedValue({ ok: true })) {
  const form = mountWithMessages(PasswordChangeForm, { props: { identity, save } });
  const rule = (name: string) => form.find(`[data-rule="${name}"]`);
  const met = (name: string) => rule(name).attributes('data-met') === 'true';
  return { form, save, rule, met, input: (name: string) => form.find(`input[name="${name}"]`) };
}

describe('PasswordChangeForm', () => {
  it('explains the policy as the password is typed, counting characters after NFKC', async () => {
    const { met, rule, input } = render();
    expect(met('LENGTH')).toBe(false);
    await input('password').setValue('ﬁ'.repeat(7));
    expect(rule('LENGTH').text()).toContain('(now 14)');
    expect(met('LENGTH')).toBe(false);
    await input('password').setValue('ﬁ'.repeat(8));
    expect(rule('LENGTH').text()).toContain('(now 16)');
    expect(met('LENGTH')).toBe(true);
    await input('password').setValue('x'.repeat(129));
    expect(met('LENGTH')).toBe(false);
  });

  it('flags the phone, the e-mail or the name as the password', async () => {
    const { met, input } = render();
    await input('password').setValue('call me at 7012112170 please');
    expect(met('NOT_IDENTITY')).toBe(false);
    await input('password').setValue('petrov@example.kz');
    expect(met('NOT_IDENTITY')).toBe(false);
    await input('password').setValue(GOOD);
    expect(met('NOT_IDENTITY')).toBe(true);
  });

  it('says when the repeat matches', async () => {
    const { met, input } = render();
    await input('password').setValue(GOOD);
    await input('passwordRepeat').setValue(`${GOOD}.`);
    expect(met('REPEAT')).toBe(false);
    await input('passwordRepeat').setValue(GOOD);
    expect(met('REPEAT')).toBe(true);
  });

  it('does not send a password the policy refuses, and says why at the field', async () => {
    const { form, save, input } = render();
    await input('currentPassword').setValue('the old passphrase here');
    await input('password').setValue('too short');
    await form.find('form').trigger('submit');
    expect(save).not.toHaveBeenCalled();
    expect(input('password').attributes('aria-invalid')).toBe('true');
    expect(form.find('[role="alert"]').text()).toContain('at least 15 characters');

    await input('password').setValue(GOOD);
    await input('passwordRepeat').setValue('something else entirely');
    await form.find('form').trigger('submit');
    expect(save).not.toHaveBeenCalled();
    expect(input('passwordRepeat').attributes('aria-invalid')).toBe('true');
  });

  it('wants the current password', async () => {
    const { form, save, input } = render();
    await input('password').setValue(GOOD);
    await input('passwordRepeat').setValue(GOOD);
    await form.find('form').trigger('submit');
    expect(save).not.toHaveBeenCalled();
    expect(input('currentPassword').attributes('aria-invalid')).toBe('true');
  });

  it('sends the three fields, then clears them and confirms', async () => {
    const { form, save, input } = render();
    await input('currentPassword').setValue('the old passphrase here');
    await input('password').setValue(GOOD);
    await input('passwordRepeat').setValue(GOOD);
    await form.find('form').trigger('submit');
    await settle();
    expect(save).toHaveBeenCalledWith({ currentPassword: 'the old passphrase here', password: GOOD, passwordRepeat: GOOD });
    expect((input('password').element as HTMLInputElement).value).toBe('');
    expect(form.find('[data-test="form-success"]').exists()).toBe(true);
  });

  it('shows the reason the gateway gives, such as a common password', async () => {
    const save = jest.fn().mockResolvedValue({ ok: false, error: { code: 'BAD_USER_INPUT', message: '', field: 'password', reason: 'COMMON' } });
    const { form, input } = render(save);
    await input('currentPassword').setValue('the old passphrase here');
    await input('password').setValue('correct horse battery staple');
    await input('passwordRepeat').setValue('correct horse battery staple');
    await form.find('form').trigger('submit');
    await settle();
    expect(input('password').attributes('aria-invalid')).toBe('true');
    expect(form.text()).toContain('This password is common');
  });

  it('marks the current password when the gateway says it is wrong', async () => {
    const save = jest.fn().mockResolvedValue({ ok: false, error: { code: 'BAD_USER_INPUT', message: '', field: 'currentPassword' } });
    const { form, input } = render(save);
    await input('currentPassword').setValue('not the right one');
    await input('password').setValue(GOOD);
    await input('passwordRepeat').setValue(GOOD);
    await form.find('form').trigger('submit');
    await settle();
    expect(input('currentPassword').attributes('aria-invalid')).toBe('true');
    expect(form.text()).toContain('The current password is wrong.');
    expect(form.find('[data-test="form-success"]').exists()).toBe(false);
  });

  it('labels every field', () => {
    const { form } = render();
    for (const input of form.findAll('input:not([type="checkbox"])')) expect(form.find(`label[for="${input.attributes('id')}"]`).exists()).toBe(true);
  });
});
