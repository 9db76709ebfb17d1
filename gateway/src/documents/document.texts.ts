import type { Language } from '../core/language';

type Kinds<K extends string> = Record<K, string>;

export interface DocumentTexts {
  customer: (name: string, bin: string) => string;
  executor: (name: string, bin: string, address: string) => string;
  bank: (bank: string, iban: string, bic: string) => string;
  period: (from: string, to: string) => string;
  validAsOf: (at: string) => string;
  account: (accountNo: string, method: string) => string;
  signatures: string;
  months: string[];
  methods: Kinds<'ADVANCE' | 'CREDIT'>;
  paymentKinds: Kinds<'PAYMENT' | 'CHARGE' | 'REFUND' | 'ADJUSTMENT'>;
  usage: {
    title: string;
    number: (msisdn: string) => string;
    incomplete: string;
    only: (kind: string) => string;
    columns: {
      startedAt: string;
      type: string;
      direction: string;
      otherParty: string;
      duration: string;
      durationSeconds: string;
      volume: string;
      volumeKb: string;
      cost: string;
    };
    kinds: Kinds<'CALL' | 'SMS' | 'DATA' | 'USSD'>;
    directions: Kinds<'INCOMING' | 'OUTGOING'>;
    totals: { calls: string; callTime: string; sms: string; data: string; cost: string };
  };
  payments: {
    title: string;
    creditTitle: string;
    number: (msisdn: string) => string;
    creditNote: string;
    columns: { paidAt: string; type: string; comment: string; amount: string; before: string; after: string; account: string };
    totals: { received: string; charged: string };
  };
  numbers: {
    title: string;
    columns: { msisdn: string; account: string; method: string; tariff: string; state: string; creditLimit: string; available: string; balance: string };
    states: Kinds<'ACTIVE' | 'BLOCKED' | 'BLOCKED_DEBT' | 'IN_PROCESS'>;
    total: string;
  };
  act: {
    title: (no: string) => string;
    appendixTitle: (no: string) => string;
    month: (month: string) => string;
    statement: string;
    dated: (date: string) => string;
    columns: { no: string; service: string; unit: string; quantity: string; amount: string };
    appendixColumns: { no: string; msisdn: string; tariff: string; fees: string; services: string; usage: string; amount: string };
    accountCharges: string;
    /** The name of a line of the act: what was rendered. */
    lines: {
      TARIFF_FEE: (tariff: string) => string;
      SERVICE_FEE: (service: string) => string;
      CALLS: string;
      SMS: string;
      DATA: string;
      ROAMING: string;
      OTHER: string;
    };
    units: { fee: string; minutes: string; sms: string; megabytes: string };
    total: string;
    vat: (percent: number) => string;
  };
  refusals: {
    monthNotEnded: (month: string) => string;
    noCharges: (month: string, accountNo: string) => string;
  };
  invoices: {
    title: string;
    months: (from: string, to: string) => string;
    columns: { number: string; date: string; account: string; method: string; period: string; net: string; vat: string; gross: string };
    total: string;
  };
  reconciliation: {
    title: string;
    between: (operator: string, customer: string) => string;
    columns: { month: string; account: string; operation: string; charged: string; paid: string };
    opening: string;
    charged: string;
    paid: string;
    closing: string;
    sign: string;
  };
  mail: {
    numbersSubject: (company: string) => string;
    numbersText: (company: string, at: string) => string;
    reconciliationSubject: (company: string, period: string) => string;
    reconciliationText: (company: string, period: string, at: string) => string;
  };
}

