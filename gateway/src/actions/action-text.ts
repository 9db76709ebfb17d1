import type { Language } from '../core/language';
import { formatDateTime } from '../core/wall-clock';
import { OPERATION_TEXTS } from '../operations';

type Template = (d: Record<string, string>) => string;

/** An instant as Asia/Almaty's wall clock. */
const wallClock = (iso: string | undefined) => (iso ? formatDateTime(new Date(iso), 'en') : '');
const day = (iso: string) => iso.split('-').reverse().join('.');
const month = (iso: string | undefined) => (iso ?? '').split('-').slice(0, 2).reverse().join('.');
const PERIOD: Record<Language, string> = { en: 'for', ru: 'за', kk: '' };

/** " for 01.03.2025–31.03.2025" when the entry has a period; older entries have none. */
function period(d: Record<string, string>, language: Language): string {
  if (!d.from || !d.to) return '';
  const range = `${day(d.from)}–${day(d.to)}`;
  return language === 'kk' ? `, ${range}` : ` ${PERIOD[language]} ${range}`;
}

const SCOPES: Record<string, Record<Language, string>> = {
  READ: { en: 'read only', ru: 'только чтение', kk: 'тек оқу' },
  OPERATE: { en: 'read and operate', ru: 'чтение и операции', kk: 'оқу және операциялар' },
};
const scope = (d: Record<string, string>, language: Language) => SCOPES[d.scope]?.[language] ?? d.scope ?? '';

const BULK_COUNTS: Record<Language, [string, string, string, string]> = {
  en: ['done', 'failed', 'skipped', 'cancelled'],
  ru: ['выполнено', 'с ошибкой', 'пропущено', 'отменено'],
  kk: ['орындалды', 'қатемен', 'өткізілді', 'тоқтатылды'],
};

/** ": 95 done, 3 failed, 2 skipped" once a fleet operation has ended (its entry then holds the counts). */
function bulkCounts(d: Record<string, unknown>, language: Language): string {
  const counts = d.counts as Record<string, number> | undefined;
  if (!counts || counts.success === undefined) return '';
  const [done, failed, skipped, cancelled] = BULK_COUNTS[language];
  const parts = [`${counts.success} ${done}`, `${counts.failure} ${failed}`, `${counts.skipped} ${skipped}`];
  if (counts.cancelled) parts.push(`${counts.cancelled} ${cancelled}`);
  return `: ${parts.join(', ')}`;
}

