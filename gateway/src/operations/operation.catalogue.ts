import { randomInt } from 'node:crypto';
import { ID } from 'type-graphql';
import { parsePhone } from '../core/validation';
import { billing, type ForwardingCondition, type NumberState } from '../billing';
import { smsText, type SmsSender } from '../delivery';
import type { Context } from '../core/context';
import type { Language } from '../core/language';
import type { RequestDb } from '../core/db';
import { BadUserInputError, ConflictError, DomainError, ErrorCode } from '../core/errors';
import { fromGlobalId } from '../core/ids';
import DataLoader from 'dataloader';
import { batchLoader } from '../core/loaders';
import type { NumberServiceKey, NumberServiceRow } from '../billing';
import { parseIccid, parseImei } from './operation.rules';

/** What each operation kind takes from its caller, once its GraphQL arguments are read. */
export interface OperationInputs {
  BLOCK_NUMBER: Record<string, never>;
  UNBLOCK_NUMBER: Record<string, never>;
  REPLACE_SIM: { iccid: string };
  CONNECT_SERVICE: { serviceId: number };
  DISCONNECT_SERVICE: { serviceId: number };
  REGISTER_DEVICE: { imei?: string | null };
  UNREGISTER_DEVICE: { imei: string };
  SET_SMS_USSD_BAN: { enabled: boolean };
  SET_CALL_FORWARDING: { condition: ForwardingCondition; target: string };
  CANCEL_CALL_FORWARDING: { condition: ForwardingCondition };
  SEND_SECRET_CODE: Record<string, never>;
  DELETE_SECRET_CODE: Record<string, never>;
  CHANGE_TARIFF: { tariffId: number };
}
export type OperationKind = keyof OperationInputs;

/** A change requested on a number, as the billing system will receive it. */
export type OperationRequest = { [K in OperationKind]: { kind: K } & OperationInputs[K] }[OperationKind];

/** The parameters stored on an operation and handed to the billing system (`msisdn` always among them). */
export type OperationParams = Record<string, string | boolean>;

/** The number an operation is asked on, as the rules need it. */
export interface NumberFacts {
  id: number;
  msisdn: string;
  companyId: number;
  tariffId: number;
  state: NumberState;
  lastImei: string | null;
}

export type Refusal = { code: ErrorCode; message: string };
/** For each state of a number: null when the operation is accepted, else why it is refused. */
export type StateRules = Record<NumberState, Refusal | null>;

/** One GraphQL argument of an operation's mutation, besides `numberId` and `idempotencyKey`. */
export interface MutationArgument {
  type: () => unknown;
  description: string;
  nullable?: boolean;
}

type Texts = Record<Language, (d: Record<string, string>) => string>;

/** Everything one operation kind is; the enum, the mutation, the menu rules, the worker and the history texts derive from it. */
export interface OperationDefinition<K extends OperationKind> {
  /** The mutation's name and description; its arguments, in their order, between `numberId` and `idempotencyKey`. */
  mutation: { name: string; description: string; args: Record<string, MutationArgument> };
  /** The mutation's arguments as the kind's input (global IDs decoded). */
  input(args: Record<string, unknown>): OperationInputs[K];
  /** Which states of the number accept it. */
  states: StateRules;
  /** Checks the input against the number and the billing data; returns the parameters to store. */
  prepare(ctx: Context, number: NumberFacts, input: OperationInputs[K]): Promise<OperationParams>;
  /** The number's state while the billing system works on it, and after it succeeds (block and unblock only). */
  holdsNumber?: { after: NumberState };
  /** After the operation is accepted (outside its transaction). */
  accepted?(ctx: Context, number: NumberFacts): Promise<void>;
  /** After the billing system carried it out. */
  succeeded?(deps: { sms: SmsSender }, operation: { msisdn: string; params: OperationParams }): Promise<void>;
  /** Its line in the actions history, per language, from the stored parameters. */
  texts: Texts;
}

export type OperationCatalogue = { [K in OperationKind]: OperationDefinition<K> };

