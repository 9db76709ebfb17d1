import type { AllowanceKind, AllowanceUnit, ForwardingCondition, LocalizedText, NumberState, PaymentMethod, ServiceCategory } from '../../billing/billing.port';

/**
 * Fixtures of the demo seed, modelled on the operator's "Cabinet" manuals (2018 English, 2019 Russian; the newer
 * one wins where they differ). Money is in tiyn.
 */

export const DEMO_SEED = 20190226;

/** Free SIM cards (not attached to any number) that tests can use for SIM replacement; all Luhn-valid. */
export const DEMO_FREE_ICCIDS = [
  '89997021234567899456',
  '89997021000000000014',
  '89997021000000000022',
  '89997021000000000030',
  '89997021000000000048',
] as const;

export const FREE_SIM_STOCK = 50;

export type ServiceCode =
  | 'ROAMING'
  | 'ROAMING_OFFERS'
  | 'INTERNATIONAL_CALLS'
  | 'SMART_ROAMING'
  | 'KCELL_TRAVEL'
  | 'INTERNET_ROAMING'
  | 'INTERNET_1'
  | 'INTERNET_5'
  | 'INTERNET_10'
  | 'INTERNET_30'
  | 'SMS_100'
  | 'WHO_CALLED'
  | 'HIDE_NUMBER'
  | 'RINGBACK_TONE';

export interface ServiceFixture {
  code: ServiceCode;
  category: ServiceCategory;
  name: LocalizedText;
  description: LocalizedText;
  monthlyFee: number;
}

/** The service's page on the operator's site, linked from the number profile. */
export const serviceInfoUrl = (code: ServiceCode) => `https://www.kcell.kz/business/services/${code.toLowerCase().replace(/_/g, '-')}`;

