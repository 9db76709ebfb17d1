import { defineSection } from '@cabinet/kit';
import App from './App.vue';
import en from './locales/en.json';
import kk from './locales/kk.json';
import ru from './locales/ru.json';
import historyEn from './locales/history/en.json';
import historyKk from './locales/history/kk.json';
import historyRu from './locales/history/ru.json';
import bulkEn from './locales/bulk/en.json';
import bulkKk from './locales/bulk/kk.json';
import bulkRu from './locales/bulk/ru.json';
import { routes } from './router';

export const { bootstrap, mount, unmount } = defineSection({
  name: __SECTION_NAME__,
  version: __SECTION_VERSION__,
  root: App,
  routes,
  messages: {
    en: { ...en, history: historyEn, bulk: bulkEn },
    ru: { ...ru, history: historyRu, bulk: bulkRu },
    kk: { ...kk, history: historyKk, bulk: bulkKk },
  },
});
