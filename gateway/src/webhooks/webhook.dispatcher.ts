import type { DataSource } from 'typeorm';
import { billing } from '../billing';
import { RequestDb } from '../core/db';
import type { Language } from '../core/language';
import type { Logger } from '../core/logger';
import { eventData } from '../events';
import type { AddressPolicy } from './webhook.address';
import { postWebhook, type RequestLimits, type WebhookResponse } from './webhook.request';
import { deliveryEventId, failPending } from './webhook.service';
import { signatureHeader, TEST_EVENT_TYPE, WEBHOOK_HEADERS } from './webhook.signature';
import { DISABLED_MAIL } from './webhook.texts';

/*
 * How deliveries are made, and why this way.
 *
 * A delivery is a row of cabinet.webhook_deliveries, written by a trigger on the event log in the very transaction
 * that writes the event (see the migration): an event whose transaction rolls back leaves no delivery, a committed
 * one has one per subscribed endpoint, whatever process or code path published it. A pg-boss job per delivery would
 * have to be sent in every publisher's transaction, through pg-boss's own connection or tables; a dispatcher
 * following the log from a per-endpoint cursor would need its own bookkeeping of retries and redeliveries anyway.
 * The delivery table is that bookkeeping and the queue at once, and it is the delivery log the API shows.
 *
 * Workers claim due deliveries with FOR UPDATE SKIP LOCKED and a lease (`locked_until`), send them outside any
 * transaction, then record the attempt. A worker killed (kill -9) between sending and recording leaves the lease
 * to run out; the delivery is then due again and sent again: at least once, never lost. Receivers deduplicate on
 * `Cabinet-Webhook-Id`, which is the event's and stays the same on every attempt.
 */

/** A mailer as the dispatcher uses it (the gateway's `Mailer`). */
export interface WebhookMailer {
  send(message: { to: string; subject: string; text: string }): Promise<unknown>;
}

export interface DispatcherOptions extends AddressPolicy, RequestLimits {
  /** Milliseconds before the first retry; each next waits twice as long (WEBHOOK_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** How long a delivery is retried before it is FAILED (WEBHOOK_RETRY_HOURS). */
  retryWindowMs: number;
  /** Failed attempts in a row that disable an endpoint (WEBHOOK_DISABLE_AFTER_FAILURES)… */
  disableAfterFailures: number;
  /** …once the run of failures has also lasted this many minutes (WEBHOOK_DISABLE_AFTER_MINUTES). */
  disableAfterMinutes: number;
  /** Milliseconds between looks for due deliveries (WEBHOOK_POLL_MS). */
  pollMs: number;
  /** Deliveries claimed and sent at once. */
  batchSize?: number;
}

/** The longest wait between two attempts: later retries of a 24-hour window come at least every 6 hours. */
const MAX_BACKOFF_MS = 6 * 3600_000;

/**
 * How long a claimed delivery is a worker's: three times what an attempt may take (the receiver's timeout), and a
 * second to record it, so that only a dead worker's deliveries are claimed again.
 */
export function leaseMs(options: Pick<DispatcherOptions, 'timeoutMs'>): number {
  return options.timeoutMs * 3 + 1000;
}

/** The wait before attempt `attempt + 1` after `attempt` failed ones: base, 2×base, 4×base…, at most 6 hours. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

interface Claimed {
  id: string;
  endpointId: number;
  companyId: number;
  eventPosition: string | null;
  topic: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
  attemptCount: number;
  retryFrom: Date;
  url: string;
  secrets: string[];
}

/** The JSON body of a delivery: the event's id, type, company, time and the ids its payload names. */
export function deliveryBody(
  delivery: Pick<Claimed, 'id' | 'companyId' | 'eventPosition' | 'topic' | 'payload' | 'occurredAt'>,
  companyGlobalId: string,
): string {
  const data = delivery.topic === TEST_EVENT_TYPE ? {} : Object.fromEntries(Object.entries(eventData(delivery.payload)).filter(([, value]) => value !== null));
  return JSON.stringify({
    id: deliveryEventId(delivery),
    type: delivery.topic,
    companyId: companyGlobalId,
    createdAt: new Date(delivery.occurredAt).toISOString(),
    data,
  });
}

