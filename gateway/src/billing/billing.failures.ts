import type { Language, LocalizedText } from '../core/language';

/**
 * Why the billing system refused an operation: a stable code, kept on the operation, with its text per language.
 * OTHER stands for a refusal recorded before codes existed (its stored text is shown as it is).
 */
export const BILLING_FAILURES = {
  NEGATIVE_BALANCE: {
    en: 'The balance is negative: top it up before unblocking.',
    ru: 'Баланс отрицательный: пополните его, прежде чем разблокировать номер.',
    kk: 'Баланс теріс: нөмірді бұғаттан шығарар алдында оны толықтырыңыз.',
  },
  INSUFFICIENT_FUNDS: {
    en: 'Not enough money on the balance for the service’s monthly fee.',
    ru: 'На балансе недостаточно средств для абонентской платы за услугу.',
    kk: 'Баланста қызметтің абоненттік төлеміне қаражат жеткіліксіз.',
  },
  INSUFFICIENT_FUNDS_FOR_TARIFF: {
    en: 'Not enough money on the balance for the first monthly fee of the new tariff plan.',
    ru: 'На балансе недостаточно средств для первой абонентской платы нового тарифного плана.',
    kk: 'Баланста жаңа тарифтік жоспардың алғашқы абоненттік төлеміне қаражат жеткіліксіз.',
  },
  SIM_NOT_FREE: {
    en: 'The SIM card is no longer free: it was given to another number.',
    ru: 'SIM-карта уже занята: она выдана другому номеру.',
    kk: 'SIM-карта бос емес: ол басқа нөмірге берілген.',
  },
  OTHER: {
    en: 'The billing system refused the operation.',
    ru: 'Биллинговая система отклонила операцию.',
    kk: 'Биллинг жүйесі операциядан бас тартты.',
  },
} as const satisfies Record<string, LocalizedText>;

export type BillingFailureCode = keyof typeof BILLING_FAILURES;
export const BILLING_FAILURE_CODES = Object.keys(BILLING_FAILURES) as BillingFailureCode[];

const isCode = (stored: string): stored is BillingFailureCode => Object.hasOwn(BILLING_FAILURES, stored);

/** The code of a stored failure reason (OTHER for free text recorded before codes). */
export const failureCodeOf = (stored: string): BillingFailureCode => (isCode(stored) ? stored : 'OTHER');

/** The stored failure reason in the reader's language. */
export const failureText = (stored: string, language: Language): string => (isCode(stored) ? BILLING_FAILURES[stored][language] : stored);
