import { defineSection } from '@cabinet/kit';
import App from './App.vue';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';
import { routes } from './router';

export const { bootstrap, mount, unmount } = defineSection({
  name: __SECTION_NAME__,
  version: __SECTION_VERSION__,
  root: App,
  routes,
  messages: { en, ru, kk },
});
