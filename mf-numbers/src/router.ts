import type { RouteRecordRaw } from 'vue-router';
import NumberListPage from './pages/NumberListPage.vue';

/** Routes of the numbers section, all under /numbers. */
export const routes: RouteRecordRaw[] = [{ path: '/numbers', name: 'numbers', component: NumberListPage }];