const TEXTS: Record<string, Record<Language, Template>> = {
  ...OPERATION_TEXTS,
  VIEW_PAYMENT_HISTORY: {
    en: (d) => `View payment history of number ${d.msisdn}${period(d, 'en')}`,
    ru: (d) => `Просмотр истории платежей по номеру ${d.msisdn}${period(d, 'ru')}`,
    kk: (d) => `${d.msisdn} нөмірінің төлем тарихын қарау${period(d, 'kk')}`,
  },
  VIEW_USAGE: {
    en: (d) => `Usage details of number ${d.msisdn}${period(d, 'en')}`,
    ru: (d) => `Детализация по номеру ${d.msisdn}${period(d, 'ru')}`,
    kk: (d) => `${d.msisdn} нөмірінің шығыс толығы${period(d, 'kk')}`,
  },
  VIEW_CREDIT_PAYMENTS: {
    en: (d) => `View payment history of credit accounts${period(d, 'en')}`,
    ru: (d) => `Просмотр истории платежей по кредитным лицевым счетам${period(d, 'ru')}`,
    kk: (d) => `Кредиттік дербес шоттардың төлем тарихын қарау${period(d, 'kk')}`,
  },
  DOWNLOAD_USAGE_PDF: {
    en: (d) => `Usage details of number ${d.msisdn}${period(d, 'en')}, PDF file`,
    ru: (d) => `Детализация по номеру ${d.msisdn}${period(d, 'ru')}, файл PDF`,
    kk: (d) => `${d.msisdn} нөмірінің шығыс толығы${period(d, 'kk')}, PDF файлы`,
  },
  DOWNLOAD_USAGE_XLSX: {
    en: (d) => `Usage details of number ${d.msisdn}${period(d, 'en')}, XLSX file`,
    ru: (d) => `Детализация по номеру ${d.msisdn}${period(d, 'ru')}, файл XLSX`,
    kk: (d) => `${d.msisdn} нөмірінің шығыс толығы${period(d, 'kk')}, XLSX файлы`,
  },
  DOWNLOAD_PAYMENT_HISTORY_XLSX: {
    en: (d) => `Payment history of number ${d.msisdn}${period(d, 'en')}, XLSX file`,
    ru: (d) => `История платежей по номеру ${d.msisdn}${period(d, 'ru')}, файл XLSX`,
    kk: (d) => `${d.msisdn} нөмірінің төлем тарихы${period(d, 'kk')}, XLSX файлы`,
  },
  DOWNLOAD_CREDIT_PAYMENTS_XLSX: {
    en: (d) => `Payment history of credit accounts${period(d, 'en')}, XLSX file`,
    ru: (d) => `История платежей по кредитным лицевым счетам${period(d, 'ru')}, файл XLSX`,
    kk: (d) => `Кредиттік дербес шоттардың төлем тарихы${period(d, 'kk')}, XLSX файлы`,
  },
  DOWNLOAD_COMPLETED_WORKS_ACT: {
    en: (d) => `Act of completed works and Appendix No. 1, account ${d.accountNo}, ${month(d.month)}`,
    ru: (d) => `Акт выполненных работ и Приложение №1, лицевой счет ${d.accountNo}, ${month(d.month)}`,
    kk: (d) => `Орындалған жұмыстар актісі және №1 қосымша, дербес шот ${d.accountNo}, ${month(d.month)}`,
  },
  DOWNLOAD_INVOICE_REGISTER: {
    en: (d) => `Invoice register, ${month(d.from)}–${month(d.to)}`,
    ru: (d) => `Реестр счетов-фактур, ${month(d.from)}–${month(d.to)}`,
    kk: (d) => `Шот-фактуралар тізілімі, ${month(d.from)}–${month(d.to)}`,
  },
  REQUEST_NUMBERS_REPORT: {
    en: (d) => `List of numbers report to ${d.email}`,
    ru: (d) => `Отчет по списку номеров на ${d.email}`,
    kk: (d) => `Нөмірлер тізімі бойынша есеп, ${d.email} адресіне`,
  },
  REQUEST_RECONCILIATION_ACT: {
    en: (d) => `Reconciliation act${period(d, 'en')} to ${d.email}`,
    ru: (d) => `Акт сверки${period(d, 'ru')} на ${d.email}`,
    kk: (d) => `Салыстыру актісі${period(d, 'kk')}, ${d.email} адресіне`,
  },
  BULK_OPERATION: {
    en: (d) => `Fleet operation ${d.kind} on ${d.total} numbers${bulkCounts(d, 'en')}`,
    ru: (d) => `Массовая операция ${d.kind} по ${d.total} номерам${bulkCounts(d, 'ru')}`,
    kk: (d) => `${d.total} нөмір бойынша ${d.kind} жаппай операциясы${bulkCounts(d, 'kk')}`,
  },
  REVEAL_SIM_CODES: {
    en: (d) => `PIN and PUK codes shown for number ${d.msisdn} (SIM ${d.iccid})`,
    ru: (d) => `Просмотр PIN- и PUK-кодов номера ${d.msisdn} (SIM ${d.iccid})`,
    kk: (d) => `${d.msisdn} нөмірінің PIN және PUK кодтарын қарау (SIM ${d.iccid})`,
  },
  LOGIN: {
    en: () => 'Sign in to the portal',
    ru: () => 'Вход в личный кабинет',
    kk: () => 'Жеке кабинетке кіру',
  },
  LOGOUT: {
    en: () => 'Sign out',
    ru: () => 'Выход из личного кабинета',
    kk: () => 'Жеке кабинеттен шығу',
  },
  PASSWORD_RECOVERY_START: {
    en: () => 'Password recovery: code requested by SMS',
    ru: () => 'Восстановление пароля: запрошен код по SMS',
    kk: () => 'Құпиясөзді қалпына келтіру: SMS арқылы код сұралды',
  },
  PASSWORD_RECOVERY_CODE: {
    en: () => 'Password recovery: code entered',
    ru: () => 'Восстановление пароля: введён код',
    kk: () => 'Құпиясөзді қалпына келтіру: код енгізілді',
  },
  PASSWORD_RECOVERY_COMPLETE: {
    en: () => 'Password recovery: new password set',
    ru: () => 'Восстановление пароля: задан новый пароль',
    kk: () => 'Құпиясөзді қалпына келтіру: жаңа құпиясөз орнатылды',
  },
  CHANGE_PASSWORD: {
    en: () => 'Password change',
    ru: () => 'Смена пароля',
    kk: () => 'Құпиясөзді өзгерту',
  },
  CHANGE_EMAIL: {
    en: () => 'E-mail change',
    ru: () => 'Смена e-mail',
    kk: () => 'E-mail өзгерту',
  },
  END_SESSION: {
    en: () => 'Another session signed out',
    ru: () => 'Завершение другого сеанса',
    kk: () => 'Басқа сеансты аяқтау',
  },
  END_OTHER_SESSIONS: {
    en: (d) => `Signed out everywhere else (${d.count ?? 0})`,
    ru: (d) => `Выход на всех других устройствах (${d.count ?? 0})`,
    kk: (d) => `Барлық басқа құрылғылардан шығу (${d.count ?? 0})`,
  },
  CREATE_API_KEY: {
    en: (d) => `Partner API key “${d.name}” created (${scope(d, 'en')})`,
    ru: (d) => `Создан ключ API партнёра «${d.name}» (${scope(d, 'ru')})`,
    kk: (d) => `Серіктес API кілті «${d.name}» жасалды (${scope(d, 'kk')})`,
  },
  REVOKE_API_KEY: {
    en: (d) => `Partner API key “${d.name}” revoked`,
    ru: (d) => `Отозван ключ API партнёра «${d.name}»`,
    kk: (d) => `Серіктес API кілті «${d.name}» кері қайтарылды`,
  },
  APPROVAL_POLICY_CHANGED: {
    en: (d) =>
      `Approval policy: SIM replacements ${d.simReplacement === 'true' ? 'need' : 'do not need'} approval; bulk operations ${d.bulkThreshold ? `above ${d.bulkThreshold} numbers need it` : 'do not need it'}`,
    ru: (d) =>
      `Правила подтверждения: замена SIM-карт ${d.simReplacement === 'true' ? 'требует' : 'не требует'} подтверждения; массовые операции ${d.bulkThreshold ? `более чем на ${d.bulkThreshold} номеров требуют его` : 'не требуют его'}`,
    kk: (d) =>
      `Растау ережелері: SIM-картаны ауыстыру ${d.simReplacement === 'true' ? 'растауды қажет етеді' : 'растауды қажет етпейді'}; жаппай операциялар ${d.bulkThreshold ? `${d.bulkThreshold} нөмірден асса, растау қажет` : 'растауды қажет етпейді'}`,
  },
  BULK_APPROVED: {
    en: (d) => `Operation No. ${d.bulkOperationId} approved${d.comment ? `: “${d.comment}”` : ''}`,
    ru: (d) => `Операция № ${d.bulkOperationId} подтверждена${d.comment ? `: «${d.comment}»` : ''}`,
    kk: (d) => `№ ${d.bulkOperationId} операция расталды${d.comment ? `: «${d.comment}»` : ''}`,
  },
  BULK_REJECTED: {
    en: (d) => `Operation No. ${d.bulkOperationId} rejected: “${d.comment ?? ''}”`,
    ru: (d) => `Операция № ${d.bulkOperationId} отклонена: «${d.comment ?? ''}»`,
    kk: (d) => `№ ${d.bulkOperationId} операция қабылданбады: «${d.comment ?? ''}»`,
  },
  BULK_APPROVAL_EXPIRED: {
    en: (d) => `Operation No. ${d.bulkOperationId}: the request for approval expired`,
    ru: (d) => `Операция № ${d.bulkOperationId}: срок запроса подтверждения истёк`,
    kk: (d) => `№ ${d.bulkOperationId} операция: растау сұрауының мерзімі өтті`,
  },
  BULK_RESCHEDULED: {
    en: (d) => `Operation No. ${d.bulkOperationId} moved to ${wallClock(d.startAt)}`,
    ru: (d) => `Операция № ${d.bulkOperationId} перенесена на ${wallClock(d.startAt)}`,
    kk: (d) => `№ ${d.bulkOperationId} операция ${wallClock(d.startAt)} уақытына ауыстырылды`,
  },
  SET_COMPANY_SHORT_NAME: {
    en: (d) => (d.shortName ? `Company short name set to “${d.shortName}”` : 'Company short name removed'),
    ru: (d) => (d.shortName ? `Краткое название компании: «${d.shortName}»` : 'Краткое название компании удалено'),
    kk: (d) => (d.shortName ? `Компанияның қысқа атауы: «${d.shortName}»` : 'Компанияның қысқа атауы жойылды'),
  },
};

