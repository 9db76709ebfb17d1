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
    en: (d) => `Connect service ${d.service ?? ''} on number ${d.msisdn}`,
    ru: (d) => `Подключение услуги ${d.service ?? ''} на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөміріне ${d.service ?? ''} қызметін қосу`,
  },
  DISCONNECT_SERVICE: {
    en: (d) => `Disconnect service ${d.service ?? ''} on number ${d.msisdn}`,
    ru: (d) => `Отключение услуги ${d.service ?? ''} на номере ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінен ${d.service ?? ''} қызметін ажырату`,
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
};

/** The human description of an actions-log entry; unknown codes fall back to the code and number. */
export function describeAction(action: string, details: Record<string, string>, language: Language): string {
  const template = TEXTS[action]?.[language];
  if (template) return template(details).replace(/\s+/g, ' ').trim();
  return [action, details.msisdn].filter(Boolean).join(' ');
}
