import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import type { Component } from 'vue';
import { createI18n } from 'vue-i18n';
import kit from '../../mf-shell/src/kit/locales/en.json';
import en from './locales/en.json';

/** Mounts a component of this section with its English messages and the kit's, as the section does. */
export function mountWithMessages<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit } } });
  return mount(component, { ...options, global: { ...options.global, plugins: [i18n] } } as ComponentMountingOptions<C>);
}

/** Lets pending promises (a save's answer) settle and the DOM update. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
