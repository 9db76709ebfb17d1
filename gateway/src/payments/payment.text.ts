import type { AdjustmentReason, ChargeKind, PaymentChannel, PaymentFacts } from '../billing';
import type { Language } from '../core/language';
import { localize } from '../core/language';

export type { PaymentFacts };

// A Kaspi payment reads as the bank's app shows it, "Kaspi <reference>", in every language.
interface Texts {
  months: string[];
  charge: Record<Exclude<ChargeKind, 'TARIFF_FEE' | 'SERVICE_FEE'>, (month: string) => string> & {
    TARIFF_FEE: (month: string, tariff: string) => string;
    SERVICE_FEE: (month: string, service: string) => string;
  };
  channel: Record<Exclude<PaymentChannel, 'OTHER'>, (reference: string) => string>;
  reason: Record<Exclude<AdjustmentReason, 'OTHER'>, string>;
}

const ref = (reference: string) => (reference ? ` ${reference}` : '');

const TEXTS: Record<Language, Texts> = {
  en: {
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    charge: {
      TARIFF_FEE: (month, tariff) => `Monthly fee for ${month}: tariff plan “${tariff}”`,
      SERVICE_FEE: (month, service) => `Monthly fee for ${month}: ${service}`,
      CALLS: (month) => `Calls in ${month}`,
      SMS: (month) => `SMS in ${month}`,
      DATA: (month) => `Mobile internet in ${month}`,
      ROAMING: (month) => `Roaming in ${month}`,
      OTHER: (month) => `Communication services for ${month}`,
    },
    channel: {
      KASPI: (r) => `Kaspi${ref(r)}`,
      HALYK: () => 'Payment via Halyk Bank',
      KCELL_APP: () => 'Payment in the Kcell app',
      TERMINAL: (r) => `Payment via terminal${ref(r)}`,
      PAYMENT_ORDER: (r) => `Payment order No.${ref(r)}`,
    },
    reason: {
      DUPLICATE_CHARGE: 'Refund of a duplicate charge',
      ROAMING_RECALCULATION: 'Roaming charges recalculated',
      SERVICE_OUTAGE: 'Compensation for a service outage',
      BALANCE_CORRECTION: 'Balance correction',
    },
  },
  ru: {
    months: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
    charge: {
      TARIFF_FEE: (month, tariff) => `Абонентская плата за ${month}: тарифный план «${tariff}»`,
      SERVICE_FEE: (month, service) => `Абонентская плата за ${month}: ${service}`,
      CALLS: (month) => `Звонки за ${month}`,
      SMS: (month) => `SMS за ${month}`,
      DATA: (month) => `Мобильный интернет за ${month}`,
      ROAMING: (month) => `Роуминг за ${month}`,
      OTHER: (month) => `Услуги связи за ${month}`,
    },
    channel: {
      KASPI: (r) => `Kaspi${ref(r)}`,
      HALYK: () => 'Оплата через Halyk Bank',
      KCELL_APP: () => 'Оплата в приложении Kcell',
      TERMINAL: (r) => `Оплата через терминал${ref(r)}`,
      PAYMENT_ORDER: (r) => `Платежное поручение №${ref(r)}`,
    },
    reason: {
      DUPLICATE_CHARGE: 'Возврат двойного списания',
      ROAMING_RECALCULATION: 'Перерасчет за роуминг',
      SERVICE_OUTAGE: 'Компенсация за перерыв в связи',
      BALANCE_CORRECTION: 'Корректировка баланса',
    },
  },
  kk: {
    months: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
    charge: {
      TARIFF_FEE: (month, tariff) => `${month} үшін абоненттік төлем: «${tariff}» тарифтік жоспары`,
      SERVICE_FEE: (month, service) => `${month} үшін абоненттік төлем: ${service}`,
      CALLS: (month) => `${month}: қоңыраулар`,
      SMS: (month) => `${month}: SMS`,
      DATA: (month) => `${month}: мобильді интернет`,
      ROAMING: (month) => `${month}: роуминг`,
      OTHER: (month) => `${month} үшін байланыс қызметтері`,
    },
    channel: {
      KASPI: (r) => `Kaspi${ref(r)}`,
      HALYK: () => 'Halyk Bank арқылы төлем',
      KCELL_APP: () => 'Kcell қосымшасында төлем',
      TERMINAL: (r) => `Терминал арқылы төлем${ref(r)}`,
      PAYMENT_ORDER: (r) => `Төлем тапсырмасы №${ref(r)}`,
    },
    reason: {
      DUPLICATE_CHARGE: 'Қайталанған есептен шығаруды қайтару',
      ROAMING_RECALCULATION: 'Роуминг бойынша қайта есептеу',
      SERVICE_OUTAGE: 'Байланыстың үзілуі үшін өтемақы',
      BALANCE_CORRECTION: 'Балансты түзету',
    },
  },
};

/** A balance movement described in the reader's language from what it is; the stored free text only when nothing else is known. */
export function paymentText(facts: PaymentFacts, language: Language): string {
  const t = TEXTS[language];
  if (facts.type === 'CHARGE' && facts.chargeKind && facts.serviceMonth) {
    const [year, month] = facts.serviceMonth.split('-').map(Number);
    const period = language === 'kk' ? `${year} жылғы ${t.months[month - 1]}` : `${t.months[month - 1]} ${year}`;
    if (facts.chargeKind === 'TARIFF_FEE') return t.charge.TARIFF_FEE(period, facts.tariffName ? localize(facts.tariffName, language) : '');
    if (facts.chargeKind === 'SERVICE_FEE') return t.charge.SERVICE_FEE(period, facts.serviceName ? localize(facts.serviceName, language) : '');
    return t.charge[facts.chargeKind](period);
  }
  if (facts.type === 'PAYMENT' && facts.channel && facts.channel !== 'OTHER') return t.channel[facts.channel](facts.reference ?? '');
  if ((facts.type === 'REFUND' || facts.type === 'ADJUSTMENT') && facts.reason && facts.reason !== 'OTHER') return t.reason[facts.reason];
  return facts.comment;
}
