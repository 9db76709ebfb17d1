// A partner's event follower for Cabinet, written with ordinary clients: graphql-ws for the subscription and
// Node's own fetch for queries. It follows the changes of a company's numbers and appends each, with its cursor, to
// a JSON-lines file; after a crash or a restart it takes the cursor of the last line and asks for what it missed,
// then goes on live: every event once, in order.
//
//   CABINET_URL=http://127.0.0.1:4000 CABINET_KEY=cab_… COMPANY_ID=<global id> [START_AFTER=<cursor>] \
//     node examples/partner/partner.mjs events.jsonl
//
// The file is the follower's only state: a line is one event and the cursor to resume after it, so there is no
// moment at which an event is written but its cursor not (a line cut short by a crash is dropped on start, and that
// event asked for again). START_AFTER (a cursor, e.g. the `events` query's endCursor) is where a first run begins;
// without it, from now on.
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { CABINET_URL, CABINET_KEY, COMPANY_ID, START_AFTER } = process.env;
const file = process.argv[2];
if (!CABINET_URL || !CABINET_KEY || !COMPANY_ID || !file) {
  console.error('usage: CABINET_URL=… CABINET_KEY=… COMPANY_ID=… [START_AFTER=…] node partner.mjs <events.jsonl>');
  process.exit(2);
}

/** The last event written, from the file; a last line without its newline was cut short and is removed. */
function lastWritten() {
  if (!existsSync(file)) return { cursor: START_AFTER ?? null, sequence: 0 };
  const text = readFileSync(file, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, complete)));
  const lines = text.slice(0, complete).split('\n').filter(Boolean);
  if (lines.length === 0) return { cursor: START_AFTER ?? null, sequence: 0 };
  const { cursor, sequence } = JSON.parse(lines[lines.length - 1]);
  return { cursor, sequence };
}

/** A plain GraphQL request over HTTP with the key. */
async function query(document, variables) {
  const response = await fetch(`${CABINET_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CABINET_KEY}` },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${body.errors[0].extensions?.code}: ${body.errors[0].message}`);
  return body.data;
}

const CHANGES = `subscription Changes($c: ID!, $after: String) {
  numberChanged(companyId: $c, after: $after) { sequence cursor number { msisdn state } }
}`;

let state = lastWritten();
const { company } = await query('query($c: ID!) { company(id: $c) { name } }', { c: COMPANY_ID });
console.log(`following ${company.name} from ${state.cursor ? `sequence ${state.sequence}` : 'now'}`);

const client = createClient({
  url: `${CABINET_URL.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${CABINET_KEY}` },
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

function follow() {
  client.subscribe(
    { query: CHANGES, variables: { c: COMPANY_ID, after: state.cursor } },
    {
      next: ({ data, errors }) => {
        if (errors) {
          // CURSOR_EXPIRED: the log no longer holds what was missed; a real partner refetches what it shows here.
          console.error(errors[0].extensions?.code, errors[0].message);
          if (errors[0].extensions?.code === 'CURSOR_EXPIRED') state = { cursor: null, sequence: state.sequence };
          return;
        }
        const change = data.numberChanged;
        if (change.sequence <= state.sequence) return;
        appendFileSync(
          file,
          `${JSON.stringify({ sequence: change.sequence, cursor: change.cursor, msisdn: change.number.msisdn, state: change.number.state })}\n`,
        );
        state = { cursor: change.cursor, sequence: change.sequence };
      },
      error: (error) => {
        console.error('subscription failed', error);
        setTimeout(follow, 1000);
      },
      // The gateway completes a subscription it ends (a revoked grant, say); follow again from the saved cursor.
      complete: () => setTimeout(follow, 1000),
    },
  );
}

// After a dropped connection graphql-ws subscribes again with the variables it was first given, so the gateway
// replays from that older cursor: what this follower already wrote is told apart by `sequence` and skipped.
client.on('connected', () => console.log('connected'));
follow();
process.on('SIGTERM', async () => {
  await client.dispose();
  process.exit(0);
});
