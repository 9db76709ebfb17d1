import type { RouteRecordRaw } from 'vue-router';
import ActionsHistoryPage from './pages/ActionsHistoryPage.vue';
import CompletedWorksActPage from './pages/CompletedWorksActPage.vue';
import CreditPaymentsPage from './pages/CreditPaymentsPage.vue';
import InvoiceRegisterPage from './pages/InvoiceRegisterPage.vue';
import NumbersReportPage from './pages/NumbersReportPage.vue';
import ReconciliationActPage from './pages/ReconciliationActPage.vue';

/** Routes of the documents and reports section, all under /documents: one per tab. */
export const routes: RouteRecordRaw[] = [
  { path: '/documents', redirect: '/documents/payments' },
  { path: '/documents/payments', name: 'payments', component: CreditPaymentsPage },
  { path: '/documents/actions', name: 'actions', component: ActionsHistoryPage },
  { path: '/documents/numbers-report', name: 'numbers-report', component: NumbersReportPage },
  { path: '/documents/acts', name: 'acts', component: CompletedWorksActPage },
  { path: '/documents/invoices', name: 'invoices', component: InvoiceRegisterPage },
  { path: '/documents/reconciliation', name: 'reconciliation', component: ReconciliationActPage },
];

/** The tabs, in the manual's order, with their message keys. */
export const TABS = [
  { to: '/documents/payments', label: 'documents.tabs.payments' },
  { to: '/documents/actions', label: 'documents.tabs.actions' },
  { to: '/documents/numbers-report', label: 'documents.tabs.numbersReport' },
  { to: '/documents/acts', label: 'documents.tabs.acts' },
  { to: '/documents/invoices', label: 'documents.tabs.invoices' },
  { to: '/documents/reconciliation', label: 'documents.tabs.reconciliation' },
] as const;
