import { recordAction } from '../core/action-recorder';
import { isGranted, requireCompany, requireOperate, requirePrincipal } from '../core/access';
import { accountById, billing, tariffById, type NumberWithAccountRow } from '../billing';
import type { Context } from '../core/context';
import { BadUserInputError, NotFoundError } from '../core/errors';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../core/paging';
import { callForwardingsByNumber, numberById, numberWithAccountById, registeredDevicesByNumber, simCardByNumber, simCodesByNumber } from './number.loader';
import {
  NumberType,
  type CallForwardingType,
  type DeviceType,
  type ForwardingCondition,
  type NumberState,
  type SimCardType,
  type SimCodesType,
} from './number.type';

export interface NumberListQuery {
  companyId: number;
  search?: string | null;
  state?: NumberState | null;
  first?: number;
  after?: string | null;
}

/**
 * Accepts "+7 701 054-20", "7010542" …: digits only after dropping spaces, +, -, and brackets; a full number
 * written with the national prefix, "8 701 054 20 06", is 77010542006.
 */
export function normalizeSearch(search: string | null | undefined): string | null {
  if (search === null || search === undefined) return null;
  const digits = search.replace(/[\s+()-]/g, '');
  if (digits === '') return null;
  if (!/^\d{1,11}$/.test(digits)) throw new BadUserInputError('search', 'search must be up to 11 digits of a phone number');
  return digits.length === 11 && digits.startsWith('8') ? `7${digits.slice(1)}` : digits;
}

/**
 * Primes the request's loaders with numbers read with their accounts and tariffs: the fields asking for them read
 * nothing more. A row is a number row with its account and tariff beside, primed as it is, not copied without them.
 */
function primeWithAccounts(ctx: Context, rows: readonly NumberWithAccountRow[]): void {
  const byId = ctx.loader(numberById);
  const accounts = ctx.loader(accountById);
  const tariffs = ctx.loader(tariffById);
  for (const row of rows) {
    byId.prime(row.id, row);
    if (row.account) accounts.prime(row.account.id, row.account);
    if (row.tariff) tariffs.prime(row.tariff.id, row.tariff);
  }
}

export const numberService = {
  async list(ctx: Context, query: NumberListQuery): Promise<Page<NumberType>> {
    requireCompany(ctx, query.companyId);
    const size = checkPageSize(query.first);
    const search = normalizeSearch(query.search);
    const afterMsisdn = (decodeAfter(query.after, ['text'])?.[0] as string | undefined) ?? null;
    // The page with what its list always shows, the numbers' accounts and tariffs, in one statement: their loaders
    // are primed with them, so the fields asking for them read nothing more.
    const rows = await billing.listNumbersWithAccounts(ctx.db, {
      companyId: query.companyId,
      search,
      state: query.state ?? null,
      afterMsisdn,
      limit: size + 1,
    });
    primeWithAccounts(ctx, rows);
    return toPage(rows, size, afterMsisdn !== null, NumberType.from, (row) => encodeCursor([row.msisdn]));
  },

  /** The number profile's number, read with its account and tariff in one statement. */
  async get(ctx: Context, id: number): Promise<NumberType> {
    requirePrincipal(ctx);
    const row = await ctx.loader(numberWithAccountById).load(id);
    if (!row || !isGranted(ctx, row.companyId)) throw new NotFoundError('Number');
    primeWithAccounts(ctx, [row]);
    return NumberType.from(row);
  },

  async simCard(ctx: Context, number: NumberType): Promise<SimCardType | null> {
    return ctx.loader(simCardByNumber).load(number.dbId);
  },

  /**
   * PIN and PUK codes of the number's SIM card. Revealing them is an action of its own: it needs an administrator
   * or an OPERATE key, and it is written to the actions history with the card's ICCID.
   */
  async revealSimCodes(ctx: Context, numberId: number): Promise<SimCodesType> {
    const number = await this.get(ctx, numberId);
    requireOperate(ctx, number.companyId, 'Number');
    const card = await ctx.loader(simCodesByNumber).load(number.dbId);
    if (!card) throw new NotFoundError('SIM card');
    const codes: SimCodesType = { iccid: card.iccid, pin1: card.pin1, pin2: card.pin2, puk1: card.puk1, puk2: card.puk2 };
    await recordAction(ctx, {
      action: 'REVEAL_SIM_CODES',
      status: 'SUCCESS',
      companyId: number.companyId,
      numberId: number.dbId,
      details: { msisdn: number.msisdn, iccid: codes.iccid },
    });
    return codes;
  },

  async device(ctx: Context, number: NumberType): Promise<DeviceType> {
    const registered = await ctx.loader(registeredDevicesByNumber).load(number.dbId);
    return {
      lastImei: number.lastImei,
      lastImeiRegistered: number.lastImei !== null && registered.some((d) => d.imei === number.lastImei),
      registered: registered.map(({ imei, registeredAt }) => ({ imei, registeredAt })),
    };
  },

  async callForwardings(ctx: Context, number: NumberType): Promise<CallForwardingType[]> {
    const rows = await ctx.loader(callForwardingsByNumber).load(number.dbId);
    return rows.map(({ condition, target, setAt }) => ({ condition: condition as ForwardingCondition, target, setAt }));
  },
};