/** In display order within each category; `position` is derived from it. */
export const SERVICES: readonly ServiceFixture[] = [
  {
    code: 'ROAMING',
    category: 'VOICE',
    name: { en: 'Roaming', ru: 'Роуминг', kk: 'Роуминг' },
    description: {
      en: 'Use your number abroad: calls, SMS and mobile internet in partner networks at roaming rates.',
      ru: 'Пользуйтесь своим номером за границей: звонки, SMS и мобильный интернет в сетях партнёров по роуминговым тарифам.',
      kk: 'Шетелде өз нөміріңізді пайдаланыңыз: серіктес желілерде роуминг тарифтері бойынша қоңыраулар, SMS және мобильді интернет.',
    },
    monthlyFee: 0,
  },
  {
    code: 'ROAMING_OFFERS',
    category: 'VOICE',
    name: { en: 'Roaming offers', ru: 'Акции в роуминге', kk: 'Роумингтегі акциялар' },
    description: {
      en: 'Special rates and promotional packages for popular roaming destinations.',
      ru: 'Специальные тарифы и акционные пакеты в популярных направлениях роуминга.',
      kk: 'Роумингтің танымал бағыттарына арналған арнайы тарифтер мен акциялық пакеттер.',
    },
    monthlyFee: 0,
  },
  {
    code: 'INTERNATIONAL_CALLS',
    category: 'VOICE',
    name: { en: 'International calls', ru: 'Международные звонки', kk: 'Халықаралық қоңыраулар' },
    description: {
      en: 'Outgoing calls to numbers in other countries.',
      ru: 'Исходящие звонки на номера других стран.',
      kk: 'Басқа елдердің нөмірлеріне шығыс қоңыраулар.',
    },
    monthlyFee: 0,
  },
  {
    code: 'SMART_ROAMING',
    category: 'VOICE',
    name: { en: 'Smart Roaming', ru: 'Смарт Роуминг', kk: 'Смарт Роуминг' },
    description: {
      en: 'The service is valid for 90 days from connection, until 23:59 Astana time on the 90th day.',
      ru: 'Услуга действует в течение 90 дней с момента подключения, до 23:59 по времени г. Астана 90-го дня.',
      kk: 'Қызмет қосылған сәттен бастап 90 күн бойы, 90-шы күні Астана уақыты бойынша 23:59-ға дейін әрекет етеді.',
    },
    monthlyFee: 0,
  },
  {
    code: 'KCELL_TRAVEL',
    category: 'VOICE',
    name: { en: 'Kcell Travel', ru: 'Kcell Travel', kk: 'Kcell Travel' },
    description: {
      en: 'Affordable and convenient mobile communication abroad with Kcell Travel! A great roaming rate: 49 tenge for calls, SMS and internet in the network of any operator in 49 countries!',
      ru: 'Доступность и удобство мобильной связи за рубежом с услугой Kcell Travel! Выгодный тариф в роуминге — 49 тенге на звонки, SMS и интернет в сети любого оператора в 49 странах!',
      kk: 'Kcell Travel қызметімен шетелде мобильді байланыс қолжетімді әрі ыңғайлы! Роумингтегі тиімді тариф — 49 елдегі кез келген оператордың желісінде қоңыраулар, SMS және интернет үшін 49 теңге!',
    },
    monthlyFee: 0,
  },
  {
    code: 'INTERNET_ROAMING',
    category: 'VOICE',
    name: { en: 'Internet in roaming', ru: 'Интернет в роуминге', kk: 'Роумингтегі интернет' },
    description: {
      en: 'Mobile internet abroad in partner networks.',
      ru: 'Мобильный интернет за границей в сетях партнёров.',
      kk: 'Шетелде серіктес желілерде мобильді интернет.',
    },
    monthlyFee: 0,
  },
  internetPack('INTERNET_1', 1, 99_000),
  internetPack('INTERNET_5', 5, 199_000),
  internetPack('INTERNET_10', 10, 299_000),
  internetPack('INTERNET_30', 30, 499_000),
  {
    code: 'SMS_100',
    category: 'MESSAGING',
    name: { en: 'SMS pack 100', ru: 'Пакет 100 SMS', kk: '100 SMS пакеті' },
    description: {
      en: '100 SMS to any Kazakhstan numbers for 30 days.',
      ru: '100 SMS на любые номера Казахстана на 30 дней.',
      kk: '30 күнге Қазақстанның кез келген нөмірлеріне 100 SMS.',
    },
    monthlyFee: 49_000,
  },
  {
    code: 'WHO_CALLED',
    category: 'MESSAGING',
    name: { en: 'Who called', ru: 'Кто звонил', kk: 'Кім қоңырау шалды' },
    description: {
      en: 'SMS notifications about calls received while your phone was off or out of coverage.',
      ru: 'SMS-уведомления о звонках, поступивших, когда телефон был выключен или вне зоны действия сети.',
      kk: 'Телефон өшірулі немесе желі аумағынан тыс болған кезде түскен қоңыраулар туралы SMS-хабарламалар.',
    },
    monthlyFee: 9_900,
  },
  {
    code: 'HIDE_NUMBER',
    category: 'OTHER',
    name: { en: 'Caller ID restriction', ru: 'Антиопределитель номера', kk: 'Нөмірді жасыру' },
    description: {
      en: 'Your number is not shown to the people you call.',
      ru: 'Ваш номер не отображается у вызываемого абонента.',
      kk: 'Сіз қоңырау шалған абонентке нөміріңіз көрсетілмейді.',
    },
    monthlyFee: 39_000,
  },
  {
    code: 'RINGBACK_TONE',
    category: 'OTHER',
    name: { en: 'Ringback tone', ru: 'Мелодия вместо гудка', kk: 'Гудок орнына әуен' },
    description: {
      en: 'Callers hear a melody of your choice instead of the usual ringing tone.',
      ru: 'Вместо обычных гудков звонящие слышат выбранную вами мелодию.',
      kk: 'Қоңырау шалушылар әдеттегі гудоктың орнына сіз таңдаған әуенді естиді.',
    },
    monthlyFee: 29_900,
  },
];

