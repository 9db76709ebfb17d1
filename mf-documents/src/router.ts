import type { RouteRecordRaw } from 'vue-router';
import ActionsHistoryPage from './pages/ActionsHistoryPage.vue';

/** Routes of the documents and reports section, all under /documents. */
export const routes: RouteRecordRaw[] = [
  { path: '/documents', redirect: '/documents/actions' },
  { path: '/documents/actions', name: 'actions', component: ActionsHistoryPage },
];
