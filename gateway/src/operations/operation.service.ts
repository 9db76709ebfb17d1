import { smsText } from '../delivery/sms.texts';
import { isGranted, requireOperate, requirePrincipal } from '../auth/access';
import { parsePhone } from '../auth/auth.validation';
import type { NumberState } from '../billing/billing.entities';
import type { Context, Language, RequestDb } from '../graphql/context';
import { rowLoader } from '../graphql/loaders';
import { BadUserInputError, ConflictError, DomainError, ErrorCode, NotFoundError } from '../graphql/errors';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../graphql/paging';
import type { OperationKind, OperationStatus } from './operation.entity';
import { checkState, parseIccid, parseIdempotencyKey, parseImei } from './operation.rules';

/** A change requested on a number, as the billing system will receive it. */
export type OperationRequest =
  | { kind: 'BLOCK_NUMBER' | 'UNBLOCK_NUMBER' | 'SEND_SECRET_CODE' | 'DELETE_SECRET_CODE' }
  | { kind: 'REPLACE_SIM'; iccid: string }
  | { kind: 'CONNECT_SERVICE' | 'DISCONNECT_SERVICE'; serviceId: number }
  | { kind: 'REGISTER_DEVICE'; imei?: string | null }
  | { kind: 'UNREGISTER_DEVICE'; imei: string }
  | { kind: 'SET_SMS_USSD_BAN'; enabled: boolean }
  | { kind: 'SET_CALL_FORWARDING'; condition: string; target: string }
  | { kind: 'CANCEL_CALL_FORWARDING'; condition: string };

export interface OperationRow extends Record<string, unknown> {
  id: string;
  companyId: number;
  numberId: number;
  kind: OperationKind;
  status: OperationStatus;
  params: Record<string, string | boolean>;
  failureReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  actorName: string;
  actorPhone: string | null;
}

export const SIM_REPLACEMENT_COOLDOWN_HOURS = 24;

const OPERATION = `SELECT o.id::text, o.company_id AS "companyId", o.number_id AS "numberId", o.kind, o.status, o.params,
  o.failure_reason AS "failureReason", o.created_at AS "createdAt", o.finished_at AS "finishedAt",
  coalesce(l.actor_name, '') AS "actorName", l.actor_phone AS "actorPhone"
  FROM cabinet.operations o LEFT JOIN cabinet.action_log l ON l.id = o.action_log_id`;

const operationById = (db: RequestDb) => rowLoader<string, OperationRow>(db, `${OPERATION} WHERE o.id = ANY($1::bigint[])`, 'id');

interface NumberFacts {
  id: number;
  msisdn: string;
  companyId: number;
  tariffId: number;
  state: NumberState;
  lastImei: string | null;
}


async function numberFacts(ctx: Context, numberId: number): Promise<NumberFacts> {
  requirePrincipal(ctx);
  const [number] = await ctx.db.query<NumberFacts>(
    `SELECT id, msisdn, company_id AS "companyId", tariff_id AS "tariffId", state, last_imei AS "lastImei" FROM billing.numbers WHERE id = $1`,
    [numberId],
  );
  if (!number || !isGranted(ctx, number.companyId)) throw new NotFoundError('Number');
  requireOperate(ctx, number.companyId, 'Number');
  return number;
}

