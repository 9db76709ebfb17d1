import type { Context } from './context';
import { DomainError, ErrorCode, NotFoundError } from './errors';
import type { Principal } from './principal';

export class UnauthenticatedError extends DomainError {
  constructor() {
    super(ErrorCode.UNAUTHENTICATED, 'Sign in, or send a valid API key as Authorization: Bearer');
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.FORBIDDEN, message);
  }
}

/** Any signed-in administrator or valid API key. */
export function requirePrincipal(ctx: Context): Exclude<Principal, { kind: 'anonymous' }> {
  if (ctx.principal.kind === 'anonymous') throw new UnauthenticatedError();
  return ctx.principal;
}

export function requireAdministrator(ctx: Context): Extract<Principal, { kind: 'administrator' }> {
  const principal = requirePrincipal(ctx);
  if (principal.kind !== 'administrator') throw new ForbiddenError('Only an administrator signed in to the portal may do this');
  return principal;
}

export function isGranted(ctx: Context, companyId: number): boolean {
  return ctx.principal.kind !== 'anonymous' && ctx.principal.companyIds.has(companyId);
}

/**
 * The caller must hold a grant on the company. A denial is indistinguishable from a missing object,
 * so that IDs of other companies cannot be probed.
 */
export function requireCompany(ctx: Context, companyId: number, what = 'Company'): void {
  requirePrincipal(ctx);
  if (!isGranted(ctx, companyId)) throw new NotFoundError(what);
}

/** Writes (number operations, keys) need an administrator or an API key with the OPERATE scope. */
export function requireOperate(ctx: Context, companyId: number, what = 'Company'): void {
  requireCompany(ctx, companyId, what);
  if (ctx.principal.kind === 'apiKey' && ctx.principal.scope !== 'OPERATE') {
    throw new ForbiddenError('This API key may only read; create a key with the OPERATE scope to change numbers');
  }
}
