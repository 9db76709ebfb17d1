import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { createI18n } from 'vue-i18n';
import en from '../locales/en.json';
import KitDialog from './KitDialog.vue';

const i18n = () => createI18n({ legacy: false, locale: 'en', messages: { en: { kit: en } } });

describe('KitDialog', () => {
  it('opens as a modal named by its title, and closes when asked', async () => {
    const dialog = mount(KitDialog, {
      props: { open: false, title: 'Block number' },
      slots: { default: 'Are you sure?' },
      global: { plugins: [i18n()] },
      attachTo: document.body,
    });
    const element = dialog.find('dialog').element as HTMLDialogElement;
    expect(element.open).toBe(false);
    await dialog.setProps({ open: true });
    await nextTick();
    expect(element.open).toBe(true);
    expect(document.getElementById(element.getAttribute('aria-labelledby')!)?.textContent).toBe('Block number');
    await dialog.find('button[aria-label="Close"]').trigger('click');
    expect(dialog.emitted('close')).toHaveLength(1);
    dialog.unmount();
  });

  it('asks to close on Escape instead of closing on its own', async () => {
    const dialog = mount(KitDialog, { props: { open: true, title: 'T' }, global: { plugins: [i18n()] } });
    await dialog.find('dialog').trigger('cancel');
    expect(dialog.emitted('close')).toHaveLength(1);
  });
});
