import type { Language } from '../core/language';

/**
 * Every SMS follows one language rule: an administrator reads it in the language of their profile; anyone else
 * (a number's user, whose language the portal does not know) gets it in Kazakh and Russian, the country's languages.
 */
const TEXTS = {
  RECOVERY_CODE: {
    en: (code: string) => `Cabinet: your password recovery code is ${code}. It is valid for 10 minutes. Never tell it to anyone.`,
    ru: (code: string) => `Кабинет: код восстановления пароля ${code}. Действует 10 минут. Никому его не сообщайте.`,
    kk: (code: string) => `Кабинет: құпиясөзді қалпына келтіру коды ${code}. 10 минут жарамды. Оны ешкімге айтпаңыз.`,
  },
  SECRET_CODE: {
    en: (code: string) => `Cabinet: the secret code ${code} opens this number's personal account (information and usage details, no service changes).`,
    ru: (code: string) => `Кабинет: секретный код ${code} открывает личный кабинет этого номера (просмотр информации и детализации, без смены услуг).`,
    kk: (code: string) => `Кабинет: ${code} құпия коды осы нөмірдің жеке кабинетін ашады (ақпарат пен детализацияны қарау, қызметтерді өзгертусіз).`,
  },
  SIM_REPLACEMENT_NOTICE: {
    en: (msisdn: string) => `Cabinet: a SIM replacement was requested for ${msisdn}. If it was not you, call 8 800 080 0400.`,
    ru: (msisdn: string) => `Кабинет: на номер ${msisdn} заказана замена SIM-карты. Если это не вы, позвоните 8 800 080 0400.`,
    kk: (msisdn: string) => `Кабинет: ${msisdn} нөміріне SIM-картаны ауыстыру тапсырылды. Бұл сіз болмасаңыз, 8 800 080 0400 нөміріне қоңырау шалыңыз.`,
  },
} satisfies Record<string, Record<Language, (value: string) => string>>;

export type SmsTextKind = keyof typeof TEXTS;

/** The text of an SMS for a reader whose language is known (an administrator), or null for anyone else. */
export function smsText(kind: SmsTextKind, value: string, language: Language | null): string {
  const texts = TEXTS[kind];
  return language ? texts[language](value) : `${texts.kk(value)} / ${texts.ru(value)}`;
}
