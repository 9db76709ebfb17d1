import { mountWithMessages, settle } from '../../testing';
import WebhookCreateForm from './WebhookCreateForm.vue';

const SECRET = 'whsec_0123456789abcdefghijABCDEFGHIJ0123456789-_x';

function render(save = jest.fn().mockResolvedValue({ ok: true, secret: SECRET })) {
  const form = mountWithMessages(WebhookCreateForm, { props: { save }, attachTo: document.body });
  const field = (name: string) => form.find(`input[name="${name}"]`);
  const fill = async (name: string, url: string) => {
    await field('name').setValue(name);
    await field('url').setValue(url);
  };
  return { form, save, field, fill, submit: () => form.find('form').trigger('submit') };
}

describe('WebhookCreateForm', () => {
  it('sends the name, the URL and every event type by default', async () => {
    const { form, save, fill, submit } = render();
    await fill('  ERP   sync ', ' https://partner.example.kz/hooks ');
    await submit();
    expect(save).toHaveBeenCalledWith({
      name: 'ERP sync',
      url: 'https://partner.example.kz/hooks',
      eventTypes: ['NUMBER_CHANGED', 'OPERATION_CHANGED', 'REPORT_CHANGED'],
    });
    form.unmount();
  });

  it.each([
    ['', 'Enter the endpoint’s URL.'],
    ['partner.example.kz/hooks', 'Enter a full address such as https://partner.example.kz/hooks, without #.'],
    ['http://partner.example.kz/hooks', 'The address must start with https://.'],
    ['https://user:secret@partner.example.kz/hooks', 'Leave the user name and password out of the address.'],
  ])('refuses the URL “%s” before sending', async (url, message) => {
    const { form, save, fill, field, submit } = render();
    await fill('ERP', url);
    await submit();
    expect(save).not.toHaveBeenCalled();
    expect(field('url').attributes('aria-invalid')).toBe('true');
    expect(form.find('[data-test="webhook-url-hint"]').text()).toBe(message);
    form.unmount();
  });

  it('accepts plain http to this machine, for local testing', async () => {
    const { form, save, fill, submit } = render();
    await fill('Local', 'http://localhost:8080/hooks');
    await submit();
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ url: 'http://localhost:8080/hooks' }));
    form.unmount();
  });

  it('wants a name and at least one event type', async () => {
    const { form, save, fill, submit } = render();
    await fill('   ', 'https://partner.example.kz/hooks');
    for (const box of form.findAll('input[name="eventTypes"]')) await box.setValue(false);
    await submit();
    expect(save).not.toHaveBeenCalled();
    expect(form.text()).toContain('Enter a name for the endpoint.');
    expect(form.find('fieldset').attributes('aria-invalid')).toBe('true');
    expect(form.text()).toContain('Choose at least one kind of event.');
    await form.find('input[value="REPORT_CHANGED"]').setValue(true);
    await form.find('input[name="name"]').setValue('Reports');
    await submit();
    expect(save).toHaveBeenCalledWith({ name: 'Reports', url: 'https://partner.example.kz/hooks', eventTypes: ['REPORT_CHANGED'] });
    form.unmount();
  });

  it('says why the gateway refused the address', async () => {
    const save = jest.fn().mockResolvedValue({ ok: false, error: { code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url', reason: 'PRIVATE_ADDRESS', message: '' } });
    const { form, fill, field, submit } = render(save);
    await fill('ERP', 'https://intranet.partner.kz/hooks');
    await submit();
    await settle();
    expect(field('url').attributes('aria-invalid')).toBe('true');
    expect(form.find('[data-test="webhook-url-hint"]').text()).toContain('private or local network');
    expect((field('url').element as HTMLInputElement).value).toBe('https://intranet.partner.kz/hooks');
    form.unmount();
  });

  it('says when the company has as many endpoints as it may', async () => {
    const { form, fill, submit } = render(jest.fn().mockResolvedValue({ ok: false, error: { code: 'WEBHOOK_ENDPOINT_LIMIT', message: '' } }));
    await fill('ERP', 'https://partner.example.kz/hooks');
    await submit();
    await settle();
    expect(form.find('.k-alert--error').text()).toBe('A company can have at most 20 endpoints. Delete one first.');
    form.unmount();
  });

  it('shows the secret once: after "stored" it is gone and the form is empty again', async () => {
    const { form, fill, field, submit } = render();
    await fill('ERP', 'https://partner.example.kz/hooks');
    await submit();
    await settle();
    expect(form.find('[data-test="secret-value"]').text()).toBe(SECRET);
    expect(form.text()).toContain('it is shown this once');
    expect(document.activeElement).toBe(form.find('[data-test="secret-box"]').element);
    await form.find('[data-test="secret-stored"]').trigger('click');
    expect(form.html()).not.toContain(SECRET);
    expect((field('url').element as HTMLInputElement).value).toBe('');
    form.unmount();
  });
});
