import type { RouteRecordRaw } from 'vue-router';
import BulkOperationPage from './pages/BulkOperationPage.vue';
import BulkOperationsPage from './pages/BulkOperationsPage.vue';
import NumberListPage from './pages/NumberListPage.vue';
import NumberProfilePage from './pages/NumberProfilePage.vue';
import PaymentHistoryPage from './pages/PaymentHistoryPage.vue';
import UsageDetailsPage from './pages/UsageDetailsPage.vue';

/** Routes of the numbers section, all under /numbers. */
export const routes: RouteRecordRaw[] = [
  { path: '/numbers', name: 'numbers', component: NumberListPage },
  { path: '/numbers/operations', name: 'bulk-operations', component: BulkOperationsPage },
  { path: '/numbers/operations/:id', name: 'bulk-operation', component: BulkOperationPage },
  { path: '/numbers/:id', name: 'number', component: NumberProfilePage },
  { path: '/numbers/:id/usage', name: 'number-usage', component: UsageDetailsPage },
  { path: '/numbers/:id/payments', name: 'number-payments', component: PaymentHistoryPage },
];
