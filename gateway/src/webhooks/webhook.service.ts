import { requireCompany, requireOperate } from '../core/access';
import { parseName } from '../core/validation';
import type { Context } from '../core/context';
import type { SqlRunner } from '../core/db';
import { BadUserInputError, DomainError, ErrorCode, NotFoundError } from '../core/errors';
import { encodeCursor as encodeEventCursor } from '../core/event-log';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../core/paging';
import { hasControlCharacters } from '../core/text';
import { EventKind } from '../events';
import { isLoopbackHost, resolveHost, type AddressPolicy } from './webhook.address';
import { newWebhookSecret, TEST_EVENT_TYPE } from './webhook.signature';

declare module '../core/context' {
  interface Ports {
    /** Where webhooks may be registered beyond the public Internet (WEBHOOK_ALLOW_LOOPBACK, WEBHOOK_ALLOWED_NETWORKS). */
    webhooks?: AddressPolicy;
  }
}

/** No address beyond the public Internet: what a gateway configured with nothing allows. */
export const STRICT_POLICY: AddressPolicy = Object.freeze({ allowLoopback: false, allowedNetworks: Object.freeze([]) });
/** Endpoints a company may have. */
export const MAX_ENDPOINTS = 20;
/** Longest overlap of a rotation, in hours: the old secret signs too until then. */
export const MAX_OVERLAP_HOURS = 168;
export const DEFAULT_OVERLAP_HOURS = 24;
const MAX_URL_LENGTH = 2048;
const KINDS = new Set<string>(Object.values(EventKind));

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface EndpointRow {
  id: number;
  companyId: number;
  name: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: 'MANUAL' | 'FAILURES' | null;
  consecutiveFailures: number;
  secretRotatedAt: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AttemptRow {
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
}

export interface DeliveryRow {
  id: string;
  endpointId: number;
  companyId: number;
  eventPosition: string | null;
  topic: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date;
  createdAt: Date;
  occurredAt: Date;
  deliveredAt: Date | null;
  attempts: AttemptRow[];
}

const ENDPOINT = `id, company_id AS "companyId", name, url, event_types AS "eventTypes", enabled, disabled_at AS "disabledAt",
  disabled_reason AS "disabledReason", consecutive_failures AS "consecutiveFailures", secret_rotated_at AS "secretRotatedAt",
  CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS "previousSecretExpiresAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const DELIVERY = `d.id::text AS id, d.endpoint_id AS "endpointId", d.company_id AS "companyId", d.event_position::text AS "eventPosition", d.topic,
  d.status, d.attempt_count AS "attemptCount", d.next_attempt_at AS "nextAttemptAt", d.created_at AS "createdAt", d.occurred_at AS "occurredAt",
  d.delivered_at AS "deliveredAt",
  coalesce((SELECT json_agg(json_build_object('attemptedAt', a.attempted_at, 'statusCode', a.status_code, 'durationMs', a.duration_ms,
    'responseBody', a.response_body, 'error', a.error) ORDER BY a.id) FROM cabinet.webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts`;

/** A URL refused for where it points or how it would be reached; `reason` says which rule. */
export class WebhookUrlError extends DomainError {
  constructor(reason: 'SCHEME' | 'CREDENTIALS' | 'PRIVATE_ADDRESS' | 'UNRESOLVABLE', message: string) {
    super(ErrorCode.WEBHOOK_URL_NOT_ALLOWED, message, { field: 'url', reason });
  }
}

/**
 * A webhook URL as it is stored, or a refusal: https (plain http only to a loopback host, for local testing), no
 * credentials, and a host whose every address the policy allows.
 */
export async function checkWebhookUrl(input: string, policy: AddressPolicy): Promise<string> {
  const raw = input.trim();
  if (raw.length < 1 || raw.length > MAX_URL_LENGTH || hasControlCharacters(raw) || !URL.canParse(raw)) {
    throw new BadUserInputError('url', `url must be an absolute URL of at most ${MAX_URL_LENGTH} characters`);
  }
  const url = new URL(raw);
  if (url.hash !== '') throw new BadUserInputError('url', 'url must not have a #fragment');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new WebhookUrlError('SCHEME', 'url must be https (plain http only to a loopback address, for local testing)');
  }
  if (url.username !== '' || url.password !== '') throw new WebhookUrlError('CREDENTIALS', 'url must not carry a user name or password');
  const resolved = await resolveHost(url.hostname, policy);
  if ('refused' in resolved) {
    if (resolved.refused === 'UNRESOLVABLE') throw new WebhookUrlError('UNRESOLVABLE', `${url.hostname} does not resolve`);
    throw new WebhookUrlError('PRIVATE_ADDRESS', `${url.hostname} is a ${resolved.range} address, not one of the public Internet`);
  }
  if (url.href.length > MAX_URL_LENGTH) throw new BadUserInputError('url', `url must be at most ${MAX_URL_LENGTH} characters`);
  return url.href;
}

function checkEventTypes(types: readonly string[]): string[] {
  const unique = [...new Set(types)];
  if (unique.length === 0) throw new BadUserInputError('eventTypes', 'eventTypes must name at least one event type');
  if (unique.some((type) => !KINDS.has(type))) throw new BadUserInputError('eventTypes', 'eventTypes holds an unknown event type');
  return unique;
}

function checkOverlap(hours: number | null | undefined): number {
  const value = hours ?? DEFAULT_OVERLAP_HOURS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_OVERLAP_HOURS) {
    throw new BadUserInputError('overlapHours', `overlapHours must be from 0 to ${MAX_OVERLAP_HOURS}`);
  }
  return value;
}

const policyOf = (ctx: Context) => ctx.ports.webhooks ?? STRICT_POLICY;

export interface EndpointInput {
  name?: string | null;
  url?: string | null;
  eventTypes?: string[] | null;
  enabled?: boolean | null;
}

/** The event's id a delivery carries: its cursor in the company's log (`id` of the body, `Cabinet-Webhook-Id`). */
export function deliveryEventId(row: { companyId: number; eventPosition: string | null; id: string }): string {
  return row.eventPosition === null ? `test_${row.id}` : encodeEventCursor(row.companyId, Number(row.eventPosition));
}

async function loadEndpoint(ctx: Context, id: number, write: boolean): Promise<EndpointRow> {
  const [row] = await ctx.db.query<EndpointRow>(`SELECT ${ENDPOINT} FROM cabinet.webhook_endpoints WHERE id = $1`, [id]);
  if (!row) throw new NotFoundError('Webhook endpoint');
  if (write) requireOperate(ctx, row.companyId, 'Webhook endpoint');
  else requireCompany(ctx, row.companyId, 'Webhook endpoint');
  return row;
}

function refuseDisabled(endpoint: EndpointRow): void {
  if (!endpoint.enabled) throw new DomainError(ErrorCode.WEBHOOK_ENDPOINT_DISABLED, 'The endpoint is disabled: enable it first (updateWebhookEndpoint)');
}

export const webhookService = {
  async list(ctx: Context, companyId: number): Promise<EndpointRow[]> {
    requireCompany(ctx, companyId);
    return ctx.db.query<EndpointRow>(`SELECT ${ENDPOINT} FROM cabinet.webhook_endpoints WHERE company_id = $1 ORDER BY id`, [companyId]);
  },

  get(ctx: Context, id: number): Promise<EndpointRow> {
    return loadEndpoint(ctx, id, false);
  },

  /** A new endpoint with its signing secret, which is shown this once. */
  async create(ctx: Context, companyId: number, input: EndpointInput): Promise<{ endpoint: EndpointRow; secret: string }> {
    requireOperate(ctx, companyId);
    const name = parseName(input.name ?? '', 'name', 100);
    const eventTypes = checkEventTypes(input.eventTypes ?? []);
    const url = await checkWebhookUrl(input.url ?? '', policyOf(ctx));
    const secret = newWebhookSecret();
    return ctx.transaction(async () => {
      // One company's creations one at a time, so that the limit holds under concurrent requests.
      await ctx.db.query(`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints'), $1)`, [companyId]);
      const [{ count }] = await ctx.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM cabinet.webhook_endpoints WHERE company_id = $1`, [
        companyId,
      ]);
      if (count >= MAX_ENDPOINTS) throw new DomainError(ErrorCode.WEBHOOK_ENDPOINT_LIMIT, `A company may have at most ${MAX_ENDPOINTS} webhook endpoints`);
      const enabled = input.enabled ?? true;
      const [endpoint] = await ctx.db.query<EndpointRow>(
        `INSERT INTO cabinet.webhook_endpoints (company_id, name, url, event_types, enabled, disabled_at, disabled_reason, secret)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN NOT $5 THEN now() END, CASE WHEN NOT $5 THEN 'MANUAL' END, $6) RETURNING ${ENDPOINT}`,
        [companyId, name, url, eventTypes, enabled, secret],
      );
      return { endpoint, secret };
    });
  },

  /**
   * Changes what is given. Disabling gives up the pending deliveries (FAILED: `redeliverWebhooks` sends them again);
   * enabling starts the count of failures afresh.
   */
  async update(ctx: Context, id: number, input: EndpointInput): Promise<EndpointRow> {
    const existing = await loadEndpoint(ctx, id, true);
    const name = input.name === undefined || input.name === null ? null : parseName(input.name, 'name', 100);
    const eventTypes = input.eventTypes === undefined || input.eventTypes === null ? null : checkEventTypes(input.eventTypes);
    const url = input.url === undefined || input.url === null ? null : await checkWebhookUrl(input.url, policyOf(ctx));
    const enabled = input.enabled ?? null;
    return ctx.transaction(async () => {
      const [row] = await ctx.db.query<EndpointRow>(
        `UPDATE cabinet.webhook_endpoints SET name = coalesce($2, name), url = coalesce($3, url), event_types = coalesce($4, event_types),
           enabled = coalesce($5, enabled),
           disabled_at = CASE WHEN $5 IS NULL THEN disabled_at WHEN $5 THEN NULL WHEN enabled THEN now() ELSE disabled_at END,
           disabled_reason = CASE WHEN $5 IS NULL THEN disabled_reason WHEN $5 THEN NULL WHEN enabled THEN 'MANUAL' ELSE disabled_reason END,
           consecutive_failures = CASE WHEN $5 AND NOT enabled THEN 0 ELSE consecutive_failures END,
           failing_since = CASE WHEN $5 AND NOT enabled THEN NULL ELSE failing_since END,
           updated_at = now()
         WHERE id = $1 RETURNING ${ENDPOINT}`,
        [id, name, url, eventTypes, enabled],
      );
      if (existing.enabled && !row.enabled) await failPending(ctx.db, id);
      return row;
    });
  },

  /** Removes the endpoint and its delivery log. */
  async remove(ctx: Context, id: number): Promise<EndpointRow> {
    const existing = await loadEndpoint(ctx, id, true);
    await ctx.db.query(`DELETE FROM cabinet.webhook_endpoints WHERE id = $1`, [id]);
    return existing;
  },

  /**
   * A new secret, shown this once. For `overlapHours` (24 by default, 0 to 168) the previous one signs too, so that
   * the receiver can switch without refusing a request; a rotation during an overlap ends the older secret at once.
   */
  async rotate(ctx: Context, id: number, overlapHours: number | null | undefined): Promise<{ endpoint: EndpointRow; secret: string }> {
    await loadEndpoint(ctx, id, true);
    const overlap = checkOverlap(overlapHours);
    const secret = newWebhookSecret();
    const [endpoint] = await ctx.db.query<EndpointRow>(
      `UPDATE cabinet.webhook_endpoints SET
         previous_secret = CASE WHEN $3 > 0 THEN secret END,
         previous_secret_expires_at = CASE WHEN $3 > 0 THEN now() + make_interval(hours => $3) END,
         secret = $2, secret_rotated_at = now(), updated_at = now()
       WHERE id = $1 RETURNING ${ENDPOINT}`,
      [id, secret, overlap],
    );
    return { endpoint, secret };
  },

  /** Queues a `WEBHOOK_TEST` delivery: one attempt, not retried, not counted towards disabling. */
  async sendTest(ctx: Context, id: number): Promise<DeliveryRow> {
    const endpoint = await loadEndpoint(ctx, id, true);
    const [row] = await ctx.db.query<{ id: string }>(
      `INSERT INTO cabinet.webhook_deliveries (endpoint_id, company_id, event_position, topic, payload, occurred_at)
       VALUES ($1, $2, NULL, $3, '{}', now()) RETURNING id::text AS id`,
      [id, endpoint.companyId, TEST_EVENT_TYPE],
    );
    return (await deliveriesById(ctx, [row.id]))[0];
  },

  /** Sends a delivery again (whatever its state), with a new retry window. */
  async redeliver(ctx: Context, deliveryId: number): Promise<DeliveryRow> {
    const [found] = await ctx.db.query<{ endpointId: number }>(`SELECT endpoint_id AS "endpointId" FROM cabinet.webhook_deliveries WHERE id = $1`, [
      deliveryId,
    ]);
    if (!found) throw new NotFoundError('Webhook delivery');
    const endpoint = await loadEndpoint(ctx, found.endpointId, true).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NOT_FOUND ? new NotFoundError('Webhook delivery') : error;
    });
    refuseDisabled(endpoint);
    await ctx.db.query(
      `UPDATE cabinet.webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), retry_from = now(), locked_until = NULL WHERE id = $1`,
      [deliveryId],
    );
    return (await deliveriesById(ctx, [String(deliveryId)]))[0];
  },

  /** Sends every FAILED delivery of the endpoint again; the number queued. */
  async redeliverFailed(ctx: Context, id: number): Promise<number> {
    const endpoint = await loadEndpoint(ctx, id, true);
    refuseDisabled(endpoint);
    const rows = await ctx.db.query(
      `UPDATE cabinet.webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), retry_from = now(), locked_until = NULL
       WHERE endpoint_id = $1 AND status = 'FAILED' RETURNING id`,
      [id],
    );
    return rows.length;
  },

  /** The endpoint's deliveries, newest first, each with its attempts; the endpoint was authorized by its loader. */
  async deliveries(
    ctx: Context,
    endpoint: EndpointRow,
    { first, after, status }: { first?: number; after?: string | null; status?: DeliveryStatus | null },
  ): Promise<Page<DeliveryRow>> {
    requireCompany(ctx, endpoint.companyId, 'Webhook endpoint');
    const size = checkPageSize(first);
    const cursor = decodeAfter(after, ['bigint']);
    const rows = await ctx.db.query<DeliveryRow>(
      `SELECT ${DELIVERY} FROM cabinet.webhook_deliveries d
       WHERE d.endpoint_id = $1 AND ($2::bigint IS NULL OR d.id < $2) AND ($3::text IS NULL OR d.status = $3)
       ORDER BY d.id DESC LIMIT $4`,
      [endpoint.id, cursor?.[0] ?? null, status ?? null, size + 1],
    );
    return toPage(
      rows,
      size,
      cursor !== null,
      (row) => row,
      (row) => encodeCursor([row.id]),
    );
  },
};

function deliveriesById(ctx: Context, ids: string[]): Promise<DeliveryRow[]> {
  return ctx.db.query<DeliveryRow>(`SELECT ${DELIVERY} FROM cabinet.webhook_deliveries d WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`, [ids]);
}

/** Gives up an endpoint's pending deliveries (it was disabled): FAILED, to be redelivered once it is enabled again. */
export function failPending(db: SqlRunner, endpointId: number): Promise<unknown> {
  return db.query(`UPDATE cabinet.webhook_deliveries SET status = 'FAILED', locked_until = NULL WHERE endpoint_id = $1 AND status = 'PENDING'`, [endpointId]);
}
