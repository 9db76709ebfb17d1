import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one definition of how a webhook is signed: its header names and signature scheme. The dispatcher signs with
 * it, the tests check against it and the README describes it.
 *
 * `Cabinet-Webhook-Signature: v1=<hex>` where hex is HMAC-SHA256, keyed with the endpoint's secret (the whole
 * `whsec_…` string as UTF-8), of `<Cabinet-Webhook-Timestamp>.<raw body>`. During a rotation's overlap the header
 * carries one `v1=` per live secret, comma-separated (`v1=<new>,v1=<old>`): a receiver accepts the request when any
 * of them matches its secret.
 */
export const WEBHOOK_HEADERS = {
  /** The event's id (its cursor in the company's event log), the same on every attempt: receivers deduplicate on it. */
  id: 'Cabinet-Webhook-Id',
  /** Unix time in seconds when the attempt was signed; receivers refuse old ones (5 minutes) against replays. */
  timestamp: 'Cabinet-Webhook-Timestamp',
  signature: 'Cabinet-Webhook-Signature',
} as const;

export const SIGNATURE_VERSION = 'v1';
/** How old a timestamp a receiver should accept, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** The `type` of the body a test delivery (`sendTestWebhook`) carries. */
export const TEST_EVENT_TYPE = 'WEBHOOK_TEST';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The hex HMAC-SHA256 of `timestamp.body` under one secret. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The signature header's value: one `v1=` per secret, the newest first. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `${SIGNATURE_VERSION}=${signPayload(secret, timestamp, body)}`).join(',');
}

/** A receiver's check: the timestamp is recent and one of the header's `v1=` signatures is the secret's. */
export function verifySignature(
  secret: string,
  header: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const timestamp = Number(header.timestamp);
  if (!/^\d{1,12}$/.test(header.timestamp ?? '') || Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body), 'hex');
  return (header.signature ?? '').split(',').some((part) => {
    const [version, hex] = part.trim().split('=', 2);
    if (version !== SIGNATURE_VERSION || !/^[0-9a-f]{64}$/.test(hex ?? '')) return false;
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
}
