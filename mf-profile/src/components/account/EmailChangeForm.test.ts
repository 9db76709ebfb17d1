import { mountWithMessages, settle } from '../../testing';
import EmailChangeForm from './EmailChangeForm.vue';

function render(save = jest.fn().mockResolvedValue({ ok: true })) {
  const form = mountWithMessages(EmailChangeForm, { props: { email: 'petrov@example.kz', save } });
  return { form, save, input: (name: string) => form.find(`input[name="${name}"]`) };
}

describe('EmailChangeForm', () => {
  it.each(['petrov', 'petrov@', 'petrov@example', 'pe trov@example.kz', 'petrov@example..kz', `${'x'.repeat(65)}@example.kz`])(
    'refuses %s as an e-mail address without sending it',
    async (email) => {
      const { form, save, input } = render();
      await input('email').setValue(email);
      await input('currentPassword').setValue('the old passphrase here');
      await form.find('form').trigger('submit');
      expect(save).not.toHaveBeenCalled();
      expect(input('email').attributes('aria-invalid')).toBe('true');
      expect(form.text()).toContain('Enter an e-mail address such as name@company.kz.');
    },
  );

  it('wants the current password', async () => {
    const { form, save, input } = render();
    await input('email').setValue('ivan@example.kz');
    await form.find('form').trigger('submit');
    expect(save).not.toHaveBeenCalled();
    expect(input('currentPassword').attributes('aria-invalid')).toBe('true');
  });

  it('sends the new address trimmed with the password, then confirms and clears the form', async () => {
    const { form, save, input } = render();
    await input('email').setValue('  ivan@example.kz ');
    await input('currentPassword').setValue('the old passphrase here');
    await form.find('form').trigger('submit');
    await settle();
    expect(save).toHaveBeenCalledWith({ email: 'ivan@example.kz', currentPassword: 'the old passphrase here' });
    expect(form.find('[data-test="form-success"]').text()).toContain('ivan@example.kz');
    expect((input('currentPassword').element as HTMLInputElement).value).toBe('');
  });

  it('marks the password when the gateway says it is wrong', async () => {
    const save = jest.fn().mockResolvedValue({ ok: false, error: { code: 'BAD_USER_INPUT', message: '', field: 'currentPassword' } });
    const { form, input } = render(save);
    await input('email').setValue('ivan@example.kz');
    await input('currentPassword').setValue('wrong one');
    await form.find('form').trigger('submit');
    await settle();
    expect(input('currentPassword').attributes('aria-invalid')).toBe('true');
    expect(form.find('[role="alert"]').text()).toBe('The current password is wrong.');
  });

  it('shows any other refusal in the portal’s words', async () => {
    const save = jest.fn().mockResolvedValue({ ok: false, error: { code: 'RATE_LIMITED', message: '' } });
    const { form, input } = render(save);
    await input('email').setValue('ivan@example.kz');
    await input('currentPassword').setValue('the old passphrase here');
    await form.find('form').trigger('submit');
    await settle();
    expect(form.find('.k-alert--error').text()).toBe('Too many attempts. Try again later.');
  });
});
