// A partner's webhook receiver for Cabinet, written with Node's own http and crypto: it checks each delivery's
// signature and timestamp, and appends every event once to a JSON-lines file, however many times it is delivered.
//
//   WEBHOOK_SECRET=whsec_… [PORT=8080] [HOST=127.0.0.1] node examples/partner/receiver.mjs webhooks.jsonl
//
// Cabinet signs `<Cabinet-Webhook-Timestamp>.<raw body>` with HMAC-SHA256 under the endpoint's secret and sends
// `Cabinet-Webhook-Signature: v1=<hex>` (during a secret's rotation one `v1=` per live secret, comma-separated).
// A delivery is answered 2xx only once its event is written: an answer lost on the way, or a receiver killed before
// it answered, makes Cabinet deliver again with the same `Cabinet-Webhook-Id`, which the file already holds or not.
// A wrong signature or a timestamp older than five minutes (a replay) is answered 401 and written nowhere.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const { WEBHOOK_SECRET, PORT = '8080', HOST = '127.0.0.1' } = process.env;
const file = process.argv[2];
if (!WEBHOOK_SECRET || !file) {
  console.error('usage: WEBHOOK_SECRET=whsec_… [PORT=…] [HOST=…] node receiver.mjs <webhooks.jsonl>');
  process.exit(2);
}
const TOLERANCE_SECONDS = 300;
const MAX_BODY_BYTES = 1 << 20;

/** The ids already written: the file is the receiver's only state (a last line cut short by a crash is not an id). */
const seen = new Set(
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.endsWith('}'))
        .map((line) => JSON.parse(line).id)
    : [],
);

function signedBy(secret, timestamp, signatures, body) {
  if (!/^\d{1,12}$/.test(timestamp ?? '') || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return (signatures ?? '').split(',').some((part) => {
    const [version, hex] = part.trim().split('=', 2);
    return version === 'v1' && /^[0-9a-f]{64}$/.test(hex ?? '') && timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
}

const server = createServer((request, response) => {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) request.destroy();
    else chunks.push(chunk);
  });
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (
      request.method !== 'POST' ||
      !signedBy(WEBHOOK_SECRET, request.headers['cabinet-webhook-timestamp'], request.headers['cabinet-webhook-signature'], body)
    ) {
      console.error('refused an unsigned or stale request');
      response.writeHead(401).end();
      return;
    }
    const event = JSON.parse(body);
    const id = request.headers['cabinet-webhook-id'];
    if (id !== event.id) {
      response.writeHead(400).end();
      return;
    }
    // A test delivery (`sendTestWebhook`) is acknowledged and not written.
    if (event.type !== 'WEBHOOK_TEST' && !seen.has(id)) {
      appendFileSync(file, `${JSON.stringify({ id, type: event.type, createdAt: event.createdAt, data: event.data })}\n`);
      seen.add(id);
    }
    response.writeHead(204).end();
  });
});
server.listen(Number(PORT), HOST, () => console.log(`receiving on http://${HOST}:${server.address().port}/`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
