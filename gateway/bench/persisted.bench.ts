import 'reflect-metadata';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { buildGatewaySchema } from '../src/graphql/schema';
import { withTypenames } from '../src/releases/trusted-documents';
import { runMain, writeResults } from './harness';

/**
 * What a persisted (trusted) document saves a request: for every document the sections ship, the time to parse and
 * validate it against the gateway's schema (what an engine does on a cold cache for a text it has not seen), and
 * the bytes of its text against those of its hash. Both engines keep parsed and validated documents by text, so a
 * warm gateway saves the parse and validation of a known text either way; the hash saves the upload and the hashing
 * of the text as a cache key, and makes the refusal of other documents possible. Usage: npm run bench:persisted -w gateway
 */
const SECTIONS = ['mf-shell', 'mf-numbers', 'mf-documents', 'mf-profile'];
const ROUNDS = 200;

function microseconds(run: () => void): number {
  for (let i = 0; i < 20; i++) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) run();
  return Number(process.hrtime.bigint() - started) / 1000 / ROUNDS;
}

async function main(): Promise<void> {
  const schema = buildGatewaySchema();
  const rows: { section: string; documents: number; parseUs: number; validateUs: number; textBytes: number; hashBytes: number; largest: number }[] = [];
  for (const section of SECTIONS) {
    const file = join(__dirname, '..', '..', '..', '..', section, 'src', 'graphql', 'generated', 'persisted-documents.json');
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run codegen first`);
    const texts = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map(withTypenames);
    let parseUs = 0;
    let validateUs = 0;
    for (const text of texts) {
      parseUs += microseconds(() => parse(text));
      const document = parse(text);
      validateUs += microseconds(() => validate(schema, document));
    }
    const textBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(JSON.stringify({ query: text })), 0);
    const hashBytes =
      texts.length * Buffer.byteLength(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: `sha256:${'0'.repeat(64)}` } } }));
    rows.push({ section, documents: texts.length, parseUs, validateUs, textBytes, hashBytes, largest: Math.max(...texts.map((t) => t.length)) });
  }
  console.log('\n| section | documents | parse, µs per document | validate, µs per document | body with the text, bytes per request | with the hash |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.section} | ${r.documents} | ${(r.parseUs / r.documents).toFixed(0)} | ${(r.validateUs / r.documents).toFixed(0)} | ${Math.round(r.textBytes / r.documents)} (largest document ${r.largest} characters) | ${Math.round(r.hashBytes / r.documents)} |`,
    );
  }
  await writeResults('persisted', { rows });
}

runMain(main);