/** Checks the request against the number and the billing data; returns the parameters to store. */
async function prepare(ctx: Context, number: NumberFacts, request: OperationRequest): Promise<Record<string, string | boolean>> {
  checkState(request.kind, number.state);
  switch (request.kind) {
    case 'REPLACE_SIM': {
      const iccid = parseIccid(request.iccid);
      const [recent] = await ctx.db.query(
        `SELECT 1 FROM cabinet.operations WHERE number_id = $1 AND kind = 'REPLACE_SIM' AND status <> 'FAILURE'
           AND created_at > now() - make_interval(hours => $2)
         UNION ALL SELECT 1 FROM billing.sim_cards WHERE number_id = $1 AND retired_at IS NULL AND replaced_at > now() - make_interval(hours => $2)`,
        [number.id, SIM_REPLACEMENT_COOLDOWN_HOURS],
      );
      if (recent) {
        throw new DomainError(ErrorCode.SIM_REPLACEMENT_COOLDOWN, 'The SIM card of this number was replaced less than 24 hours ago; try again later');
      }
      const [free] = await ctx.db.query(`SELECT 1 FROM billing.sim_cards WHERE iccid = $1 AND number_id IS NULL AND retired_at IS NULL`, [iccid]);
      if (!free) throw new DomainError(ErrorCode.SIM_NOT_IN_STOCK, 'This SIM card is not a free card of the operator’s stock', { field: 'iccid' });
      return { msisdn: number.msisdn, iccid };
    }
    case 'CONNECT_SERVICE':
    case 'DISCONNECT_SERVICE': {
      const [service] = await ctx.db.query<{ code: string; allowed: boolean; connected: boolean }>(
        `SELECT s.code,
           EXISTS (SELECT 1 FROM billing.tariff_services t WHERE t.tariff_id = $2 AND t.service_id = s.id) AS allowed,
           EXISTS (SELECT 1 FROM billing.connected_services c WHERE c.number_id = $3 AND c.service_id = s.id) AS connected
         FROM billing.services s WHERE s.id = $1`,
        [request.serviceId, number.tariffId, number.id],
      );
      if (!service) throw new BadUserInputError('serviceId', 'No such service');
      if (request.kind === 'CONNECT_SERVICE') {
        if (service.connected) throw new ConflictError('The service is already connected');
        if (!service.allowed) throw new DomainError(ErrorCode.SERVICE_NOT_AVAILABLE, 'The number’s tariff does not offer this service');
      } else if (!service.connected) {
        throw new ConflictError('The service is not connected');
      }
      return { msisdn: number.msisdn, serviceId: String(request.serviceId), service: service.code };
    }
    case 'REGISTER_DEVICE':
    case 'UNREGISTER_DEVICE': {
      const given = request.imei ?? null;
      if (given === null && number.lastImei === null) throw new BadUserInputError('imei', 'No device has been recorded with this number; give its IMEI');
      const imei = parseImei(given ?? number.lastImei!);
      const [registered] = await ctx.db.query(`SELECT 1 FROM billing.registered_devices WHERE number_id = $1 AND imei = $2`, [number.id, imei]);
      if (request.kind === 'REGISTER_DEVICE' && registered) throw new ConflictError('The device is already registered with the number');
      if (request.kind === 'UNREGISTER_DEVICE' && !registered) throw new ConflictError('The device is not registered with the number');
      return { msisdn: number.msisdn, imei };
    }
    case 'SET_SMS_USSD_BAN':
      return { msisdn: number.msisdn, enabled: request.enabled };
    case 'SET_CALL_FORWARDING': {
      const target = parsePhone(request.target, 'target');
      if (target === number.msisdn) throw new BadUserInputError('target', 'Calls cannot be forwarded to the number itself');
      return { msisdn: number.msisdn, condition: request.condition, target };
    }
    case 'CANCEL_CALL_FORWARDING': {
      const [rule] = await ctx.db.query(`SELECT 1 FROM billing.call_forwardings WHERE number_id = $1 AND condition = $2`, [number.id, request.condition]);
      if (!rule) throw new ConflictError('No forwarding is set for this condition');
      return { msisdn: number.msisdn, condition: request.condition };
    }
    default:
      return { msisdn: number.msisdn };
  }
}

const isUniqueViolation = (error: unknown, index: string) =>
  (error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } }).driverError?.constraint === index ||
  (error as { constraint?: string }).constraint === index;

