export { WebhookResolver } from './webhook.resolver';
export { webhookService } from './webhook.service';
export { DEFAULT_DISPATCHER_OPTIONS, dispatcherOptions, startWebhookJobs, WEBHOOK_PRUNE_QUEUE, type WebhookConfig } from './webhook.jobs';
export { createWebhookDispatcher, type DispatcherOptions } from './webhook.dispatcher';
export { WEBHOOK_HEADERS, signatureHeader, verifySignature } from './webhook.signature';