/**
 * Why an e-mailed report failed: a stable code, kept on the report and on its actions entry, with its text per
 * language. What went wrong in detail (a driver's or mail server's words) goes to the log only.
 */
export const REPORT_FAILURES = {
  REPORT_NOT_PREPARED: {
    en: 'The report could not be prepared. Request it again later.',
    ru: 'Не удалось подготовить отчет. Запросите его позже еще раз.',
    kk: 'Есепті дайындау мүмкін болмады. Оны кейінірек қайта сұраңыз.',
  },
  REPORT_NOT_SENT: {
    en: 'The report could not be sent by e-mail. Check the address and request it again.',
    ru: 'Не удалось отправить отчет по e-mail. Проверьте адрес и запросите отчет еще раз.',
    kk: 'Есепті e-mail арқылы жіберу мүмкін болмады. Адресті тексеріп, есепті қайта сұраңыз.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type ReportFailureCode = keyof typeof REPORT_FAILURES;

/** The actions whose failure is a report's. */
export const REPORT_ACTIONS: ReadonlySet<string> = new Set(['REQUEST_NUMBERS_REPORT', 'REQUEST_RECONCILIATION_ACT']);

/** A report's stored failure in the reader's language; a text stored before the codes is not shown, as it may be a driver's. */
export function reportFailureText(stored: string, language: Language): string {
  const code: ReportFailureCode = Object.hasOwn(REPORT_FAILURES, stored) ? (stored as ReportFailureCode) : 'REPORT_NOT_PREPARED';
  return REPORT_FAILURES[code][language];
}

/** The human description of an actions-log entry; unknown codes fall back to the code and number. */
export function describeAction(action: string, details: Record<string, string>, language: Language): string {
  const template = TEXTS[action]?.[language];
  if (template) return template(details).replace(/\s+/g, ' ').trim();
  return [action, details.msisdn].filter(Boolean).join(' ');
}

/** The action codes that have a text (every entry of the table has all three languages, by its type). */
export function describedActions(): string[] {
  return Object.keys(TEXTS);
}