const EN: DocumentTexts = {
  customer: (name, bin) => `Customer: ${name}, BIN ${bin}`,
  executor: (name, bin, address) => `Service provider: ${name}, BIN ${bin}, ${address}`,
  bank: (bank, iban, bic) => `Bank: ${bank}, IBAN ${iban}, BIC ${bic}`,
  period: (from, to) => `Period: ${from} – ${to}`,
  validAsOf: (at) => `Data valid as of ${at} (Almaty time)`,
  account: (accountNo, method) => `Personal account: ${accountNo} (${method})`,
  signatures: 'Service provider: ____________________        Customer: ____________________',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  methods: { ADVANCE: 'Advance', CREDIT: 'Credit' },
  paymentKinds: { PAYMENT: 'Payment', CHARGE: 'Charge', REFUND: 'Refund', ADJUSTMENT: 'Adjustment' },
  usage: {
    title: 'Usage details',
    number: (msisdn) => `Number: ${msisdn}`,
    incomplete: 'Today’s usage may be incomplete: records reach the cabinet with a delay.',
    only: (kind) => `Only: ${kind}`,
    columns: {
      startedAt: 'Date/Time',
      type: 'Type',
      direction: 'Direction',
      otherParty: 'Other party',
      duration: 'Duration',
      durationSeconds: 'Duration, sec',
      volume: 'Volume',
      volumeKb: 'Volume, KB',
      cost: 'Cost',
    },
    kinds: { CALL: 'Call', SMS: 'SMS', DATA: 'Internet', USSD: 'USSD' },
    directions: { INCOMING: 'Incoming', OUTGOING: 'Outgoing' },
    totals: { calls: 'Calls', callTime: 'Call time', sms: 'SMS', data: 'Internet', cost: 'Total cost' },
  },
  payments: {
    title: 'Payment history',
    creditTitle: 'Payment history of credit accounts',
    number: (msisdn) => `Number: ${msisdn}`,
    creditNote: 'Payments of postpaid (Credit) accounts only; the payment history of Advance numbers is kept per number.',
    columns: {
      paidAt: 'Date/Time',
      type: 'Type',
      comment: 'Comment',
      amount: 'Sum',
      before: 'Balance before',
      after: 'Balance after',
      account: 'Personal account',
    },
    totals: { received: 'Received', charged: 'Charged' },
  },
  numbers: {
    title: 'List of numbers',
    columns: {
      msisdn: 'Number',
      account: 'Personal account',
      method: 'Method of payment',
      tariff: 'Tariff plan',
      state: 'State',
      creditLimit: 'Credit limit',
      available: 'Available balance',
      balance: 'Balance',
    },
    states: { ACTIVE: 'Active', BLOCKED: 'Blocked', BLOCKED_DEBT: 'Blocked / Debt', IN_PROCESS: 'In process' },
    total: 'Numbers',
  },
  act: {
    title: (no) => `Act of completed works (services rendered) No. ${no}`,
    appendixTitle: (no) => `Appendix No. 1 to the act of completed works No. ${no}`,
    month: (month) => `Reporting month: ${month}`,
    statement: 'The services were rendered in full and on time. The customer has no claims as to their scope, quality and timing.',
    dated: (date) => `Date of the act: ${date}`,
    columns: { no: 'No.', service: 'Service', unit: 'Unit', quantity: 'Quantity', amount: 'Amount incl. VAT' },
    appendixColumns: {
      no: 'No.',
      msisdn: 'Number',
      tariff: 'Tariff plan',
      fees: 'Monthly fee',
      services: 'Additional services',
      usage: 'Usage',
      amount: 'Total incl. VAT',
    },
    accountCharges: 'Charges of the personal account',
    lines: {
      TARIFF_FEE: (tariff) => `Monthly fee, tariff plan “${tariff}”`,
      SERVICE_FEE: (service) => `Additional service “${service}”, monthly fee`,
      CALLS: 'Calls',
      SMS: 'SMS messages',
      DATA: 'Mobile internet',
      ROAMING: 'Roaming',
      OTHER: 'Communication services',
    },
    units: { fee: 'month', minutes: 'min', sms: 'pcs', megabytes: 'MB' },
    total: 'Total',
    vat: (percent) => `including VAT ${percent}%`,
  },
  refusals: {
    monthNotEnded: (month) => `${month} has not ended yet: its documents can be issued once the month is over.`,
    noCharges: (month, accountNo) => `Personal account ${accountNo} has no charges for ${month}: there is no act for that month.`,
  },
  invoices: {
    title: 'Invoice register',
    months: (from, to) => `Months: ${from} – ${to}`,
    columns: {
      number: 'Invoice No.',
      date: 'Invoice date',
      account: 'Personal account',
      method: 'Method of payment',
      period: 'Period',
      net: 'Amount excl. VAT',
      vat: 'VAT',
      gross: 'Amount incl. VAT',
    },
    total: 'Total',
  },
  reconciliation: {
    title: 'Reconciliation act',
    between: (operator, customer) => `Mutual settlements between ${operator} and ${customer}`,
    columns: { month: 'Month', account: 'Personal account', operation: 'Operation', charged: 'Charged', paid: 'Paid' },
    opening: 'Opening balance',
    charged: 'Charged in the period',
    paid: 'Paid and credited in the period',
    closing: 'Closing balance',
    sign: 'A positive balance is in the customer’s favour, a negative one is the customer’s debt. Beta: for information.',
  },
  mail: {
    numbersSubject: (company) => `List of numbers report: ${company}`,
    numbersText: (company, at) => `The list of numbers of ${company} is attached. The data are valid as of ${at} (Almaty time).`,
    reconciliationSubject: (company, period) => `Reconciliation act: ${company}, ${period}`,
    reconciliationText: (company, period, at) =>
      `The reconciliation act of ${company} for ${period} is attached (beta). The data are valid as of ${at} (Almaty time).`,
  },
};

