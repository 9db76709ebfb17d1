import type { Language } from '../graphql/context';

type Template = (d: Record<string, string>) => string;

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
    en: (d) => `View payment history of number ${d.msisdn}`,
    ru: (d) => `Просмотр истории платежей по номеру ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінің төлем тарихын қарау`,
  },
  VIEW_USAGE: {
    en: (d) => `Usage details of number ${d.msisdn}`,
    ru: (d) => `Детализация по номеру ${d.msisdn}`,
    kk: (d) => `${d.msisdn} нөмірінің шығыс толығы`,
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
