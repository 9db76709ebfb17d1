import { apolloClient, createKitI18n, onSignedOut } from '@cabinet/kit';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { start } from 'single-spa';
import { createApp } from 'vue';
import App from './App.vue';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';
import { createShellRouter } from './router';
import { registerSections } from './sections';

const router = createShellRouter();
const { i18n } = createKitI18n({ en, ru, kk });
const app = createApp(App);
app.provide(DefaultApolloClient, apolloClient);
app.use(router);
app.use(i18n);

onSignedOut((reason) => {
  const here = router.currentRoute.value;
  const query = reason === 'expired' ? { expired: '1', ...(here.meta.public ? {} : { next: here.fullPath }) } : { out: '1' };
  void router.push({ path: '/login', query });
});

// Screen readers hear nothing when a single-page app changes page: move focus to the new content.
router.afterEach((to, from) => {
  if (from.matched.length > 0 && to.path !== from.path) document.getElementById('main')?.focus({ preventScroll: true });
});

registerSections(() => document.getElementById('cabinet-section'));
app.mount('#cabinet');
void router.isReady().then(() => start({ urlRerouteOnly: true }));