const companyGlobalId = (id: number) => Buffer.from(`Company:${id}`).toString('base64url');

export interface WebhookDispatcher {
  /** Claims the due deliveries and attempts each once; the number attempted. */
  runOnce(): Promise<number>;
  /** Stops polling and waits for the attempts under way. */
  stop(): Promise<void>;
}

/** Takes due deliveries, signs and sends them, records each attempt, retries with backoff, disables failing endpoints. */
export function createWebhookDispatcher({
  dataSource,
  log,
  mailer,
  options,
}: {
  dataSource: DataSource;
  log: Logger;
  mailer?: WebhookMailer;
  options: DispatcherOptions;
}): WebhookDispatcher & { start(): void } {
  const batch = options.batchSize ?? 8;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  const root = new RequestDb(dataSource);

  async function claim(): Promise<Claimed[]> {
    return root.query<Claimed>(
      `WITH due AS (
         SELECT d.id FROM cabinet.webhook_deliveries d JOIN cabinet.webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND (d.locked_until IS NULL OR d.locked_until < now())
           AND (e.enabled OR d.event_position IS NULL)
         ORDER BY d.next_attempt_at, d.id LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
       )
       UPDATE cabinet.webhook_deliveries d SET locked_until = now() + make_interval(secs => $2::double precision / 1000)
       FROM due, cabinet.webhook_endpoints e
       WHERE d.id = due.id AND e.id = d.endpoint_id
       RETURNING d.id::text AS id, d.endpoint_id AS "endpointId", d.company_id AS "companyId", d.event_position::text AS "eventPosition",
         d.topic, d.payload, d.occurred_at AS "occurredAt", d.attempt_count AS "attemptCount", d.retry_from AS "retryFrom", e.url,
         array_remove(ARRAY[e.secret, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END], NULL) AS secrets`,
      [batch, leaseMs(options)],
    );
  }

  async function attempt(delivery: Claimed): Promise<void> {
    const body = deliveryBody(delivery, companyGlobalId(delivery.companyId));
    const timestamp = Math.floor(Date.now() / 1000);
    const attemptedAt = new Date();
    const headers = {
      [WEBHOOK_HEADERS.id]: deliveryEventId(delivery),
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signatureHeader(delivery.secrets, timestamp, body),
    };
    let response: WebhookResponse;
    try {
      response = await postWebhook(delivery.url, headers, body, options, options);
    } catch (error) {
      response = { statusCode: null, body: null, error: error instanceof Error ? error.message : String(error), durationMs: 0 };
    }
    await record(delivery, attemptedAt, response);
  }

  /** Writes the attempt and its consequence in one transaction; e-mails the administrators of an endpoint it disabled. */
  async function record(delivery: Claimed, attemptedAt: Date, response: WebhookResponse): Promise<void> {
    // A 2xx is the receiver's acceptance, even when the rest of its answer was cut off.
    const succeeded = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
    const test = delivery.eventPosition === null;
    const disabled = await dataSource.transaction(async (manager) => {
      const db = root.on(manager.queryRunner!);
      await db.query(
        `INSERT INTO cabinet.webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, response_body, error) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          delivery.id,
          attemptedAt,
          response.statusCode,
          response.durationMs,
          response.body,
          response.error ?? (succeeded ? null : `answered ${response.statusCode}`),
        ],
      );
      const attempts = delivery.attemptCount + 1;
      if (succeeded) {
        await db.query(
          `UPDATE cabinet.webhook_deliveries SET status = 'SUCCEEDED', attempt_count = $2, delivered_at = now(), locked_until = NULL WHERE id = $1`,
          [delivery.id, attempts],
        );
        if (!test)
          await db.query(`UPDATE cabinet.webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = $1 AND consecutive_failures > 0`, [
            delivery.endpointId,
          ]);
        return null;
      }
      const next = Date.now() + backoffMs(attempts, options.retryBaseMs);
      // A delivery given up meanwhile (its endpoint was disabled) stays FAILED.
      const giveUp = test || next > new Date(delivery.retryFrom).getTime() + options.retryWindowMs;
      await db.query(
        `UPDATE cabinet.webhook_deliveries SET status = $2, attempt_count = $3, next_attempt_at = $4, locked_until = NULL
         WHERE id = $1 AND status = 'PENDING'`,
        [delivery.id, giveUp ? 'FAILED' : 'PENDING', attempts, new Date(next)],
      );
      if (test) return null;
      const [endpoint] = await db.query<{ id: number; companyId: number; name: string; url: string; failures: number; justDisabled: boolean }>(
        `WITH run AS (
           SELECT id, consecutive_failures + 1 >= $2 AND coalesce(failing_since, now()) <= now() - make_interval(mins => $3) AS ends
           FROM cabinet.webhook_endpoints WHERE id = $1 FOR UPDATE
         )
         UPDATE cabinet.webhook_endpoints e SET consecutive_failures = consecutive_failures + 1,
           failing_since = coalesce(failing_since, now()),
           enabled = enabled AND NOT run.ends,
           disabled_at = CASE WHEN enabled AND run.ends THEN now() ELSE disabled_at END,
           disabled_reason = CASE WHEN enabled AND run.ends THEN 'FAILURES' ELSE disabled_reason END,
           updated_at = now()
         FROM run WHERE e.id = run.id
         RETURNING e.id, company_id AS "companyId", name, url, consecutive_failures AS failures, disabled_at = now() AND disabled_reason = 'FAILURES' AS "justDisabled"`,
        [delivery.endpointId, options.disableAfterFailures, options.disableAfterMinutes],
      );
      if (!endpoint?.justDisabled) return null;
      await failPending(db, delivery.endpointId);
      return endpoint;
    });
    if (disabled) await notifyDisabled(disabled);
  }

  async function notifyDisabled(endpoint: { id: number; companyId: number; name: string; url: string; failures: number }): Promise<void> {
    log.warn({ endpointId: endpoint.id, companyId: endpoint.companyId, failures: endpoint.failures }, 'webhook endpoint disabled after failures');
    if (!mailer) return;
    const administrators = await root.query<{ email: string; language: Language }>(
      `SELECT a.email, a.language::text AS language FROM cabinet.grants g JOIN cabinet.administrators a ON a.id = g.administrator_id
       WHERE g.company_id = $1 ORDER BY a.id`,
      [endpoint.companyId],
    );
    // The company's name comes from the billing system, through its port like every read of it.
    const [company] = administrators.length > 0 ? await billing.companies(root, [endpoint.companyId]) : [null];
    for (const administrator of administrators) {
      const texts = DISABLED_MAIL[administrator.language] ?? DISABLED_MAIL.en;
      try {
        await mailer.send({
          to: administrator.email,
          subject: texts.subject(endpoint.name),
          text: texts.text({ name: endpoint.name, url: endpoint.url, company: company?.name ?? '', failures: endpoint.failures }),
        });
      } catch (error) {
        log.error({ err: error, endpointId: endpoint.id }, 'could not e-mail that a webhook endpoint was disabled');
      }
    }
  }

  async function runOnce(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await claim();
      await Promise.all(
        claimed.map((delivery) =>
          attempt(delivery).catch((error: unknown) => log.error({ err: error, deliveryId: delivery.id }, 'could not record a webhook attempt')),
        ),
      );
      attempted += claimed.length;
      if (claimed.length < batch || stopped) return attempted;
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().catch((error: unknown) => {
        log.error({ err: error }, 'webhook dispatch failed');
        return 0;
      });
      void running.finally(schedule);
    }, options.pollMs);
  };

  return {
    runOnce,
    start: schedule,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
