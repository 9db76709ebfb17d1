import { isEmailAddress } from '@cabinet/schema/rules';

/** The gateway's rules for the profile's fields (auth.validation.ts and the contract's e-mail rule), checked before sending. */
export const API_KEY_NAME_MAX = 100;

/** An address typed in the profile, as the gateway reads it: trimmed, then the contract's one e-mail rule. */
export function isEmail(value: string): boolean {
  return isEmailAddress(value.trim());
}

/** A name as the gateway stores it: trimmed, inner runs of spaces made one. */
export function cleanName(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** The gateway's limits of a webhook endpoint (webhook.service.ts). */
export const WEBHOOK_NAME_MAX = 100;
export const WEBHOOK_URL_MAX = 2048;

/**
 * What the portal can tell of a webhook URL before sending it: absolute, https (plain http only to this machine), no
 * credentials, no fragment. The gateway checks the rest (where the host resolves to).
 */
export function webhookUrlProblem(value: string): 'REQUIRED' | 'INVALID' | 'NOT_HTTPS' | 'CREDENTIALS' | null {
  const raw = value.trim();
  if (raw === '') return 'REQUIRED';
  if (raw.length > WEBHOOK_URL_MAX || !URL.canParse(raw)) return 'INVALID';
  const url = new URL(raw);
  if (url.hash !== '') return 'INVALID';
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return 'NOT_HTTPS';
  if (url.username !== '' || url.password !== '') return 'CREDENTIALS';
  return null;
}

/** The event types an endpoint can receive (the contract's EventType), in the order the form shows them. */
export const WEBHOOK_EVENT_TYPES = ['NUMBER_CHANGED', 'OPERATION_CHANGED', 'REPORT_CHANGED'] as const;