function internetPack(code: ServiceCode, gigabytes: number, monthlyFee: number): ServiceFixture {
  return {
    code,
    category: 'INTERNET',
    name: { en: `Internet ${gigabytes}`, ru: `Интернет ${gigabytes}`, kk: `Интернет ${gigabytes}` },
    description: {
      en: `Internet pack: ${gigabytes} GB of mobile internet for 30 days.`,
      ru: `Интернет-пакет: ${gigabytes} ГБ мобильного интернета на 30 дней.`,
      kk: `Интернет-пакет: 30 күнге ${gigabytes} ГБ мобильді интернет.`,
    },
    monthlyFee,
  };
}

export type TariffCode = 'M2M' | '11' | '11_CORP' | 'BUSINESS_CLASS_JUNIOR' | 'BUSINESS_CLASS_MANAGER' | 'BUSINESS_CLASS_DIRECTOR' | 'CORPORATE_UNLIMITED';

export interface BonusFixture {
  kind: AllowanceKind;
  total: number;
  unit: AllowanceUnit;
}

export interface TariffFixture {
  code: TariffCode;
  name: LocalizedText;
  monthlyFee: number;
  /** Monthly bonuses on top of the plan's unlimited on-net calls. */
  bonuses: readonly BonusFixture[];
  services: readonly ServiceCode[];
}

const ALL_SERVICES = SERVICES.map((s) => s.code);
const minutes = (n: number): number => n * 60;

export const TARIFFS: readonly TariffFixture[] = [
  {
    code: 'M2M',
    name: { en: 'M2M', ru: 'M2M', kk: 'M2M' },
    monthlyFee: 50_000,
    bonuses: [
      { kind: 'DATA', total: 1024, unit: 'MEGABYTE' },
      { kind: 'SMS', total: 50, unit: 'SMS' },
    ],
    services: ['ROAMING', 'SMART_ROAMING', 'INTERNET_ROAMING', 'INTERNET_1', 'INTERNET_5', 'SMS_100'],
  },
  {
    code: '11',
    name: { en: '11', ru: '11', kk: '11' },
    monthlyFee: 190_000,
    // The 2019 manual's number on tariff 11: 50 min to other operators, 150 on-net SMS, 10240 MB.
    bonuses: [
      { kind: 'OFFNET_CALLS', total: minutes(50), unit: 'SECOND' },
      { kind: 'ONNET_SMS', total: 150, unit: 'SMS' },
      { kind: 'DATA', total: 10240, unit: 'MEGABYTE' },
    ],
    services: ALL_SERVICES.filter((code) => code !== 'INTERNET_30'),
  },
  {
    code: '11_CORP',
    name: { en: '11 corp', ru: '11 корп', kk: '11 корп' },
    monthlyFee: 250_000,
    bonuses: [
      { kind: 'OFFNET_CALLS', total: minutes(100), unit: 'SECOND' },
      { kind: 'ONNET_SMS', total: 300, unit: 'SMS' },
      { kind: 'DATA', total: 20480, unit: 'MEGABYTE' },
    ],
    services: ALL_SERVICES,
  },
  {
    code: 'BUSINESS_CLASS_JUNIOR',
    name: { en: 'Business Class Junior', ru: 'Бизнес Класс Специалист', kk: 'Бизнес Класс Маман' },
    monthlyFee: 490_000,
    // The manual's "Tariff bonus" table.
    bonuses: [
      { kind: 'OFFNET_CALLS', total: minutes(400), unit: 'SECOND' },
      { kind: 'SMS', total: 400, unit: 'SMS' },
      { kind: 'INTERNATIONAL_CALLS', total: minutes(10), unit: 'SECOND' },
      { kind: 'LANDLINE_CALLS', total: minutes(50), unit: 'SECOND' },
      { kind: 'DATA', total: 15360, unit: 'MEGABYTE' },
    ],
    services: ALL_SERVICES,
  },
  {
    code: 'BUSINESS_CLASS_MANAGER',
    name: { en: 'Business Class Manager', ru: 'Бизнес Класс Менеджер', kk: 'Бизнес Класс Менеджер' },
    monthlyFee: 790_000,
    bonuses: [
      { kind: 'OFFNET_CALLS', total: minutes(800), unit: 'SECOND' },
      { kind: 'SMS', total: 800, unit: 'SMS' },
      { kind: 'INTERNATIONAL_CALLS', total: minutes(30), unit: 'SECOND' },
      { kind: 'LANDLINE_CALLS', total: minutes(100), unit: 'SECOND' },
      { kind: 'DATA', total: 30720, unit: 'MEGABYTE' },
    ],
    services: ALL_SERVICES,
  },
  {
    code: 'BUSINESS_CLASS_DIRECTOR',
    name: { en: 'Business Class Director', ru: 'Бизнес Класс Директор', kk: 'Бизнес Класс Директор' },
    monthlyFee: 1_290_000,
    bonuses: [
      { kind: 'OFFNET_CALLS', total: minutes(1500), unit: 'SECOND' },
      { kind: 'SMS', total: 1500, unit: 'SMS' },
      { kind: 'INTERNATIONAL_CALLS', total: minutes(60), unit: 'SECOND' },
      { kind: 'LANDLINE_CALLS', total: minutes(200), unit: 'SECOND' },
      { kind: 'DATA', total: 51200, unit: 'MEGABYTE' },
    ],
    services: ALL_SERVICES,
  },
  {
    code: 'CORPORATE_UNLIMITED',
    name: { en: 'Corporate Unlimited', ru: 'Корпоративный безлимит', kk: 'Корпоративтік шексіз' },
    monthlyFee: 990_000,
    bonuses: [
      { kind: 'OFFNET_CALLS', total: minutes(1000), unit: 'SECOND' },
      { kind: 'SMS', total: 500, unit: 'SMS' },
      { kind: 'LANDLINE_CALLS', total: minutes(100), unit: 'SECOND' },
      { kind: 'DATA', total: 40960, unit: 'MEGABYTE' },
    ],
    services: ALL_SERVICES,
  },
];

