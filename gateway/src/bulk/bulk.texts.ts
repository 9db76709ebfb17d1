import { BILLING_FAILURES, failureText } from '../billing';
import type { Language, LocalizedText } from '../core/language';

/** Why a number is not changed (dry run, skipped item) or a line names no number, per code, in each language. */
const REASONS: Record<string, LocalizedText> = {
  CONFLICT: {
    en: 'Already done: the number is already in the state the operation leads to.',
    ru: 'Уже выполнено: номер уже в том состоянии, к которому ведет операция.',
    kk: 'Орындалған: нөмір операция әкелетін күйде тұр.',
  },
  NUMBER_BLOCKED_FOR_DEBT: {
    en: 'The number is blocked for debt: pay the debt to unblock it.',
    ru: 'Номер заблокирован за долг: погасите задолженность, чтобы разблокировать его.',
    kk: 'Нөмір қарыз үшін бұғатталған: бұғаттан шығару үшін қарызды өтеңіз.',
  },
  NUMBER_NOT_ACTIVE: {
    en: 'The number is not Active.',
    ru: 'Номер не активен.',
    kk: 'Нөмір белсенді емес.',
  },
  OPERATION_IN_PROGRESS: {
    en: 'Another operation of this kind is in progress on the number.',
    ru: 'На номере уже выполняется операция этого вида.',
    kk: 'Нөмірде осы түрдегі басқа операция орындалуда.',
  },
  SIM_REPLACEMENT_COOLDOWN: {
    en: 'The SIM card was replaced less than 24 hours ago.',
    ru: 'SIM-карта заменялась менее 24 часов назад.',
    kk: 'SIM-карта 24 сағаттан аз уақыт бұрын ауыстырылды.',
  },
  SIM_NOT_IN_STOCK: {
    en: 'The new SIM card is not a free card of the operator’s stock.',
    ru: 'Новая SIM-карта не является свободной картой склада оператора.',
    kk: 'Жаңа SIM-карта оператор қорының бос картасы емес.',
  },
  SERVICE_NOT_AVAILABLE: {
    en: 'The number’s tariff plan does not offer this service.',
    ru: 'Тарифный план номера не предусматривает эту услугу.',
    kk: 'Нөмірдің тарифтік жоспарында бұл қызмет жоқ.',
  },
  TARIFF_NOT_AVAILABLE: {
    en: 'This tariff plan is not offered to the company.',
    ru: 'Этот тарифный план не предлагается компании.',
    kk: 'Бұл тарифтік жоспар компанияға ұсынылмайды.',
  },
  BAD_USER_INPUT: {
    en: 'The operation’s input does not fit this number.',
    ru: 'Параметры операции не подходят для этого номера.',
    kk: 'Операция параметрлері бұл нөмірге сәйкес келмейді.',
  },
  INVALID_PHONE: {
    en: 'Not a phone number: 11 digits starting with 7 (or 8, or +7).',
    ru: 'Не номер телефона: 11 цифр, начиная с 7 (или 8, или +7).',
    kk: 'Телефон нөмірі емес: 7-ден (немесе 8, +7) басталатын 11 сан.',
  },
  INVALID_ICCID: {
    en: 'Not an ICCID: 20 digits with a valid check digit.',
    ru: 'Не ICCID: 20 цифр с верной контрольной цифрой.',
    kk: 'ICCID емес: дұрыс бақылау саны бар 20 сан.',
  },
  DUPLICATE_LINE: {
    en: 'The number is listed on an earlier line.',
    ru: 'Номер уже указан в одной из предыдущих строк.',
    kk: 'Нөмір алдыңғы жолдардың бірінде көрсетілген.',
  },
  FOREIGN_NUMBER: {
    en: 'No number of the company.',
    ru: 'Такого номера у компании нет.',
    kk: 'Компанияда мұндай нөмір жоқ.',
  },
  CANCELLED: {
    en: 'The operation was cancelled before this number was handed to the billing system.',
    ru: 'Операция отменена до того, как номер был передан в биллинговую систему.',
    kk: 'Операция нөмір биллинг жүйесіне берілмей тұрып тоқтатылды.',
  },
};

/** The text of a reason code in the reader's language: a refusal's, a line error's or the billing system's failure. */
export function reasonText(code: string, language: Language): string {
  if (Object.hasOwn(BILLING_FAILURES, code)) return failureText(code, language);
  const text = REASONS[code];
  return text ? text[language] : code;
}
