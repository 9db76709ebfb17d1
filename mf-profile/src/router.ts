import type { RouteRecordRaw } from 'vue-router';
import MyCompaniesPage from './pages/MyCompaniesPage.vue';
import MyProfilePage from './pages/MyProfilePage.vue';

/** Routes of the administrator profile section, all under /profile. */
export const routes: RouteRecordRaw[] = [
  { path: '/profile', name: 'profile', component: MyProfilePage },
  { path: '/profile/companies', name: 'companies', component: MyCompaniesPage },
];