/** Tariff mix of generated numbers. */
export const TARIFF_WEIGHTS: readonly (readonly [TariffCode, number])[] = [
  ['BUSINESS_CLASS_JUNIOR', 35],
  ['11', 20],
  ['11_CORP', 15],
  ['BUSINESS_CLASS_MANAGER', 14],
  ['BUSINESS_CLASS_DIRECTOR', 5],
  ['CORPORATE_UNLIMITED', 6],
  ['M2M', 5],
];

export type CompanyKey = 'HEAD' | 'BRANCH';

export const HEAD_COMPANY = { bin: '750750750750', name: 'TOO Кабинет', registrationBase: '300014697190' } as const;
export const BRANCH_COMPANY = { bin: '800800800800', name: 'Филиал TOO Кабинет', registrationBase: '300014697190' } as const;

export const COMPANY_NAME_PARTS = {
  forms: ['ТОО', 'ТОО', 'АО'],
  first: ['Сарыарка', 'Алатау', 'Каспий', 'Есіл', 'Жетісу', 'Тәңір', 'Бәйтерек', 'Атырау', 'Көкшетау', 'Ұлытау', 'Іле', 'Қаратау'],
  second: ['Логистик', 'Агро Трейд', 'Нефтесервис', 'Строй Инжиниринг', 'Медиа Групп', 'Телеком Сервис', 'Фарм', 'Марин Сервис', 'Дән', 'Майнинг'],
} as const;

export const ADMIN_NAMES = ['Ахметов Серік', 'Нұрланова Айгерім', 'Ким Виктор', 'Сүлейменова Дана', 'Жақсылықов Ерлан', 'Омарова Әсел'] as const;

export interface AccountFixture {
  accountNo: string;
  company: CompanyKey;
  paymentMethod: PaymentMethod;
  creditLimit: number;
}