export const operationService = {
  /**
   * Accepts an operation: in one transaction the operation (In process), its actions-log entry and the job for
   * the billing system are written, and block/unblock put the number In process. Returns at once.
   */
  async submit(ctx: Context, numberId: number, request: OperationRequest, idempotencyKeyInput?: string | null): Promise<OperationRow> {
    const idempotencyKey = parseIdempotencyKey(idempotencyKeyInput);
    const number = await numberFacts(ctx, numberId);
    if (idempotencyKey) {
      const repeated = await this.byIdempotencyKey(ctx, number.companyId, idempotencyKey);
      if (repeated) return this.sameRequest(repeated, number.id, request.kind);
    }
    const params = await prepare(ctx, number, request);
    const principal = ctx.principal;
    let operationId: string;
    try {
      operationId = await ctx.transaction(async () => {
        const [log] = await ctx.db.query<{ id: string }>(
          `INSERT INTO cabinet.action_log (company_id, number_id, action, details, status, actor_name, actor_phone, client_address,
             administrator_id, api_key_id)
           VALUES ($1, $2, $3, $4, 'IN_PROCESS', $5, $6, $7, $8, $9) RETURNING id::text`,
          [
            number.companyId,
            number.id,
            request.kind,
            JSON.stringify(params),
            principal.kind === 'administrator' ? principal.name : principal.kind === 'apiKey' ? `API key “${principal.name}”` : '—',
            principal.kind === 'administrator' ? principal.phone : null,
            ctx.http.clientAddress,
            principal.kind === 'administrator' ? principal.administratorId : null,
            principal.kind === 'apiKey' ? principal.apiKeyId : null,
          ],
        );
        const [operation] = await ctx.db.query<{ id: string }>(
          `INSERT INTO cabinet.operations (company_id, number_id, kind, params, idempotency_key, previous_state, action_log_id,
             administrator_id, api_key_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text`,
          [
            number.companyId,
            number.id,
            request.kind,
            JSON.stringify(params),
            idempotencyKey,
            number.state,
            log.id,
            principal.kind === 'administrator' ? principal.administratorId : null,
            principal.kind === 'apiKey' ? principal.apiKeyId : null,
          ],
        );
        if (request.kind === 'BLOCK_NUMBER' || request.kind === 'UNBLOCK_NUMBER') {
          const changed = await ctx.db.query(
            `UPDATE billing.numbers SET state = 'IN_PROCESS' WHERE id = $1 AND state = $2 RETURNING id`,
            [number.id, number.state],
          );
          if (changed.length === 0) throw new DomainError(ErrorCode.OPERATION_IN_PROGRESS, 'The number changed meanwhile; refresh and try again');
        }
        await ctx.ports.operations.enqueue(ctx.db, operation.id);
        await ctx.ports.events?.publish(ctx.db, { topic: 'OPERATION_CHANGED', companyId: number.companyId, payload: { operationId: operation.id, numberId: number.id } });
        if (request.kind === 'BLOCK_NUMBER' || request.kind === 'UNBLOCK_NUMBER') {
          await ctx.ports.events?.publish(ctx.db, { topic: 'NUMBER_CHANGED', companyId: number.companyId, payload: { numberId: number.id, state: 'IN_PROCESS' } });
        }
        return operation.id;
      });
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error, 'operations_idempotency_idx')) {
        return this.sameRequest((await this.byIdempotencyKey(ctx, number.companyId, idempotencyKey))!, number.id, request.kind);
      }
      if (isUniqueViolation(error, 'operations_one_in_process_idx')) {
        throw new DomainError(ErrorCode.OPERATION_IN_PROGRESS, 'The same operation is already being carried out on this number');
      }
      throw error;
    }
    if (request.kind === 'REPLACE_SIM') await this.notifySimReplacement(ctx, number);
    return (await this.byId(ctx, operationId))!;
  },

  sameRequest(existing: OperationRow, numberId: number, kind: OperationKind): OperationRow {
    if (existing.numberId !== numberId || existing.kind !== kind) {
      throw new ConflictError('This idempotency key was used for another operation');
    }
    return existing;
  },

  /** SIM-swap protection: the number itself and every administrator of its company hear of the request. */
  async notifySimReplacement(ctx: Context, number: NumberFacts): Promise<void> {
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
  },

  /** Through a loader: the subscribers of one event share it, so an accepted or finished operation is read once per process. */
  async byId(ctx: Context, id: string): Promise<OperationRow | null> {
    return ctx.loader(operationById).load(id);
  },

  async byIdempotencyKey(ctx: Context, companyId: number, key: string): Promise<OperationRow | null> {
    const [row] = await ctx.db.query<OperationRow>(`${OPERATION} WHERE o.company_id = $1 AND o.idempotency_key = $2`, [companyId, key]);
    return row ?? null;
  },

  /** Recent operations of a company or of one of its numbers, newest first: what a reconnecting client refetches. */
  async list(
    ctx: Context,
    companyId: number,
    filter: { numberId?: number | null; status?: OperationStatus | null },
    first?: number,
    after?: string | null,
  ): Promise<Page<OperationRow>> {
    requirePrincipal(ctx);
    if (!isGranted(ctx, companyId)) throw new NotFoundError('Company');
    const size = checkPageSize(first);
    const cursor = decodeAfter(after, ['timestamp', 'bigint']) as [string, string] | null;
    const rows = await ctx.db.query<OperationRow>(
      `${OPERATION} WHERE o.company_id = $1 AND ($2::int IS NULL OR o.number_id = $2) AND ($3::cabinet.action_status IS NULL OR o.status = $3)
         AND ($5::timestamptz IS NULL OR (o.created_at, o.id) < ($5::timestamptz, $6::bigint))
       ORDER BY o.created_at DESC, o.id DESC LIMIT $4`,
      [companyId, filter.numberId ?? null, filter.status ?? null, size + 1, cursor?.[0] ?? null, cursor?.[1] ?? null],
    );
    return toPage(rows, size, cursor !== null, (row) => row, (row) => encodeCursor([new Date(row.createdAt).toISOString(), row.id]));
  },
};