const refuse = (code: ErrorCode, message: string): Refusal => ({ code, message });
const IN_PROGRESS = refuse(ErrorCode.OPERATION_IN_PROGRESS, 'The number is being blocked or unblocked; wait until it finishes');
const NOT_ACTIVE = refuse(ErrorCode.NUMBER_NOT_ACTIVE, 'SIM replacement and service changes are possible on Active numbers only');
const TARIFF_NOT_ACTIVE = refuse(ErrorCode.NUMBER_NOT_ACTIVE, 'The tariff plan of an Active number only can be changed');
const ANY_STATE: StateRules = { ACTIVE: null, BLOCKED: null, BLOCKED_DEBT: null, IN_PROCESS: null };
const ACTIVE_ONLY: StateRules = { ACTIVE: null, BLOCKED: NOT_ACTIVE, BLOCKED_DEBT: NOT_ACTIVE, IN_PROCESS: IN_PROGRESS };

const NUMBER_ONLY = { input: () => ({}), prepare: async (_ctx: Context, number: NumberFacts) => ({ msisdn: number.msisdn }) };
const IMEI_ARG = (description: string, nullable = false): Record<string, MutationArgument> => ({ imei: { type: () => String, description, nullable } });
const SERVICE_ARG: Record<string, MutationArgument> = { serviceId: { type: () => ID, description: 'Global ID of the service.' } };
const serviceInput = (args: Record<string, unknown>) => ({ serviceId: fromGlobalId('Service', String(args.serviceId), 'serviceId') });

export const SIM_REPLACEMENT_COOLDOWN_HOURS = 24;

const CONDITIONS: Record<string, Record<Language, string>> = {
  ALWAYS: { en: 'always', ru: 'всегда', kk: 'әрқашан' },
  BUSY: { en: 'when busy', ru: 'если занято', kk: 'бос емес болса' },
  NO_ANSWER: { en: 'when there is no answer', ru: 'если нет ответа', kk: 'жауап бермесе' },
  UNREACHABLE: { en: 'when unreachable', ru: 'если недоступен', kk: 'қолжетімсіз болса' },
};
const condition = (d: Record<string, string>, language: Language) => CONDITIONS[d.condition]?.[language] ?? d.condition ?? '';

/** The service's name in the reader's language (`serviceName`, filled in when listed), else its code. */
const service = (d: Record<string, string>) => `«${d.serviceName ?? d.service ?? ''}»`;
const serviceEn = (d: Record<string, string>) => `“${d.serviceName ?? d.service ?? ''}”`;

/** The plan's name in the reader's language (`tariffName`, filled in when listed), else its code. */
const tariff = (d: Record<string, string>) => d.tariffName ?? d.tariff ?? '';

/** Flags are stored as JSON booleans, older entries as strings. */
const on = (value: unknown) => value === true || value === 'true';

async function prepareService(ctx: Context, number: NumberFacts, serviceId: number, connect: boolean): Promise<OperationParams> {
  const found = await ctx.loader(numberServiceLoader).load({ numberId: number.id, serviceId });
  if (!found) throw new BadUserInputError('serviceId', 'No such service');
  if (connect) {
    if (found.connected) throw new ConflictError('The service is already connected');
    if (!found.allowed) throw new DomainError(ErrorCode.SERVICE_NOT_AVAILABLE, 'The number’s tariff does not offer this service');
  } else if (!found.connected) {
    throw new ConflictError('The service is not connected');
  }
  return { msisdn: number.msisdn, serviceId: String(serviceId), service: found.code };
}

async function prepareDevice(ctx: Context, number: NumberFacts, given: string | null, register: boolean): Promise<OperationParams> {
  if (given === null && number.lastImei === null) throw new BadUserInputError('imei', 'No device has been recorded with this number; give its IMEI');
  const imei = parseImei(given ?? number.lastImei!);
  const devices = await ctx.loader(devicesLoader).load(number.id);
  const registered = devices.some((device) => device.imei === imei);
  if (register && registered) throw new ConflictError('The device is already registered with the number');
  if (!register && !registered) throw new ConflictError('The device is not registered with the number');
  return { msisdn: number.msisdn, imei };
}