export const MANUAL_ACCOUNTS: readonly AccountFixture[] = [
  { accountNo: '25060832', company: 'HEAD', paymentMethod: 'ADVANCE', creditLimit: 0 },
  { accountNo: '25060833', company: 'HEAD', paymentMethod: 'ADVANCE', creditLimit: 0 },
  { accountNo: '25060831', company: 'HEAD', paymentMethod: 'CREDIT', creditLimit: 1_200_000 },
  { accountNo: '25060830', company: 'HEAD', paymentMethod: 'CREDIT', creditLimit: 1_000_000 },
  { accountNo: '25060835', company: 'HEAD', paymentMethod: 'ADVANCE', creditLimit: 0 },
  { accountNo: '25071142', company: 'BRANCH', paymentMethod: 'CREDIT', creditLimit: 205_000 },
  { accountNo: '25210550', company: 'BRANCH', paymentMethod: 'CREDIT', creditLimit: 1_000 },
  { accountNo: '25071167', company: 'BRANCH', paymentMethod: 'CREDIT', creditLimit: 2_500_000 },
  { accountNo: '25210547', company: 'BRANCH', paymentMethod: 'ADVANCE', creditLimit: 0 },
  { accountNo: '25165656', company: 'BRANCH', paymentMethod: 'ADVANCE', creditLimit: 0 },
  // Accounts listed in the manual's "Act of completed works"; they serve the branch's generated numbers.
  { accountNo: '25000216', company: 'BRANCH', paymentMethod: 'CREDIT', creditLimit: 5_000_000 },
  { accountNo: '25210549', company: 'BRANCH', paymentMethod: 'CREDIT', creditLimit: 3_000_000 },
  { accountNo: '25160402', company: 'BRANCH', paymentMethod: 'ADVANCE', creditLimit: 0 },
];

export interface ManualSim {
  pin1: string;
  pin2: string;
  puk1: string;
  puk2: string;
  /** As printed; the check digit is corrected if it fails Luhn. */
  iccid: string;
  /** Almaty wall-clock time of the SIM replacement that installed this card. */
  replacedAt?: string;
}

export interface ManualNumber {
  msisdn: string;
  company: CompanyKey;
  accountNo: string;
  tariff: TariffCode;
  state: NumberState;
  /** Almaty wall-clock time from the manual, or a time of day some days before now. */
  stateChangedAt: string | { daysAgo: number; time?: string };
  balance: number;
  availableFunds: number;
  individualLimit?: number;
  registrationForm: string;
  roamingDebt?: number;
  smsUssdBan?: boolean;
  sim?: ManualSim;
  /** As printed (14 digits); completed with the Luhn check digit. */
  imei?: string;
  imeiRegistered?: boolean;
  services: readonly ServiceCode[];
  /** Bonus balances shown in the manual; bonuses not listed are untouched (available = total). */
  bonusAvailable?: Partial<Record<AllowanceKind, number>>;
  /** The newest payment of an advance number, as in the manual's payment history. */
  lastPayment?: { amount: number; comment: string; daysAgo: number; time: string };
  forwardings?: readonly { condition: ForwardingCondition; target: string }[];
}