const RU: DocumentTexts = {
  customer: (name, bin) => `Заказчик: ${name}, БИН ${bin}`,
  executor: (name, bin, address) => `Исполнитель: ${name}, БИН ${bin}, ${address}`,
  bank: (bank, iban, bic) => `Банк: ${bank}, ИИК ${iban}, БИК ${bic}`,
  period: (from, to) => `Период: ${from} – ${to}`,
  validAsOf: (at) => `Данные актуальны на ${at} (время Алматы)`,
  account: (accountNo, method) => `Лицевой счет: ${accountNo} (${method})`,
  signatures: 'Исполнитель: ____________________        Заказчик: ____________________',
  months: ['Январь', 'Февраль', 'Март', 'Апрель', 'Май', 'Июнь', 'Июль', 'Август', 'Сентябрь', 'Октябрь', 'Ноябрь', 'Декабрь'],
  methods: { ADVANCE: 'Авансовый', CREDIT: 'Кредитный' },
  paymentKinds: { PAYMENT: 'Пополнение баланса', CHARGE: 'Списание', REFUND: 'Возврат', ADJUSTMENT: 'Корректировка' },
  usage: {
    title: 'Детализация',
    number: (msisdn) => `Номер: ${msisdn}`,
    incomplete: 'Детализация вызовов за текущие сутки может быть неполной в связи с периодичностью обновления данных.',
    only: (kind) => `Только: ${kind}`,
    columns: {
      startedAt: 'Дата/время',
      type: 'Тип',
      direction: 'Направление',
      otherParty: 'Абонент',
      duration: 'Длительность',
      durationSeconds: 'Длительность, сек',
      volume: 'Объем',
      volumeKb: 'Объем, КБ',
      cost: 'Стоимость',
    },
    kinds: { CALL: 'Звонок', SMS: 'SMS', DATA: 'Интернет', USSD: 'USSD' },
    directions: { INCOMING: 'Входящий', OUTGOING: 'Исходящий' },
    totals: { calls: 'Звонки', callTime: 'Время звонков', sms: 'SMS', data: 'Интернет', cost: 'Итого стоимость' },
  },
  payments: {
    title: 'История платежей',
    creditTitle: 'История платежей по кредитным лицевым счетам',
    number: (msisdn) => `Номер: ${msisdn}`,
    creditNote: 'Представлена история платежей по лицевым счетам с кредитным методом расчета; по номерам с авансовым методом расчета — на странице номера.',
    columns: {
      paidAt: 'Дата/время',
      type: 'Тип',
      comment: 'Комментарий',
      amount: 'Сумма',
      before: 'Баланс до',
      after: 'Баланс после',
      account: 'Лицевой счет',
    },
    totals: { received: 'Поступило', charged: 'Списано' },
  },
  numbers: {
    title: 'Отчет по списку номеров',
    columns: {
      msisdn: 'Номер',
      account: 'Лицевой счет',
      method: 'Метод расчета',
      tariff: 'Тарифный план',
      state: 'Статус',
      creditLimit: 'Кредитный лимит',
      available: 'Доступные средства',
      balance: 'Баланс',
    },
    states: { ACTIVE: 'Активный', BLOCKED: 'Заблокирован', BLOCKED_DEBT: 'Заблокирован / Задолженность', IN_PROCESS: 'В обработке' },
    total: 'Номеров',
  },
  act: {
    title: (no) => `Акт выполненных работ (оказанных услуг) № ${no}`,
    appendixTitle: (no) => `Приложение №1 к акту выполненных работ № ${no}`,
    month: (month) => `Отчетный месяц: ${month}`,
    statement: 'Услуги оказаны в полном объеме и в срок. Заказчик претензий по объему, качеству и срокам оказания услуг не имеет.',
    dated: (date) => `Дата акта: ${date}`,
    columns: { no: '№', service: 'Наименование услуги', unit: 'Ед. изм.', quantity: 'Количество', amount: 'Сумма с НДС' },
    appendixColumns: {
      no: '№',
      msisdn: 'Номер',
      tariff: 'Тарифный план',
      fees: 'Абонентская плата',
      services: 'Дополнительные услуги',
      usage: 'Трафик',
      amount: 'Итого с НДС',
    },
    accountCharges: 'Начисления по лицевому счету',
    lines: {
      TARIFF_FEE: (tariff) => `Абонентская плата по тарифному плану «${tariff}»`,
      SERVICE_FEE: (service) => `Дополнительная услуга «${service}», абонентская плата`,
      CALLS: 'Звонки',
      SMS: 'SMS-сообщения',
      DATA: 'Мобильный интернет',
      ROAMING: 'Роуминг',
      OTHER: 'Услуги связи',
    },
    units: { fee: 'мес.', minutes: 'мин', sms: 'шт.', megabytes: 'МБ' },
    total: 'Итого',
    vat: (percent) => `в том числе НДС ${percent}%`,
  },
  refusals: {
    monthNotEnded: (month) => `Месяц ${month} еще не закончился: документы за него можно получить после его окончания.`,
    noCharges: (month, accountNo) => `По лицевому счету ${accountNo} нет начислений за ${month}: акта за этот месяц нет.`,
  },
  invoices: {
    title: 'Реестр счетов-фактур',
    months: (from, to) => `Месяцы: ${from} – ${to}`,
    columns: {
      number: '№ счета-фактуры',
      date: 'Дата выписки',
      account: 'Лицевой счет',
      method: 'Метод расчета',
      period: 'Период',
      net: 'Сумма без НДС',
      vat: 'НДС',
      gross: 'Сумма с НДС',
    },
    total: 'Итого',
  },
  reconciliation: {
    title: 'Акт сверки',
    between: (operator, customer) => `Взаимные расчеты между ${operator} и ${customer}`,
    columns: { month: 'Месяц', account: 'Лицевой счет', operation: 'Операция', charged: 'Начислено', paid: 'Оплачено' },
    opening: 'Сальдо на начало периода',
    charged: 'Начислено за период',
    paid: 'Оплачено и зачтено за период',
    closing: 'Сальдо на конец периода',
    sign: 'Положительное сальдо — в пользу Заказчика, отрицательное — задолженность Заказчика. Бета-режим: для сведения.',
  },
  mail: {
    numbersSubject: (company) => `Отчет по списку номеров: ${company}`,
    numbersText: (company, at) => `Отчет по списку номеров ${company} во вложении. Данные актуальны на ${at} (время Алматы).`,
    reconciliationSubject: (company, period) => `Акт сверки: ${company}, ${period}`,
    reconciliationText: (company, period, at) => `Акт сверки ${company} за ${period} во вложении (бета-режим). Данные актуальны на ${at} (время Алматы).`,
  },
};

