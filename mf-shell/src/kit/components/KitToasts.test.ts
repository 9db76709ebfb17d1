import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../locales/en.json';
import { showToast, toasts } from '../toast';
import KitToasts from './KitToasts.vue';

const i18n = () => createI18n({ legacy: false, locale: 'en', messages: { en: { kit: en } } });

describe('KitToasts', () => {
  it('closes a toast on its button, errors included', async () => {
    const view = mount(KitToasts, { global: { plugins: [i18n()] } });
    showToast('Report failed', 'error');
    await view.vm.$nextTick();
    const toast = view.get('.k-toast');
    expect(toast.attributes('role')).toBe('alert');
    await toast.get('button').trigger('click');
    expect(toasts).toHaveLength(0);
    expect(view.find('.k-toast').exists()).toBe(false);
  });
});
