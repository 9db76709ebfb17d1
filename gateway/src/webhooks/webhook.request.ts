import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveHost, type AddressPolicy } from './webhook.address';

export interface RequestLimits {
  /** The whole exchange, connection to the last byte read (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Bytes of the answer that are read and kept; the rest is not read (WEBHOOK_RESPONSE_BYTES). */
  responseBytes: number;
}

export interface WebhookResponse {
  /** The receiver's status, or null when there was none (refused address, timeout, connection error). */
  statusCode: number | null;
  /** The first bytes of the answer's body, as text. */
  body: string | null;
  /** Why there is no status, or why it could not be read whole. */
  error: string | null;
  durationMs: number;
}

/**
 * POSTs a webhook the safe way: the host is resolved here and refused when any of its addresses is private (see
 * `resolveHost`), then the connection goes to that very address (a `lookup` that answers it: no second resolution,
 * no DNS rebinding window), with the URL's name kept for TLS and `Host`. Redirects are not followed (a 3xx is a
 * failed attempt), the exchange is cut after `timeoutMs` and only `responseBytes` of the answer are read.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  policy: AddressPolicy,
  limits: RequestLimits,
): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  // The resolution counts towards the timeout too: a name server that does not answer is a receiver that does not.
  let stopWaiting: NodeJS.Timeout | undefined;
  const resolved = await Promise.race([
    resolveHost(target.hostname, policy),
    new Promise<'TIMEOUT'>((resolve) => (stopWaiting = setTimeout(() => resolve('TIMEOUT'), limits.timeoutMs))),
  ]).finally(() => clearTimeout(stopWaiting));
  if (resolved === 'TIMEOUT')
    return { statusCode: null, body: null, error: `${target.hostname} did not resolve within ${limits.timeoutMs} ms`, durationMs: elapsed() };
  if ('refused' in resolved) {
    const error =
      resolved.refused === 'UNRESOLVABLE'
        ? `${target.hostname} does not resolve`
        : `${target.hostname} resolves to ${resolved.address}, a ${resolved.range} address`;
    return { statusCode: null, body: null, error: `refused: ${error}`, durationMs: elapsed() };
  }
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<WebhookResponse>((resolve) => {
    let settled = false;
    let statusCode: number | null = null;
    const finish = (result: Omit<WebhookResponse, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        lookup: pinned,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Cabinet-Webhooks/1' },
      },
      (response) => {
        statusCode = response.statusCode ?? null;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (error: string | null) =>
          finish({ statusCode: response.statusCode ?? null, body: Buffer.concat(chunks).subarray(0, limits.responseBytes).toString('utf8'), error });
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= limits.responseBytes) done(null);
        });
        response.on('end', () => done(null));
        response.on('error', (error) => done(error.message));
      },
    );
    const left = Math.max(1, limits.timeoutMs - elapsed());
    const timer = setTimeout(() => finish({ statusCode, body: null, error: `no answer within ${limits.timeoutMs} ms` }), left);
    request.on('error', (error) => finish({ statusCode, body: null, error: error.message }));
    request.end(body);
  });
}