const KK: DocumentTexts = {
  customer: (name, bin) => `Тапсырыс беруші: ${name}, БСН ${bin}`,
  executor: (name, bin, address) => `Орындаушы: ${name}, БСН ${bin}, ${address}`,
  bank: (bank, iban, bic) => `Банк: ${bank}, ЖСК ${iban}, БСК ${bic}`,
  period: (from, to) => `Кезең: ${from} – ${to}`,
  validAsOf: (at) => `Деректер ${at} (Алматы уақыты) бойынша өзекті`,
  account: (accountNo, method) => `Дербес шот: ${accountNo} (${method})`,
  signatures: 'Орындаушы: ____________________        Тапсырыс беруші: ____________________',
  months: ['Қаңтар', 'Ақпан', 'Наурыз', 'Сәуір', 'Мамыр', 'Маусым', 'Шілде', 'Тамыз', 'Қыркүйек', 'Қазан', 'Қараша', 'Желтоқсан'],
  methods: { ADVANCE: 'Аванстық', CREDIT: 'Кредиттік' },
  paymentKinds: { PAYMENT: 'Балансты толықтыру', CHARGE: 'Есептен шығару', REFUND: 'Қайтару', ADJUSTMENT: 'Түзету' },
  usage: {
    title: 'Шығыс толығы',
    number: (msisdn) => `Нөмір: ${msisdn}`,
    incomplete: 'Ағымдағы тәуліктегі шығыс толығы деректердің жаңару кезеңділігіне байланысты толық болмауы мүмкін.',
    only: (kind) => `Тек: ${kind}`,
    columns: {
      startedAt: 'Күні/уақыты',
      type: 'Түрі',
      direction: 'Бағыты',
      otherParty: 'Абонент',
      duration: 'Ұзақтығы',
      durationSeconds: 'Ұзақтығы, сек',
      volume: 'Көлемі',
      volumeKb: 'Көлемі, КБ',
      cost: 'Құны',
    },
    kinds: { CALL: 'Қоңырау', SMS: 'SMS', DATA: 'Интернет', USSD: 'USSD' },
    directions: { INCOMING: 'Кіріс', OUTGOING: 'Шығыс' },
    totals: { calls: 'Қоңыраулар', callTime: 'Қоңыраулар уақыты', sms: 'SMS', data: 'Интернет', cost: 'Барлық құны' },
  },
  payments: {
    title: 'Төлемдер тарихы',
    creditTitle: 'Кредиттік дербес шоттар бойынша төлемдер тарихы',
    number: (msisdn) => `Нөмір: ${msisdn}`,
    creditNote: 'Кредиттік есеп айырысу әдісі бар дербес шоттардың төлемдері ғана; аванстық нөмірлердің тарихы — нөмір бетінде.',
    columns: {
      paidAt: 'Күні/уақыты',
      type: 'Түрі',
      comment: 'Түсініктеме',
      amount: 'Сома',
      before: 'Дейінгі баланс',
      after: 'Кейінгі баланс',
      account: 'Дербес шот',
    },
    totals: { received: 'Түсті', charged: 'Есептен шығарылды' },
  },
  numbers: {
    title: 'Нөмірлер тізімі бойынша есеп',
    columns: {
      msisdn: 'Нөмір',
      account: 'Дербес шот',
      method: 'Есеп айырысу әдісі',
      tariff: 'Тарифтік жоспар',
      state: 'Күйі',
      creditLimit: 'Кредит лимиті',
      available: 'Қолжетімді қаражат',
      balance: 'Баланс',
    },
    states: { ACTIVE: 'Белсенді', BLOCKED: 'Бұғатталған', BLOCKED_DEBT: 'Бұғатталған / Берешек', IN_PROCESS: 'Өңделуде' },
    total: 'Нөмірлер',
  },
  act: {
    title: (no) => `Орындалған жұмыстар (көрсетілген қызметтер) актісі № ${no}`,
    appendixTitle: (no) => `№ ${no} орындалған жұмыстар актісіне №1 қосымша`,
    month: (month) => `Есепті ай: ${month}`,
    statement: 'Қызметтер толық көлемде және мерзімінде көрсетілді. Тапсырыс берушінің көлемі, сапасы және мерзімі бойынша шағымы жоқ.',
    dated: (date) => `Акт күні: ${date}`,
    columns: { no: '№', service: 'Қызмет атауы', unit: 'Өлш. бірл.', quantity: 'Саны', amount: 'ҚҚС-мен сомасы' },
    appendixColumns: {
      no: '№',
      msisdn: 'Нөмір',
      tariff: 'Тарифтік жоспар',
      fees: 'Абоненттік төлем',
      services: 'Қосымша қызметтер',
      usage: 'Трафик',
      amount: 'ҚҚС-мен барлығы',
    },
    accountCharges: 'Дербес шот бойынша есептеулер',
    lines: {
      TARIFF_FEE: (tariff) => `«${tariff}» тарифтік жоспары бойынша абоненттік төлем`,
      SERVICE_FEE: (service) => `«${service}» қосымша қызметі, абоненттік төлем`,
      CALLS: 'Қоңыраулар',
      SMS: 'SMS-хабарламалар',
      DATA: 'Мобильді интернет',
      ROAMING: 'Роуминг',
      OTHER: 'Байланыс қызметтері',
    },
    units: { fee: 'ай', minutes: 'мин', sms: 'дана', megabytes: 'МБ' },
    total: 'Барлығы',
    vat: (percent) => `оның ішінде ҚҚС ${percent}%`,
  },
  refusals: {
    monthNotEnded: (month) => `${month} әлі аяқталған жоқ: оның құжаттарын ай аяқталғаннан кейін алуға болады.`,
    noCharges: (month, accountNo) => `${accountNo} дербес шоты бойынша ${month} үшін есептеулер жоқ: бұл айдың актісі жоқ.`,
  },
  invoices: {
    title: 'Шот-фактуралар тізілімі',
    months: (from, to) => `Айлар: ${from} – ${to}`,
    columns: {
      number: 'Шот-фактура №',
      date: 'Жазылған күні',
      account: 'Дербес шот',
      method: 'Есеп айырысу әдісі',
      period: 'Кезең',
      net: 'ҚҚС-сыз сомасы',
      vat: 'ҚҚС',
      gross: 'ҚҚС-мен сомасы',
    },
    total: 'Барлығы',
  },
  reconciliation: {
    title: 'Салыстыру актісі',
    between: (operator, customer) => `${operator} пен ${customer} арасындағы өзара есеп айырысулар`,
    columns: { month: 'Ай', account: 'Дербес шот', operation: 'Операция', charged: 'Есептелді', paid: 'Төленді' },
    opening: 'Кезең басындағы сальдо',
    charged: 'Кезеңде есептелді',
    paid: 'Кезеңде төленді және есепке алынды',
    closing: 'Кезең соңындағы сальдо',
    sign: 'Оң сальдо — Тапсырыс берушінің пайдасына, теріс сальдо — Тапсырыс берушінің берешегі. Бета режимі: мәлімет үшін.',
  },
  mail: {
    numbersSubject: (company) => `Нөмірлер тізімі бойынша есеп: ${company}`,
    numbersText: (company, at) => `${company} нөмірлер тізімі бойынша есеп қосымшада. Деректер ${at} (Алматы уақыты) бойынша өзекті.`,
    reconciliationSubject: (company, period) => `Салыстыру актісі: ${company}, ${period}`,
    reconciliationText: (company, period, at) =>
      `${company} салыстыру актісі (${period}) қосымшада (бета режимі). Деректер ${at} (Алматы уақыты) бойынша өзекті.`,
  },
};

export const DOCUMENT_TEXTS: Record<Language, DocumentTexts> = { en: EN, ru: RU, kk: KK };