export const MANUAL_NUMBERS: readonly ManualNumber[] = [
  {
    msisdn: '77010542001',
    company: 'HEAD',
    accountNo: '25060832',
    tariff: 'M2M',
    state: 'ACTIVE',
    stateChangedAt: { daysAgo: 5, time: '10:41:06' },
    balance: 0,
    availableFunds: 0,
    registrationForm: '300014697190-101',
    roamingDebt: 233_848,
    services: ['SMART_ROAMING', 'ROAMING'],
  },
  {
    msisdn: '77010542003',
    company: 'HEAD',
    accountNo: '25060833',
    tariff: '11',
    state: 'ACTIVE',
    stateChangedAt: { daysAgo: 400 },
    balance: 10_000,
    availableFunds: 10_000,
    registrationForm: '300014697190-103',
    imei: '35720106026360',
    imeiRegistered: false,
    services: ['ROAMING', 'INTERNET_ROAMING'],
  },
  {
    msisdn: '77010542006',
    company: 'HEAD',
    accountNo: '25060831',
    tariff: 'BUSINESS_CLASS_JUNIOR',
    state: 'ACTIVE',
    stateChangedAt: { daysAgo: 380 },
    balance: 979_333,
    availableFunds: 979_333,
    registrationForm: '300014697190-132',
    sim: { pin1: '0000', pin2: '6818', puk1: '92485563', puk2: '94113812', iccid: '89997020056483061023' },
    imei: '35367807651155',
    imeiRegistered: true,
    services: ['ROAMING', 'INTERNATIONAL_CALLS', 'INTERNET_5'],
  },
  {
    msisdn: '77010542007',
    company: 'HEAD',
    accountNo: '25060830',
    tariff: 'BUSINESS_CLASS_JUNIOR',
    state: 'BLOCKED_DEBT',
    stateChangedAt: { daysAgo: 20 },
    balance: 44_600,
    availableFunds: 44_600,
    registrationForm: '300014697190-133',
    services: ['ROAMING'],
  },
  {
    msisdn: '77780625084',
    company: 'HEAD',
    accountNo: '25060835',
    tariff: '11_CORP',
    state: 'ACTIVE',
    stateChangedAt: { daysAgo: 300 },
    balance: 6_424,
    availableFunds: 6_424,
    registrationForm: '300014697190-140',
    services: ['INTERNET_5', 'ROAMING'],
    lastPayment: { amount: 5_000, comment: 'Kaspi 200032044427', daysAgo: 6, time: '04:15:00' },
  },
  {
    msisdn: '77010542019',
    company: 'BRANCH',
    accountNo: '25071142',
    tariff: '11',
    state: 'BLOCKED_DEBT',
    stateChangedAt: '2018-02-17 08:40',
    balance: 89_200,
    availableFunds: 89_200,
    individualLimit: 89_200,
    registrationForm: '300014697190-149',
    smsUssdBan: false,
    sim: {
      pin1: '0000',
      pin2: '6911',
      puk1: '11507782',
      puk2: '15275799',
      iccid: '89997027507916785078',
      replacedAt: '2018-08-27 15:37',
    },
    imei: '35202309352069',
    imeiRegistered: true,
    services: ['ROAMING'],
    bonusAvailable: { DATA: 10239 },
  },
  {
    msisdn: '77010541921',
    company: 'BRANCH',
    accountNo: '25210550',
    tariff: 'BUSINESS_CLASS_JUNIOR',
    state: 'ACTIVE',
    stateChangedAt: '2019-01-24 16:23',
    balance: 1_000,
    availableFunds: 1_000,
    registrationForm: '300014697190-150',
    services: [],
  },
  {
    msisdn: '77010542021',
    company: 'BRANCH',
    accountNo: '25071167',
    tariff: 'BUSINESS_CLASS_MANAGER',
    state: 'ACTIVE',
    stateChangedAt: { daysAgo: 210 },
    balance: 1_523_450,
    availableFunds: 1_523_450,
    individualLimit: 2_000_000,
    registrationForm: '300014697190-151',
    services: ['ROAMING', 'KCELL_TRAVEL', 'INTERNET_10', 'WHO_CALLED'],
    forwardings: [{ condition: 'BUSY', target: '77010542003' }],
  },
  {
    msisdn: '77010542025',
    company: 'BRANCH',
    accountNo: '25210547',
    tariff: '11',
    state: 'BLOCKED',
    stateChangedAt: { daysAgo: 14 },
    balance: 35_000,
    availableFunds: 35_000,
    registrationForm: '300014697190-152',
    services: ['INTERNET_1'],
  },
  {
    msisdn: '77010542030',
    company: 'BRANCH',
    accountNo: '25165656',
    tariff: '11_CORP',
    state: 'ACTIVE',
    stateChangedAt: { daysAgo: 150 },
    balance: 212_075,
    availableFunds: 212_075,
    registrationForm: '300014697190-153',
    smsUssdBan: true,
    services: ['ROAMING', 'INTERNATIONAL_CALLS', 'SMS_100'],
    forwardings: [
      { condition: 'NO_ANSWER', target: '77010542021' },
      { condition: 'UNREACHABLE', target: '77010542021' },
    ],
  },
];

