import type { Language } from '../graphql/context';

type Template = (d: Record<string, string>) => string;

const day = (iso: string) => iso.split('-').reverse().join('.');
const month = (iso: string | undefined) => (iso ?? '').split('-').slice(0, 2).reverse().join('.');
const PERIOD: Record<Language, string> = { en: 'for', ru: 'за', kk: '' };

/** " for 01.03.2025–31.03.2025" when the entry has a period; older entries have none. */
function period(d: Record<string, string>, language: Language): string {
  if (!d.from || !d.to) return '';
  const range = `${day(d.from)}–${day(d.to)}`;
  return language === 'kk' ? `, ${range}` : ` ${PERIOD[language]} ${range}`;
}

const CONDITIONS: Record<string, Record<Language, string>> = {
  ALWAYS: { en: 'always', ru: 'всегда', kk: 'әрқашан' },
  BUSY: { en: 'when busy', ru: 'если занято', kk: 'бос емес болса' },
  NO_ANSWER: { en: 'when there is no answer', ru: 'если нет ответа', kk: 'жауап бермесе' },
  UNREACHABLE: { en: 'when unreachable', ru: 'если недоступен', kk: 'қолжетімсіз болса' },
};
const condition = (d: Record<string, string>, language: Language) => CONDITIONS[d.condition]?.[language] ?? d.condition ?? '';

const SCOPES: Record<string, Record<Language, string>> = {
  READ: { en: 'read only', ru: 'только чтение', kk: 'тек оқу' },
  OPERATE: { en: 'read and operate', ru: 'чтение и операции', kk: 'оқу және операциялар' },
};
const scope = (d: Record<string, string>, language: Language) => SCOPES[d.scope]?.[language] ?? d.scope ?? '';

/** The service's name in the reader's language (`serviceName`, filled in when listed), else its code. */
const service = (d: Record<string, string>) => `«${d.serviceName ?? d.service ?? ''}»`;
const serviceEn = (d: Record<string, string>) => `“${d.serviceName ?? d.service ?? ''}”`;

/** Flags are stored as JSON booleans, older entries as strings. */
const on = (value: unknown) => value === true || value === 'true';

const TEXTS: Record<string, Record<Language, Template>> = {
  BLOCK_NUMBER: {
    en: (d) => `Block number ${d.msisdn}`,
    ru: (d) => `Блокировка номера ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірін бұғаттау`,
  },
  UNBLOCK_NUMBER: {
    en: (d) => `Unblock number ${d.msisdn}`,
    ru: (d) => `Разблокировка номера ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірін бұғаттан шығару`,
  },
  REPLACE_SIM: {
    en: (d) => `SIM replacement on number ${d.msisdn}`,
    ru: (d) => `Замена SIM-карты на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөміріндегі SIM-картаны ауыстыру`,
  },
  CONNECT_SERVICE: {
    en: (d) => `Connect service ${serviceEn(d)} on number ${d.msisdn}`,
    ru: (d) => `Подключение услуги ${service(d)} на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөміріне ${service(d)} қызметін қосу`,
  },
  DISCONNECT_SERVICE: {
    en: (d) => `Disconnect service ${serviceEn(d)} on number ${d.msisdn}`,
    ru: (d) => `Отключение услуги ${service(d)} на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінен ${service(d)} қызметін ажырату`,
  },
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
  SEND_SECRET_CODE: {
    en: (d) => `Send secret code to number ${d.msisdn}`,
    ru: (d) => `Отправка секретного кода на номер ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөміріне құпия код жіберу`,
  },
  DELETE_SECRET_CODE: {
    en: (d) => `Delete secret code of number ${d.msisdn}`,
    ru: (d) => `Удаление секретного кода номера ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінің құпия кодын жою`,
  },
  REGISTER_DEVICE: {
    en: (d) => `Register device ${d.imei} with number ${d.msisdn}`,
    ru: (d) => `Регистрация устройства ${d.imei} на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөміріне ${d.imei} құрылғысын тіркеу`,
  },
  UNREGISTER_DEVICE: {
    en: (d) => `Unregister device ${d.imei} from number ${d.msisdn}`,
    ru: (d) => `Снятие устройства ${d.imei} с регистрации на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінен ${d.imei} құрылғысын тіркеуден шығару`,
  },
  SET_SMS_USSD_BAN: {
    en: (d) => `${on(d.enabled) ? 'Ban' : 'Allow'} SMS and USSD on number ${d.msisdn}`,
    ru: (d) => `${on(d.enabled) ? 'Запрет' : 'Разрешение'} SMS и USSD на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінде SMS және USSD ${on(d.enabled) ? 'тыйым салу' : 'рұқсат ету'}`,
  },
  SET_CALL_FORWARDING: {
    en: (d) => `Call forwarding from number ${d.msisdn} to ${d.target}, ${condition(d, 'en')}`,
    ru: (d) => `Переадресация с номера ${d.msisdn} на ${d.target}, ${condition(d, 'ru')}`,
    kk: (d) => `${d.msisdn} нөмірінен ${d.target} нөміріне қоңырауды бағыттау, ${condition(d, 'kk')}`,
  },
  CANCEL_CALL_FORWARDING: {
    en: (d) => `Cancel call forwarding of number ${d.msisdn} (${condition(d, 'en')})`,
    ru: (d) => `Отмена переадресации номера ${d.msisdn} (${condition(d, 'ru')})`,
    kk: (d) => `${d.msisdn} нөмірінің қоңырауды бағыттауын болдырмау (${condition(d, 'kk')})`,
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
  SET_COMPANY_SHORT_NAME: {
    en: (d) => (d.shortName ? `Company short name set to “${d.shortName}”` : 'Company short name removed'),
    ru: (d) => (d.shortName ? `Краткое название компании: «${d.shortName}»` : 'Краткое название компании удалено'),
    kk: (d) => (d.shortName ? `Компанияның қысқа атауы: «${d.shortName}»` : 'Компанияның қысқа атауы жойылды'),
  },
};

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
