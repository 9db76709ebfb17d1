/**
 * @cabinet/kit — the one utility module of Cabinet's front end, loaded once through the import map:
 * the Apollo client, the session, the selected company, the language and formatting, and the design basics.
 */
import './styles/kit.css';

export { apolloClient, onUnauthenticated, portal, restartSocket, wsClient } from './apollo';
export { companies, companyLabel, selectCompany, selectedCompany, selectedCompanyId, type Company } from './company';
export { apiError, type ApiError } from './errors';
export { attempt, useAttempt, type Outcome } from './outcome';
export { addDays, addMonths, currentMonth, isDay, lastMonth, parseDay, todayInAlmaty, windowStartByDays, windowStartByMonths, type DayPeriod } from './dates';
export { formatDate, formatDateTime, formatInteger, formatMoney, formatPhone, localeOf, normalizePhone, TIME_ZONE } from './format';
export { createKitI18n, useFormat, type Messages } from './i18n';
export { isLanguage, language, LANGUAGE_NAMES, LANGUAGES, type Language } from './language';
export { defineSection, type SectionLifecycles, type SectionOptions, type SectionProps } from './section';
export { loadSession, logout, onSignedOut, session, setLanguage, signedIn, signIn, type Administrator, type SessionStatus } from './session';
export { dismissToast, showToast, toasts, type Toast, type ToastKind } from './toast';
export { navigate } from './navigate';
export { connectionPage, useCursorPager, type ConnectionLike, type CursorPager } from './paging';
export { downloadFile, DownloadError, saveDownload, type DownloadLink } from './download';
export {
  checkPassword,
  PASSWORD_MAX,
  PASSWORD_MIN,
  passwordLength,
  type PasswordCheck,
  type PasswordContext,
  type PasswordProblemCode,
  type PasswordRule,
} from './password';
export { default as KitAlert } from './components/KitAlert.vue';
export { default as KitButton } from './components/KitButton.vue';
export { default as KitDateField } from './components/KitDateField.vue';
export { default as KitDialog } from './components/KitDialog.vue';
export { default as KitLoading } from './components/KitLoading.vue';
export { default as KitPager } from './components/KitPager.vue';
export { default as KitTableFrame } from './components/KitTableFrame.vue';
export { default as KitTabs } from './components/KitTabs.vue';
export { default as KitToasts } from './components/KitToasts.vue';