/*
 * The reads the rules make, through the request's loaders: a prepare run for many numbers side by side (a fleet
 * operation's dry run) costs one statement per kind of read, a single mutation the one it always did.
 */
const numberServiceLoader = (db: RequestDb) =>
  new DataLoader<NumberServiceKey, NumberServiceRow | null, string>((keys) => billing.numberServices(db, keys), {
    cacheKeyFn: (key) => `${key.numberId}:${key.serviceId}`,
  });
const devicesLoader = (db: RequestDb) => batchLoader((numberIds: readonly number[]) => billing.devices(db, numberIds));
const forwardingsLoader = (db: RequestDb) => batchLoader((numberIds: readonly number[]) => billing.forwardings(db, numberIds));
const simCardLoader = (db: RequestDb) => batchLoader((numberIds: readonly number[]) => billing.simCards(db, numberIds));
const stockCardLoader = (db: RequestDb) => batchLoader((iccids: readonly string[]) => billing.simCardsByIccid(db, iccids));
/** Per number: whether a replacement was asked within the cooldown, and when the cooldown began (the database's clock dates both). */
const simReplacementCooldownLoader = (db: RequestDb) =>
  batchLoader(async (numberIds: readonly number[]) => {
    const rows = await db.query<{ numberId: number; since: Date; requested: boolean }>(
      `SELECT k.id AS "numberId", now() - make_interval(hours => $2) AS since, EXISTS (SELECT 1 FROM cabinet.operations o WHERE o.number_id = k.id
         AND o.kind = 'REPLACE_SIM' AND o.status <> 'FAILURE' AND o.created_at > now() - make_interval(hours => $2)) AS requested
       FROM unnest($1::int[]) AS k(id)`,
      [numberIds, SIM_REPLACEMENT_COOLDOWN_HOURS],
    );
    const byId = new Map(rows.map((row) => [row.numberId, row]));
    return numberIds.map((id) => byId.get(id)!);
  });

/** SIM-swap protection: the number itself and every administrator of its company hear of the request. */
async function notifySimReplacement(ctx: Context, number: NumberFacts): Promise<void> {
  const admins = await ctx.db.query<{ phone: string; language: Language }>(
    `SELECT a.phone, a.language FROM cabinet.grants g JOIN cabinet.administrators a ON a.id = g.administrator_id WHERE g.company_id = $1`,
    [number.companyId],
  );
  const readers = new Map<string, Language | null>([[number.msisdn, null], ...admins.map((a) => [a.phone, a.language] as const)]);
  for (const [phone, language] of readers) {
    try {
      await ctx.ports.sms.send({ to: phone, text: smsText('SIM_REPLACEMENT_NOTICE', number.msisdn, language), purpose: 'SIM_REPLACEMENT_NOTICE' });
    } catch (error) {
      ctx.log.error({ err: error, to: phone }, 'SIM replacement notice not sent');
    }
  }
}

