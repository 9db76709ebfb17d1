import type { NumberState } from '../billing/billing.entities';
import { isLuhnValid } from '../billing/luhn';
import { BadUserInputError, ConflictError, DomainError, ErrorCode } from '../graphql/errors';
import { OPERATION_KINDS, type OperationKind } from './operation.entity';

/** ICCID as printed on the card, grouped or not: 20 digits, the last a Luhn check digit. */
export function parseIccid(value: string, field = 'iccid'): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{20}$/.test(digits)) throw new BadUserInputError(field, 'The ICCID is the 20 digits printed on the SIM card');
  if (!isLuhnValid(digits)) throw new BadUserInputError(field, 'The ICCID has a wrong check digit: check the last digit on the card');
  return digits;
}

/** IMEI: 15 digits, the last a Luhn check digit. */
export function parseImei(value: string, field = 'imei'): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{15}$/.test(digits)) throw new BadUserInputError(field, 'The IMEI is 15 digits (dial *#06# on the device)');
  if (!isLuhnValid(digits)) throw new BadUserInputError(field, 'The IMEI has a wrong check digit');
  return digits;
}

export function parseIdempotencyKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(value)) {
    throw new BadUserInputError('idempotencyKey', 'idempotencyKey must be 1 to 100 letters, digits or _ . : -');
  }
  return value;
}

const ACTIVE_ONLY: ReadonlySet<OperationKind> = new Set(['REPLACE_SIM', 'CONNECT_SERVICE', 'DISCONNECT_SERVICE']);

/**
 * Whether the number's state allows the operation. Only Active numbers take SIM replacement and service
 * changes; a number Blocked / Debt cannot be unblocked from the portal; nothing but a block or unblock
 * waits on a number that is In process.
 */
export function checkState(kind: OperationKind, state: NumberState): void {
  if (state === 'IN_PROCESS' && (kind === 'BLOCK_NUMBER' || kind === 'UNBLOCK_NUMBER' || ACTIVE_ONLY.has(kind))) {
    throw new DomainError(ErrorCode.OPERATION_IN_PROGRESS, 'The number is being blocked or unblocked; wait until it finishes');
  }
  if (kind === 'UNBLOCK_NUMBER') {
    if (state === 'BLOCKED_DEBT') {
      throw new DomainError(ErrorCode.NUMBER_BLOCKED_FOR_DEBT, 'The number is blocked for an unpaid debt of a previous period: pay the debt to unblock it');
    }
    if (state !== 'BLOCKED') throw new ConflictError('The number is not blocked');
  }
  if (kind === 'BLOCK_NUMBER' && state !== 'ACTIVE') throw new ConflictError('The number is already blocked');
  if (ACTIVE_ONLY.has(kind) && state !== 'ACTIVE') {
    throw new DomainError(ErrorCode.NUMBER_NOT_ACTIVE, 'SIM replacement and service changes are possible on Active numbers only');
  }
}

/** The operations a number's state offers (the quick-operations menu shows these). */
export function allowedOperations(state: NumberState): OperationKind[] {
  return OPERATION_KINDS.filter((kind) => {
    try {
      checkState(kind, state);
      return true;
    } catch {
      return false;
    }
  });
}
