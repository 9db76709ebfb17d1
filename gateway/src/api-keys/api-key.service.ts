import { randomBytes } from 'node:crypto';
import { API_KEY_BUDGET } from '@cabinet/schema/rules';
import { recordAction } from '../core/action-recorder';
import { isGranted, requireAdministrator, requireCompany } from '../core/access';
import { sandboxes } from '../billing';
import { parseName } from '../core/validation';
import type { ApiKeyScope, Principal } from '../core/principal';
import { RateLimitedError } from '../core/rate-limit';
import { tokenHash } from '../core/token';
import type { Context } from '../core/context';
import { NotFoundError } from '../core/errors';

export { API_KEY_BUDGET };
const TOKEN = /^cab_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRow {
  id: number;
  companyId: number;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = `id, company_id AS "companyId", name, scope, prefix, created_at AS "createdAt", revoked_at AS "revokedAt",
  last_used_at AS "lastUsedAt"`;

/** The refilled budget as SQL, from the stored budget and the time since it was stored. */
const REFILLED = `least($max::numeric, budget + extract(epoch FROM now() - budget_updated_at)::numeric * $max::numeric / $refill::numeric)`;
const refilled = (max: string, refill: string) => REFILLED.replaceAll('$max', max).replaceAll('$refill', refill);

/** The one rule of a key that still signs its partner in, as a condition on the api_keys row `alias`: not revoked. */
export function liveApiKey(alias: string): string {
  return `${alias}.revoked_at IS NULL`;
}

export const apiKeyService = {
  async create(ctx: Context, companyId: number, nameInput: string, scope: ApiKeyScope): Promise<{ key: ApiKeyRow; secret: string }> {
    requireAdministrator(ctx);
    requireCompany(ctx, companyId);
    return this.insert(ctx, companyId, nameInput, scope);
  },

  /** A new key of `companyId` by the signed-in administrator, whose right to the company the caller has checked. */
  async insert(ctx: Context, companyId: number, nameInput: string, scope: ApiKeyScope): Promise<{ key: ApiKeyRow; secret: string }> {
    const principal = requireAdministrator(ctx);
    const name = parseName(nameInput, 'name', 100);
    const prefix = randomBytes(5).toString('hex').slice(0, 8);
    const secret = `cab_${prefix}_${randomBytes(32).toString('base64url')}`;
    const [key] = await ctx.db.query<ApiKeyRow>(
      `INSERT INTO cabinet.api_keys (company_id, created_by, name, scope, prefix, secret_hash, budget)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [companyId, principal.administratorId, name, scope, prefix, tokenHash(secret), API_KEY_BUDGET.points],
    );
    await recordAction(ctx, { action: 'CREATE_API_KEY', status: 'SUCCESS', companyId, details: { name, scope } });
    return { key, secret };
  },

  async list(ctx: Context, companyId: number): Promise<ApiKeyRow[]> {
    requireAdministrator(ctx);
    requireCompany(ctx, companyId);
    return this.listOf(ctx, companyId);
  },

  /** The keys of a company, newest first, for a caller whose right to see them was checked. */
  async listOf(ctx: Context, companyId: number): Promise<ApiKeyRow[]> {
    return ctx.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM cabinet.api_keys WHERE company_id = $1 ORDER BY created_at DESC, id DESC`, [companyId]);
  },

  async revoke(ctx: Context, id: number): Promise<ApiKeyRow> {
    requireAdministrator(ctx);
    const [existing] = await ctx.db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM cabinet.api_keys WHERE id = $1`, [id]);
    if (!existing) throw new NotFoundError('API key');
    // A sandbox's keys are revoked by the administrators of the company that owns the sandbox (nobody holds a grant on it).
    if (!isGranted(ctx, existing.companyId)) {
      const sandbox = await sandboxes.get(ctx.db, existing.companyId);
      requireCompany(ctx, sandbox?.ownerId ?? existing.companyId, 'API key');
    }
    const [key] = await ctx.db.query<ApiKeyRow>(`UPDATE cabinet.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`, [
      id,
    ]);
    await recordAction(ctx, { action: 'REVOKE_API_KEY', status: 'SUCCESS', companyId: key.companyId, details: { name: key.name } });
    return key;
  },

  /** The partner behind a bearer token, if the key exists and is not revoked. */
  async authenticate(ctx: Context, token: string): Promise<Principal | null> {
    if (!TOKEN.test(token)) return null;
    const [row] = await ctx.db.query<ApiKeyRow & { writeLsn: string | null }>(
      `SELECT ${COLUMNS}, write_lsn::text AS "writeLsn" FROM cabinet.api_keys k WHERE secret_hash = $1 AND ${liveApiKey('k')}`,
      [tokenHash(token)],
    );
    if (!row) return null;
    return { kind: 'apiKey', apiKeyId: row.id, name: row.name, scope: row.scope, companyIds: new Set([row.companyId]), writeLsn: row.writeLsn };
  },

  /** The key's budget now, refilled, without taking anything: the points left and the seconds until it is full. */
  async budget(ctx: Context, apiKeyId: number): Promise<{ remaining: number; limit: number; fullInSeconds: number }> {
    // From the primary, where this very request's charge was taken: a standby may not have it yet.
    const [state] = await ctx.db.primary.query<{ level: string }>(`SELECT ${refilled('$2', '$3')}::text AS level FROM cabinet.api_keys WHERE id = $1`, [
      apiKeyId,
      API_KEY_BUDGET.points,
      API_KEY_BUDGET.refillSeconds,
    ]);
    const level = Number(state?.level ?? 0);
    const fullInSeconds = Math.ceil(((API_KEY_BUDGET.points - level) * API_KEY_BUDGET.refillSeconds) / API_KEY_BUDGET.points);
    return { remaining: Math.floor(level), limit: API_KEY_BUDGET.points, fullInSeconds };
  },

  /** Takes `cost` points from the key's budget in one statement, or refuses when the budget is short. */
  async charge(ctx: Context, apiKeyId: number, cost: number): Promise<{ remaining: number; limit: number }> {
    const level = refilled('$2', '$3');
    const [row] = await ctx.db.query<{ remaining: string }>(
      `UPDATE cabinet.api_keys SET budget = ${level} - $4, budget_updated_at = now(), last_used_at = now()
       WHERE id = $1 AND ${level} >= $4 RETURNING budget::text AS remaining`,
      [apiKeyId, API_KEY_BUDGET.points, API_KEY_BUDGET.refillSeconds, cost],
    );
    if (row) return { remaining: Math.floor(Number(row.remaining)), limit: API_KEY_BUDGET.points };
    const [state] = await ctx.db.query<{ level: string }>(`SELECT ${level}::text AS level FROM cabinet.api_keys WHERE id = $1`, [
      apiKeyId,
      API_KEY_BUDGET.points,
      API_KEY_BUDGET.refillSeconds,
    ]);
    const missing = cost - Number(state?.level ?? 0);
    const retryAfterSeconds = Math.max(1, Math.ceil((missing * API_KEY_BUDGET.refillSeconds) / API_KEY_BUDGET.points));
    throw new RateLimitedError(`This query costs ${cost} points and the key's budget has ${Math.floor(Number(state?.level ?? 0))} left`, retryAfterSeconds);
  },
};
