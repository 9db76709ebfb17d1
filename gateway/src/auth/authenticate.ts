import { apiKeyService } from '../api-keys/api-key.service';
import type { Context } from '../graphql/context';
import type { Principal } from './principal';
import { SESSION_COOKIE, sessions } from './session';

/**
 * Who the request comes from: a partner's `Authorization: Bearer` key, else the session cookie.
 * A missing or invalid credential leaves the caller anonymous; services then refuse with UNAUTHENTICATED.
 */
export async function authenticate(ctx: Context): Promise<Principal | null> {
  const authorization = ctx.http.header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? apiKeyService.authenticate(ctx, match[1]) : null;
  }
  const token = ctx.http.cookie(SESSION_COOKIE);
  return token ? sessions.resolve(ctx, token) : null;
}
