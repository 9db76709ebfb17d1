import { DefaultApolloClient } from '@vue/apollo-composable';
import { createApp, defineComponent, h, type App, type Component } from 'vue';
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import { apolloClient } from './apollo';
import { createKitI18n, type Messages } from './i18n';

/** What the single-spa root config hands every section when mounting it. */
export interface SectionProps {
  name: string;
  /** Where to mount; the shell's section host by default. */
  domElement?: HTMLElement;
}

export interface SectionOptions {
  /** Package name without scope, e.g. "mf-numbers". */
  name: string;
  version: string;
  root: Component;
  /** Routes under the section's prefix (e.g. /numbers). */
  routes: RouteRecordRaw[];
  messages: Messages;
}

export interface SectionLifecycles {
  bootstrap(props?: SectionProps): Promise<void>;
  mount(props?: SectionProps): Promise<void>;
  unmount(props?: SectionProps): Promise<void>;
}

// Other sections' URLs: this section's router must accept them silently while single-spa unmounts it.
const Elsewhere = defineComponent({ name: 'SectionElsewhere', render: () => h('span', { hidden: true }) });

/**
 * The single-spa lifecycles of a Vue section: each mount makes a fresh app, router and i18n in a
 * container of its own, with the page's one Apollo client provided.
 */
export function defineSection(options: SectionOptions): SectionLifecycles {
  let mounted: { app: App; router: Router; element: HTMLElement; stop: () => void } | undefined;
  return {
    async bootstrap() {},
    async mount(props) {
      const host = props?.domElement ?? document.getElementById('cabinet-section');
      if (!host) throw new Error(`${options.name}: no #cabinet-section element to mount in`);
      const element = document.createElement('div');
      element.dataset.section = options.name;
      element.dataset.sectionVersion = options.version;
      host.append(element);
      const router = createRouter({
        history: createWebHistory(),
        routes: [...options.routes, { path: '/:elsewhere(.*)*', component: Elsewhere }],
      });
      const { i18n, stop } = createKitI18n(options.messages);
      const app = createApp(options.root);
      app.provide(DefaultApolloClient, apolloClient);
      app.use(router);
      app.use(i18n);
      mounted = { app, router, element, stop };
      await router.isReady();
      app.mount(element);
    },
    async unmount() {
      if (!mounted) return;
      mounted.app.unmount();
      mounted.stop();
      mounted.element.remove();
      mounted = undefined;
    },
  };
}
