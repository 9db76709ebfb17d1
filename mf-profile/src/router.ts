import type { RouteRecordRaw } from 'vue-router';
import ApiKeysPage from './pages/ApiKeysPage.vue';
import MyCompaniesPage from './pages/MyCompaniesPage.vue';
import MyProfilePage from './pages/MyProfilePage.vue';
import SecurityPage from './pages/SecurityPage.vue';

/** Routes of the administrator profile section, all under /profile. */
export const routes: RouteRecordRaw[] = [
  { path: '/profile', name: 'profile', component: MyProfilePage },
  { path: '/profile/companies', name: 'companies', component: MyCompaniesPage },
  { path: '/profile/security', name: 'security', component: SecurityPage },
  { path: '/profile/api-keys', name: 'api-keys', component: ApiKeysPage },
];
