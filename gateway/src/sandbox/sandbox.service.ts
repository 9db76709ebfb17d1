import { apiKeyService, type ApiKeyRow } from '../api-keys';
import { isGranted, requireAdministrator, requireCompany, requireOperate } from '../auth';
import { sandboxes, type SandboxRow } from '../billing';
import type { Context } from '../core/context';
import { BadUserInputError, NotFoundError } from '../core/errors';
import type { ApiKeyScope } from '../core/principal';

/** The longest delay a sandbox's billing system may be given, as BILLING_DELAY_MS. */
export const SANDBOX_MAX_DELAY_MS = 600_000;

/**
 * A sandbox is reached by its own keys, which hold it as their one company, and by the administrators of the
 * company that owns it. Anyone else is told it does not exist, as for any company they hold no grant on.
 */
async function reachSandbox(ctx: Context, companyId: number, write: boolean): Promise<SandboxRow> {
  const sandbox = await sandboxes.get(ctx.db, companyId);
  if (sandbox && isGranted(ctx, sandbox.companyId)) {
    if (write) requireOperate(ctx, sandbox.companyId, 'Sandbox');
    return sandbox;
  }
  if (sandbox && ctx.principal.kind === 'administrator' && isGranted(ctx, sandbox.ownerId)) return sandbox;
  throw new NotFoundError('Sandbox');
}

export const sandboxService = {
  /**
   * A key to a new sandbox of the company, in one transaction: the sandbox company ("Sandbox of …", linked to the
   * company), its generated fleet and the key. The company must be a real one the administrator holds a grant on;
   * the administrator gets no grant on the sandbox, so it never shows among their companies.
   */
  async createKey(ctx: Context, companyId: number, name: string, scope: ApiKeyScope): Promise<{ sandbox: SandboxRow; key: ApiKeyRow; secret: string }> {
    requireAdministrator(ctx);
    requireCompany(ctx, companyId);
    return ctx.transaction(async () => {
      const sandbox = await sandboxes.create(ctx.db, companyId);
      const { key, secret } = await apiKeyService.insert(ctx, sandbox.companyId, name, scope);
      return { sandbox, key, secret };
    });
  },

  get: (ctx: Context, companyId: number) => reachSandbox(ctx, companyId, false),

  /** The sandboxes a real company owns (its administrators only). */
  async listOf(ctx: Context, ownerId: number): Promise<SandboxRow[]> {
    requireAdministrator(ctx);
    requireCompany(ctx, ownerId);
    return sandboxes.listOf(ctx.db, ownerId);
  },

  async keys(ctx: Context, sandbox: SandboxRow): Promise<ApiKeyRow[]> {
    if (ctx.principal.kind !== 'administrator') return [];
    return apiKeyService.listOf(ctx, sandbox.companyId);
  },

  async update(ctx: Context, companyId: number, delayMs: number): Promise<SandboxRow> {
    const sandbox = await reachSandbox(ctx, companyId, true);
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > SANDBOX_MAX_DELAY_MS) {
      throw new BadUserInputError('delayMs', `delayMs must be a whole number of milliseconds from 0 to ${SANDBOX_MAX_DELAY_MS}`);
    }
    await sandboxes.setDelay(ctx.db, sandbox.companyId, delayMs);
    return { ...sandbox, delayMs };
  },

  /**
   * Puts the sandbox back as it was created, in one transaction: its fleet, its operations and the actions that
   * recorded them, its event log (emptied and marked pruned up to its head, so a client resuming from an older
   * cursor is told to refetch). Its keys, delay, webhooks and reports stay.
   */
  async reset(ctx: Context, companyId: number): Promise<SandboxRow> {
    const sandbox = await reachSandbox(ctx, companyId, true);
    return ctx.transaction(async () => {
      // Operations first: no operation of the sandbox is then in flight, and the worker skips any job still queued.
      await sandboxes.lock(ctx.db, sandbox.companyId);
      const removed = await ctx.db.query<{ actionLogId: string | null }>(
        `DELETE FROM cabinet.operations WHERE company_id = $1 RETURNING action_log_id::text AS "actionLogId"`,
        [sandbox.companyId],
      );
      const actions = removed.map((op) => op.actionLogId).filter((id): id is string => id !== null);
      await ctx.db.query(`DELETE FROM cabinet.action_log WHERE id = ANY($1::bigint[])`, [actions]);
      await sandboxes.resetFleet(ctx.db, sandbox);
      await ctx.db.query(`DELETE FROM cabinet.events WHERE company_id = $1`, [sandbox.companyId]);
      await ctx.db.query(`UPDATE cabinet.event_heads SET pruned_through = last_position WHERE company_id = $1`, [sandbox.companyId]);
      return sandbox;
    });
  },
};