/** Imported lazily: the numbers domain's enum is defined with its GraphQL types. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- required when first used, after both modules have loaded
const forwardingCondition = () => (require('../numbers') as typeof import('../numbers')).ForwardingCondition;

/** The one definition of every operation kind. */
export const OPERATION_CATALOGUE = {
  BLOCK_NUMBER: {
    mutation: { name: 'blockNumber', description: 'Blocks an Active number. The number shows IN_PROCESS until the billing system finishes.', args: {} },
    ...NUMBER_ONLY,
    states: {
      ACTIVE: null,
      BLOCKED: refuse(ErrorCode.CONFLICT, 'The number is already blocked'),
      BLOCKED_DEBT: refuse(ErrorCode.CONFLICT, 'The number is already blocked'),
      IN_PROCESS: IN_PROGRESS,
    },
    holdsNumber: { after: 'BLOCKED' },
    texts: {
      en: (d) => `Block number ${d.msisdn}`,
      ru: (d) => `Блокировка номера ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөмірін бұғаттау`,
    },
  },
  UNBLOCK_NUMBER: {
    mutation: { name: 'unblockNumber', description: 'Unblocks a Blocked number. NUMBER_BLOCKED_FOR_DEBT for a number Blocked / Debt.', args: {} },
    ...NUMBER_ONLY,
    states: {
      ACTIVE: refuse(ErrorCode.CONFLICT, 'The number is not blocked'),
      BLOCKED: null,
      BLOCKED_DEBT: refuse(ErrorCode.NUMBER_BLOCKED_FOR_DEBT, 'The number is blocked for an unpaid debt of a previous period: pay the debt to unblock it'),
      IN_PROCESS: IN_PROGRESS,
    },
    holdsNumber: { after: 'ACTIVE' },
    texts: {
      en: (d) => `Unblock number ${d.msisdn}`,
      ru: (d) => `Разблокировка номера ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөмірін бұғаттан шығару`,
    },
  },
  REPLACE_SIM: {
    mutation: {
      name: 'replaceSim',
      description:
        'Replaces the SIM card of an Active number with a free card of the stock. The number and the company’s administrators are told by SMS; one replacement per 24 hours.',
      args: { iccid: { type: () => String, description: 'The 20 digits printed on the new card (spaces allowed).' } },
    },
    input: (args) => ({ iccid: String(args.iccid) }),
    states: ACTIVE_ONLY,
    async prepare(ctx, number, input) {
      const iccid = parseIccid(input.iccid);
      // The database's clock dates the cooldown, as it dates the replacements.
      const cooldown = await ctx.loader(simReplacementCooldownLoader).load(number.id);
      const card = cooldown.requested ? null : await ctx.loader(simCardLoader).load(number.id);
      if (cooldown.requested || (card?.replacedAt && new Date(card.replacedAt) > new Date(cooldown.since))) {
        throw new DomainError(ErrorCode.SIM_REPLACEMENT_COOLDOWN, 'The SIM card of this number was replaced less than 24 hours ago; try again later');
      }
      const stock = await ctx.loader(stockCardLoader).load(iccid);
      const free = stock !== null && stock.numberId === null && stock.retiredAt === null;
      if (!free) throw new DomainError(ErrorCode.SIM_NOT_IN_STOCK, 'This SIM card is not a free card of the operator’s stock', { field: 'iccid' });
      return { msisdn: number.msisdn, iccid };
    },
    accepted: notifySimReplacement,
    texts: {
      en: (d) => `SIM replacement on number ${d.msisdn}`,
      ru: (d) => `Замена SIM-карты на номере ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөміріндегі SIM-картаны ауыстыру`,
    },
  },
  CONNECT_SERVICE: {
    mutation: { name: 'connectService', description: 'Connects a service the number’s tariff offers (Active numbers only).', args: SERVICE_ARG },
    input: serviceInput,
    states: ACTIVE_ONLY,
    prepare: (ctx, number, input) => prepareService(ctx, number, input.serviceId, true),
    texts: {
      en: (d) => `Connect service ${serviceEn(d)} on number ${d.msisdn}`,
      ru: (d) => `Подключение услуги ${service(d)} на номере ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөміріне ${service(d)} қызметін қосу`,
    },
  },
  DISCONNECT_SERVICE: {
    mutation: { name: 'disconnectService', description: 'Disconnects a connected service (Active numbers only).', args: SERVICE_ARG },
    input: serviceInput,
    states: ACTIVE_ONLY,
    prepare: (ctx, number, input) => prepareService(ctx, number, input.serviceId, false),
    texts: {
      en: (d) => `Disconnect service ${serviceEn(d)} on number ${d.msisdn}`,
      ru: (d) => `Отключение услуги ${service(d)} на номере ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөмірінен ${service(d)} қызметін ажырату`,
    },
  },
  REGISTER_DEVICE: {
    mutation: {
      name: 'registerDevice',
      description: 'Registers a device with the number: the last recorded one unless an IMEI is given.',
      args: IMEI_ARG('15 digits with a Luhn check digit; default: the last recorded IMEI.', true),
    },
    input: (args) => ({ imei: (args.imei as string | null | undefined) ?? null }),
    states: ANY_STATE,
    prepare: (ctx, number, input) => prepareDevice(ctx, number, input.imei ?? null, true),
    texts: {
      en: (d) => `Register device ${d.imei} with number ${d.msisdn}`,
      ru: (d) => `Регистрация устройства ${d.imei} на номере ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөміріне ${d.imei} құрылғысын тіркеу`,
    },
  },
  UNREGISTER_DEVICE: {
    mutation: { name: 'unregisterDevice', description: 'Removes a registered device from the number.', args: IMEI_ARG('The registered IMEI.') },
    input: (args) => ({ imei: String(args.imei) }),
    states: ANY_STATE,
    prepare: (ctx, number, input) => prepareDevice(ctx, number, input.imei, false),
    texts: {
      en: (d) => `Unregister device ${d.imei} from number ${d.msisdn}`,
      ru: (d) => `Снятие устройства ${d.imei} с регистрации на номере ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөмірінен ${d.imei} құрылғысын тіркеуден шығару`,
    },
  },
  SET_SMS_USSD_BAN: {
    mutation: {
      name: 'setSmsUssdBan',
      description: 'Switches the SMS/USSD control ban on or off (the number’s user then cannot change services by SMS/USSD).',
      args: { enabled: { type: () => Boolean, description: 'True to ban.' } },
    },
    input: (args) => ({ enabled: Boolean(args.enabled) }),
    states: ANY_STATE,
    prepare: async (_ctx, number, input) => ({ msisdn: number.msisdn, enabled: input.enabled }),
    texts: {
      en: (d) => `${on(d.enabled) ? 'Ban' : 'Allow'} SMS and USSD on number ${d.msisdn}`,
      ru: (d) => `${on(d.enabled) ? 'Запрет' : 'Разрешение'} SMS и USSD на номере ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөмірінде SMS және USSD ${on(d.enabled) ? 'тыйым салу' : 'рұқсат ету'}`,
    },
  },
  SET_CALL_FORWARDING: {
    mutation: {
      name: 'setCallForwarding',
      description: 'Forwards calls under a condition to another number.',
      args: {
        condition: { type: forwardingCondition, description: 'Always, busy, no answer or unreachable.' },
        target: { type: () => String, description: 'Where calls go: 11 digits starting with 7.' },
      },
    },
    input: (args) => ({ condition: args.condition as ForwardingCondition, target: String(args.target) }),
    states: ANY_STATE,
    async prepare(_ctx, number, input) {
      const target = parsePhone(input.target, 'target');
      if (target === number.msisdn) throw new BadUserInputError('target', 'Calls cannot be forwarded to the number itself');
      return { msisdn: number.msisdn, condition: input.condition, target };
    },
    texts: {
      en: (d) => `Call forwarding from number ${d.msisdn} to ${d.target}, ${condition(d, 'en')}`,
      ru: (d) => `Переадресация с номера ${d.msisdn} на ${d.target}, ${condition(d, 'ru')}`,
      kk: (d) => `${d.msisdn} нөмірінен ${d.target} нөміріне қоңырауды бағыттау, ${condition(d, 'kk')}`,
    },
  },
  CANCEL_CALL_FORWARDING: {
    mutation: {
      name: 'cancelCallForwarding',
      description: 'Cancels the forwarding of a condition.',
      args: { condition: { type: forwardingCondition, description: 'The condition to cancel.' } },
    },
    input: (args) => ({ condition: args.condition as ForwardingCondition }),
    states: ANY_STATE,
    async prepare(ctx, number, input) {
      const rules = await ctx.loader(forwardingsLoader).load(number.id);
      if (!rules.some((rule) => rule.condition === input.condition)) throw new ConflictError('No forwarding is set for this condition');
      return { msisdn: number.msisdn, condition: input.condition };
    },
    texts: {
      en: (d) => `Cancel call forwarding of number ${d.msisdn} (${condition(d, 'en')})`,
      ru: (d) => `Отмена переадресации номера ${d.msisdn} (${condition(d, 'ru')})`,
      kk: (d) => `${d.msisdn} нөмірінің қоңырауды бағыттауын болдырмау (${condition(d, 'kk')})`,
    },
  },
  SEND_SECRET_CODE: {
    mutation: {
      name: 'sendSecretCode',
      description: 'Sends the number, by SMS, a secret code that opens its consumer cabinet (information and usage details; never service changes).',
      args: {},
    },
    ...NUMBER_ONLY,
    states: ANY_STATE,
    async succeeded({ sms }, { msisdn }) {
      const code = String(randomInt(100_000, 1_000_000));
      await sms.send({ to: msisdn, purpose: 'SECRET_CODE', text: smsText('SECRET_CODE', code, null) });
    },
    texts: {
      en: (d) => `Send secret code to number ${d.msisdn}`,
      ru: (d) => `Отправка секретного кода на номер ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөміріне құпия код жіберу`,
    },
  },
  DELETE_SECRET_CODE: {
    mutation: { name: 'deleteSecretCode', description: 'Deletes the number’s secret code.', args: {} },
    ...NUMBER_ONLY,
    states: ANY_STATE,
    texts: {
      en: (d) => `Delete secret code of number ${d.msisdn}`,
      ru: (d) => `Удаление секретного кода номера ${d.msisdn}`,
      kk: (d) => `${d.msisdn} нөмірінің құпия кодын жою`,
    },
  },
  CHANGE_TARIFF: {
    mutation: {
      name: 'changeTariff',
      description:
        'Moves an Active number to another tariff plan the company may use (`Number.tariffChoices`). The billing system charges the plan’s first monthly fee and replaces the number’s allowances with the plan’s; it refuses with INSUFFICIENT_FUNDS_FOR_TARIFF when the balance cannot pay that fee.',
      args: { tariffId: { type: () => ID, description: 'Global ID of the tariff plan to move to.' } },
    },
    input: (args) => ({ tariffId: fromGlobalId('Tariff', String(args.tariffId), 'tariffId') }),
    states: { ACTIVE: null, BLOCKED: TARIFF_NOT_ACTIVE, BLOCKED_DEBT: TARIFF_NOT_ACTIVE, IN_PROCESS: IN_PROGRESS },
    async prepare(ctx, number, { tariffId }) {
      if (tariffId === number.tariffId) throw new ConflictError('The number is already on this tariff plan');
      const choices = await ctx.loader(tariffChoicesByNumber).load(number.id);
      const tariff = choices.find((choice) => choice.id === tariffId);
      if (!tariff) throw new DomainError(ErrorCode.TARIFF_NOT_AVAILABLE, 'This tariff plan is not offered to the company', { field: 'tariffId' });
      return { msisdn: number.msisdn, tariffId: String(tariffId), tariff: tariff.code };
    },
    texts: {
      en: (d) => `Change tariff plan of number ${d.msisdn} to “${tariff(d)}”`,
      ru: (d) => `Смена тарифного плана номера ${d.msisdn} на «${tariff(d)}»`,
      kk: (d) => `${d.msisdn} нөмірінің тарифтік жоспарын «${tariff(d)}» жоспарына ауыстыру`,
    },
  },
} satisfies OperationCatalogue;

/** The plans of the catalogue each number's company may move it to, but its own, cheapest first. */
export const tariffChoicesByNumber = (db: RequestDb) => batchLoader((numberIds: readonly number[]) => billing.tariffChoices(db, numberIds));

export const OPERATION_KINDS = Object.keys(OPERATION_CATALOGUE) as OperationKind[];

export function operationDefinition<K extends OperationKind>(kind: K): OperationDefinition<K> {
  return (OPERATION_CATALOGUE as OperationCatalogue)[kind];
}

/** Whether the number's state allows the operation; throws the state's refusal otherwise. */
export function checkState(kind: OperationKind, state: NumberState): void {
  const refusal = operationDefinition(kind).states[state];
  if (refusal) throw new DomainError(refusal.code, refusal.message);
}

/** The operations a number's state offers (the quick-operations menu shows these). */
export function allowedOperations(state: NumberState): OperationKind[] {
  return OPERATION_KINDS.filter((kind) => operationDefinition(kind).states[state] === null);
}

/** The history texts of every operation kind, by kind. */
export const OPERATION_TEXTS = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, operationDefinition(kind).texts])) as Record<OperationKind, Texts>;
