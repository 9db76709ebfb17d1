import { mountWithMessages, settle } from '../../testing';
import ApiKeyCreateForm from './ApiKeyCreateForm.vue';

const SECRET = 'cab_ab12cd34_0123456789abcdefghijABCDEFGHIJ0123456789-_xyz';

function render(save = jest.fn().mockResolvedValue({ ok: true, secret: SECRET })) {
  const form = mountWithMessages(ApiKeyCreateForm, { props: { save }, attachTo: document.body });
  return { form, save, name: () => form.find('input[name="name"]') };
}

describe('ApiKeyCreateForm', () => {
  it('wants a name', async () => {
    const { form, save, name } = render();
    await name().setValue('   ');
    await form.find('form').trigger('submit');
    expect(save).not.toHaveBeenCalled();
    expect(name().attributes('aria-invalid')).toBe('true');
    expect(form.text()).toContain('Enter a name for the key.');
  });

  it('refuses a name over 100 characters once spaces are squeezed, and accepts 100', async () => {
    const { form, save, name } = render();
    await name().setValue('x'.repeat(101));
    await form.find('form').trigger('submit');
    expect(save).not.toHaveBeenCalled();
    expect(form.text()).toContain('At most 100 characters.');
    await name().setValue(`  ${'x'.repeat(50)}     ${'y'.repeat(49)}  `);
    await form.find('form').trigger('submit');
    expect(save).toHaveBeenCalledWith({ name: `${'x'.repeat(50)} ${'y'.repeat(49)}`, scope: 'READ' });
    form.unmount();
  });

  it('sends the chosen scope', async () => {
    const { form, save, name } = render();
    await name().setValue('ERP');
    await form.find('input[value="OPERATE"]').setValue(true);
    await form.find('form').trigger('submit');
    expect(save).toHaveBeenCalledWith({ name: 'ERP', scope: 'OPERATE' });
    form.unmount();
  });

  it('shows the secret once: after "stored" it is gone and the form is empty again', async () => {
    const { form, name } = render();
    await name().setValue('ERP');
    await form.find('form').trigger('submit');
    await settle();
    expect(form.find('[data-test="secret-value"]').text()).toBe(SECRET);
    expect(form.text()).toContain('it is shown this once');
    expect(document.activeElement).toBe(form.find('[data-test="secret-box"]').element);
    await form.find('[data-test="secret-stored"]').trigger('click');
    expect(form.html()).not.toContain(SECRET);
    expect((name().element as HTMLInputElement).value).toBe('');
    form.unmount();
  });

  it('copies the secret', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    const { form, name } = render();
    await name().setValue('ERP');
    await form.find('form').trigger('submit');
    await settle();
    await form.find('[data-test="copy-secret"]').trigger('click');
    expect(writeText).toHaveBeenCalledWith(SECRET);
    form.unmount();
  });

  it('keeps the form and says why when the gateway refuses', async () => {
    const { form, name } = render(jest.fn().mockResolvedValue({ ok: false, error: { code: 'FORBIDDEN', message: '' } }));
    await name().setValue('ERP');
    await form.find('form').trigger('submit');
    await settle();
    expect(form.find('[data-test="secret-value"]').exists()).toBe(false);
    expect(form.find('.k-alert--error').text()).toBe('You do not have access to this.');
    expect((name().element as HTMLInputElement).value).toBe('ERP');
    form.unmount();
  });
});