export interface ActionFixture {
  action: string;
  msisdn: string | null;
  details: Record<string, string>;
  status: 'IN_PROCESS' | 'SUCCESS' | 'FAILURE';
  actor: { name: string; phone: string };
  daysAgo: number;
  time: string;
}

const PETROV = { name: 'Петров Иван', phone: '77012112170' };

/** The administrator the demo signs in as (README): grants on TOO Кабинет and its branch, no password yet. */
export const DEMO_ADMINISTRATOR = { ...PETROV, email: 'petrov.ivan@kcell.kz' };
const IVANOV = { name: 'Иванов Иван', phone: '77010542001' };

/** ICCID of the successful SIM replacement on 77010542003 (the manual's 8999 7026 4654 6746 4867 with a valid check digit). */
export const REPLACED_SIM_ICCID_003 = '89997026465467464869';

/** The actions history of TOO Кабинет from both manuals, moved to recent days at the manuals' times of day. */
export const MANUAL_ACTIONS: readonly ActionFixture[] = [
  {
    action: 'CONNECT_SERVICE',
    msisdn: '77010542003',
    details: { msisdn: '77010542003', service: 'INTERNET_ROAMING' },
    status: 'SUCCESS',
    actor: IVANOV,
    daysAgo: 12,
    time: '04:12:29',
  },
  {
    action: 'DISCONNECT_SERVICE',
    msisdn: '77010542003',
    details: { msisdn: '77010542003', service: 'INTERNATIONAL_CALLS' },
    status: 'SUCCESS',
    actor: IVANOV,
    daysAgo: 12,
    time: '04:14:44',
  },
  {
    action: 'VIEW_PAYMENT_HISTORY',
    msisdn: '77010542001',
    details: { msisdn: '77010542001' },
    status: 'SUCCESS',
    actor: IVANOV,
    daysAgo: 12,
    time: '04:15:16',
  },
  { action: 'BLOCK_NUMBER', msisdn: '77010542001', details: { msisdn: '77010542001' }, status: 'SUCCESS', actor: IVANOV, daysAgo: 12, time: '04:15:23' },
  { action: 'UNBLOCK_NUMBER', msisdn: '77010542001', details: { msisdn: '77010542001' }, status: 'SUCCESS', actor: PETROV, daysAgo: 6, time: '09:30:12' },
  { action: 'BLOCK_NUMBER', msisdn: '77010542001', details: { msisdn: '77010542001' }, status: 'SUCCESS', actor: PETROV, daysAgo: 5, time: '10:08:00' },
  {
    action: 'REPLACE_SIM',
    msisdn: '77010542003',
    details: { msisdn: '77010542003', iccid: '89997026465467464867', error: 'Invalid SIM card number' },
    status: 'FAILURE',
    actor: PETROV,
    daysAgo: 5,
    time: '10:22:47',
  },
  {
    action: 'REPLACE_SIM',
    msisdn: '77010542003',
    details: { msisdn: '77010542003', iccid: REPLACED_SIM_ICCID_003 },
    status: 'SUCCESS',
    actor: PETROV,
    daysAgo: 5,
    time: '10:25:25',
  },
  { action: 'UNBLOCK_NUMBER', msisdn: '77010542001', details: { msisdn: '77010542001' }, status: 'SUCCESS', actor: PETROV, daysAgo: 5, time: '10:41:06' },
  { action: 'SEND_SECRET_CODE', msisdn: '77010542006', details: { msisdn: '77010542006' }, status: 'SUCCESS', actor: PETROV, daysAgo: 3, time: '15:02:10' },
  {
    action: 'REQUEST_NUMBERS_REPORT',
    msisdn: null,
    details: { email: 'petrov.ivan@kcell.kz' },
    status: 'SUCCESS',
    actor: PETROV,
    daysAgo: 2,
    time: '11:47:33',
  },
];

export const GENERATED_NUMBERS_PER_COMPANY = 40;
export const GENERATED_COMPANIES = 3;
