import type { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger';
import { createWebhookDispatcher, type DispatcherOptions, type WebhookMailer } from './webhook.dispatcher';

export const WEBHOOK_PRUNE_QUEUE = 'webhook-prune';
/** Daily: finished deliveries older than the event log's retention are removed with their attempts. */
const PRUNE_CRON = '41 3 * * *';

/** The settings of the dispatcher as the gateway's config names them. */
export interface WebhookConfig {
  readonly webhookAllowLoopback: boolean;
  readonly webhookAllowedNetworks: readonly string[];
  readonly webhookTimeoutMs: number;
  readonly webhookResponseBytes: number;
  readonly webhookRetryBaseMs: number;
  readonly webhookRetryHours: number;
  readonly webhookDisableAfterFailures: number;
  readonly webhookDisableAfterMinutes: number;
  readonly webhookPollMs: number;
}

export function dispatcherOptions(config: WebhookConfig): DispatcherOptions {
  return {
    allowLoopback: config.webhookAllowLoopback,
    allowedNetworks: config.webhookAllowedNetworks,
    timeoutMs: config.webhookTimeoutMs,
    responseBytes: config.webhookResponseBytes,
    retryBaseMs: config.webhookRetryBaseMs,
    retryWindowMs: config.webhookRetryHours * 3600_000,
    disableAfterFailures: config.webhookDisableAfterFailures,
    disableAfterMinutes: config.webhookDisableAfterMinutes,
    pollMs: config.webhookPollMs,
  };
}

/** What a gateway with no WEBHOOK_* variables does: the config's defaults, and the dispatcher's without a config. */
export const WEBHOOK_DEFAULTS: WebhookConfig = Object.freeze({
  webhookAllowLoopback: false,
  webhookAllowedNetworks: Object.freeze([]),
  webhookTimeoutMs: 5000,
  webhookResponseBytes: 512,
  webhookRetryBaseMs: 60_000,
  webhookRetryHours: 24,
  webhookDisableAfterFailures: 15,
  webhookDisableAfterMinutes: 60,
  webhookPollMs: 1000,
});

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = Object.freeze(dispatcherOptions(WEBHOOK_DEFAULTS));

export interface WebhookJobOptions {
  boss: PgBoss;
  dataSource: DataSource;
  log: Logger;
  mailer?: WebhookMailer;
  options: DispatcherOptions;
  retentionDays: number;
  runWorker: boolean;
}

/** The delivery log's pruning on a pg-boss schedule and, on workers, the dispatcher; `stop` ends the dispatcher. */
export async function startWebhookJobs({
  boss,
  dataSource,
  log,
  mailer,
  options,
  retentionDays,
  runWorker,
}: WebhookJobOptions): Promise<{ stop(): Promise<void> }> {
  if (!(await boss.getQueue(WEBHOOK_PRUNE_QUEUE))) await boss.createQueue(WEBHOOK_PRUNE_QUEUE, { retryLimit: 2, expireInSeconds: 900 });
  await boss.schedule(WEBHOOK_PRUNE_QUEUE, PRUNE_CRON);
  if (!runWorker) return { stop: async () => {} };
  await boss.work(WEBHOOK_PRUNE_QUEUE, async () => {
    const [{ removed }] = await dataSource.query(
      `WITH gone AS (DELETE FROM cabinet.webhook_deliveries WHERE status <> 'PENDING' AND created_at < now() - make_interval(days => $1) RETURNING 1)
       SELECT count(*)::int AS removed FROM gone`,
      [retentionDays],
    );
    if (removed > 0) log.info({ removed, retentionDays }, 'removed webhook deliveries older than the retention');
  });
  const dispatcher = createWebhookDispatcher({ dataSource, log, mailer, options });
  dispatcher.start();
  return dispatcher;
}
