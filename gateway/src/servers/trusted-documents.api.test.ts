import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp } from '../app';
import { releaseService } from '../releases';
import { fakeBuild } from '../releases/release.fixtures';
import { documentHash, withTypenames } from '../releases/trusted-documents';
import { ENGINES, startTestApp, testConfig, type TestApp } from '../test/app';

const ME = 'query Me { me { id name } }';
const COMPANIES = 'query Companies { companies { id name } }';
const CHANGES = 'subscription Changes($c: ID!) { numberChanged(companyId: $c) { sequence } }';
const UNKNOWN = `sha256:${'0'.repeat(64)}`;
const byHash = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe.each(ENGINES)('trusted documents on %s', (engine) => {
  let t: TestApp;
  let strict: FastifyInstance;

  const post = (app: FastifyInstance, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', cookie: t.adminCookie, ...headers },
      payload: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await startTestApp(engine);
    // A release that brings the documents, as a section's build ships codegen's list.
    const listed = Object.fromEntries([ME, CHANGES].map((text) => [documentHash(text), text]));
    await releaseService.publish(t.db.dataSource, fakeBuild('mf-shell', '1.0.0').manifest, fakeBuild('mf-shell', '1.0.0').files, 'test');
    const build = fakeBuild('mf-numbers', '1.0.0', { 'documents.json': JSON.stringify(listed) });
    await releaseService.publish(t.db.dataSource, { ...build.manifest, documents: 'documents.json' }, build.files, 'test');
    strict = await buildApp({ config: testConfig({ engine, trustedDocuments: true }), dataSource: t.db.dataSource, log: pino({ level: 'silent' }) });
    await strict.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await strict?.close();
    await t?.close();
  });

  it('runs a published document named by its hash alone, with the __typename a page’s cache needs', async () => {
    const answer = await post(t.app, { extensions: byHash(documentHash(ME)) });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().data.me).toEqual({ __typename: 'Administrator', id: expect.any(String), name: expect.any(String) });
    const [stored] = await t.db.dataSource.query(`SELECT document FROM cabinet.trusted_documents WHERE hash = $1`, [documentHash(ME)]);
    expect(stored.document).toBe(withTypenames(ME));
  });

  it('answers an unknown hash without a text with PERSISTED_QUERY_NOT_FOUND, and runs the text sent with it', async () => {
    const missing = await post(t.app, { extensions: byHash(UNKNOWN) });
    expect(missing.json().errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const strictly = await post(t.app, { extensions: byHash(UNKNOWN) }, { accept: 'application/graphql-response+json' });
    expect(strictly.statusCode).toBe(400);
    const withText = await post(t.app, { query: COMPANIES, extensions: byHash(UNKNOWN) });
    expect(withText.json().errors).toBeUndefined();
    expect(withText.json().data.companies.length).toBeGreaterThan(0);
  });

  it('runs the registry’s text over GET too, where the extensions come as JSON text', async () => {
    const answer = await t.app.inject({
      method: 'GET',
      url: `/graphql?extensions=${encodeURIComponent(JSON.stringify(byHash(documentHash(ME))))}`,
      headers: { cookie: t.adminCookie, 'apollo-require-preflight': 'true' },
    });
    expect(answer.json().data.me.id).toEqual(expect.any(String));
  });

  it('with TRUSTED_DOCUMENTS, refuses any other document from a browser session, before it runs', async () => {
    const free = await post(strict, { query: ME });
    expect(free.statusCode).toBe(400);
    expect(free.json().errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const unknown = await post(strict, { query: COMPANIES, extensions: byHash(UNKNOWN) });
    expect(unknown.json().errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    // The text sent beside a known hash is not what runs: the registry's is.
    const known = await post(strict, { query: COMPANIES, extensions: byHash(documentHash(ME)) });
    expect(Object.keys(known.json().data)).toEqual(['me']);
    const anonymous = await post(strict, { query: '{ __typename }' }, { cookie: '' });
    expect(anonymous.json().errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });

  it('with TRUSTED_DOCUMENTS, keeps free queries for partner keys', async () => {
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies ORDER BY id LIMIT 1`);
    const created = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "ERP", scope: READ) { secret } }', {
      c: Buffer.from(`Company:${company.id}`).toString('base64url'),
    });
    const answer = await post(strict, { query: COMPANIES }, { cookie: '', authorization: `Bearer ${created.data!.createApiKey.secret}` });
    expect(answer.json().errors).toBeUndefined();
  });

  it('with TRUSTED_DOCUMENTS, subscribes a browser to a published subscription by hash, and refuses another one', async () => {
    const { port } = strict.server.address() as AddressInfo;
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies ORDER BY id LIMIT 1`);
    const c = Buffer.from(`Company:${company.id}`).toString('base64url');
    class Socket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie: t.adminCookie } });
      }
    }
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: Socket, retryAttempts: 0 });
    const outcome = (query: string, extensions?: Record<string, unknown>) =>
      new Promise<string>((resolve) => {
        const stop = client.subscribe(
          { query, variables: { c }, extensions },
          {
            next: () => resolve('event'),
            error: (errors) => resolve(Array.isArray(errors) ? String(errors[0]?.extensions?.code) : 'closed'),
            complete: () => resolve('complete'),
          },
        );
        // Listening without an error for a moment is what an accepted subscription does.
        setTimeout(() => {
          stop();
          resolve('listening');
        }, 500);
      });
    try {
      expect(await outcome(CHANGES, byHash(documentHash(CHANGES)))).toBe('listening');
      expect(await outcome(CHANGES.replace('Changes', 'Other'))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    } finally {
      await client.dispose();
    }
  });
});
