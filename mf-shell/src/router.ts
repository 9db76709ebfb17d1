import { loadSession, signedIn } from '@cabinet/kit';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import FaqPage from './pages/FaqPage.vue';
import LoginPage from './pages/LoginPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import RecoveryPage from './pages/RecoveryPage.vue';
import RegisterPage from './pages/RegisterPage.vue';
import SectionHost from './pages/SectionHost.vue';
import ServicePage from './pages/ServicePage.vue';
import { SECTIONS } from './sections';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    /** A sign-in screen: a signed-in administrator is sent to the numbers instead. */
    signIn?: boolean;
    /** The section single-spa mounts for this route. */
    section?: string;
  }
}

export const HOME = '/numbers';

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => (signedIn.value ? HOME : '/login') },
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true, signIn: true } },
  { path: '/recovery', name: 'recovery', component: RecoveryPage, meta: { public: true, signIn: true } },
  { path: '/register', name: 'register', component: RegisterPage, meta: { public: true, signIn: true } },
  { path: '/faq', name: 'faq', component: FaqPage, meta: { public: true } },
  { path: '/services/sms-broadcast', name: 'sms-broadcast', component: ServicePage },
  ...SECTIONS.map((section) => ({
    path: `${section.prefix}/:rest(.*)*`,
    component: SectionHost,
    props: { name: section.name },
    meta: { section: section.name },
  })),
  { path: '/:missing(.*)*', name: 'not-found', component: NotFoundPage, meta: { public: true } },
];

/** The shell's router: its own screens, and a host route per section (the section's own router takes it from there). */
export function createShellRouter() {
  const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) });
  router.beforeEach(async (to) => {
    await loadSession().catch(() => null);
    if (to.meta.signIn && signedIn.value) return HOME;
    if (!to.meta.public && !signedIn.value) return { path: '/login', query: to.fullPath === HOME ? {} : { next: to.fullPath } };
    return true;
  });
  return router;
}

/** Where to go after signing in: the page asked for, if it is one of ours. */
export function afterSignIn(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : HOME;
}
