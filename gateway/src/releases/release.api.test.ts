import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { startTestApp, type TestApp } from '../test/app';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { fakeBuild } from './release.fixtures';
import { registerReleases } from './release.routes';
import { releaseService } from './release.service';

const TOKEN = 'a-deploy-token-of-enough-length-0123456789';
const deployBody = (build: ReturnType<typeof fakeBuild>) => ({
  manifest: build.manifest,
  files: Object.fromEntries([...build.files].map(([path, content]) => [path, content.toString('base64')])),
});

describe('serving and deploying the front end over HTTP', () => {
  let db: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = Fastify();
    await registerReleases(app, { dataSource: db.dataSource, log: pino({ level: 'silent' }), deployToken: TOKEN });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const deploy = (build: ReturnType<typeof fakeBuild>, token = TOKEN) =>
    app.inject({ method: 'POST', url: '/releases', headers: { authorization: `Bearer ${token}` }, payload: deployBody(build) });

  it('says the front end is not deployed while the shell has no release', async () => {
    const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
  });

  it('refuses deploys without the right token', async () => {
    const build = fakeBuild('mf-shell', '1.0.0');
    expect((await app.inject({ method: 'POST', url: '/releases', payload: deployBody(build) })).statusCode).toBe(401);
    expect((await deploy(build, `${TOKEN}x`)).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/releases/mf-shell/rollback' })).statusCode).toBe(401);
    expect(await releaseService.active(db.dataSource)).toEqual([]);
  });

  it('publishes a release sent by a pipeline and serves the shell page with the import map inline on every route', async () => {
    expect((await deploy(fakeBuild('mf-shell', '1.0.0'))).statusCode).toBe(201);
    const numbers = fakeBuild('mf-numbers', '1.0.0');
    expect((await deploy(numbers)).json()).toMatchObject({ section: 'mf-numbers', version: '1.0.0', activated: true });

    for (const url of ['/', '/login', '/numbers', '/numbers/TnVtYmVyOjE']) {
      const page = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`"@cabinet/mf-numbers":"/assets/mf-numbers/${numbers.entry}"`);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    }
    const missing = await app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('importmap');
    expect((await app.inject({ url: '/no/such/file.json' })).statusCode).toBe(404);
    expect((await app.inject('/importmap.json')).json().imports['@cabinet/mf-numbers']).toBe(`/assets/mf-numbers/${numbers.entry}`);
  });

  it('serves release files immutable, compressed when the browser accepts it, and revalidates by their hash', async () => {
    const numbers = fakeBuild('mf-numbers', '1.0.0');
    const url = `/assets/mf-numbers/${numbers.entry}`;
    const plain = await app.inject({ url });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(numbers.files.get(numbers.entry)!.toString());
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const zipped = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
    expect((await app.inject({ url, headers: { 'if-none-match': String(plain.headers.etag) } })).statusCode).toBe(304);
    expect((await app.inject('/assets/mf-numbers/nope.js')).statusCode).toBe(404);
    expect((await app.inject('/assets/mf-shell/index.html')).statusCode).toBe(404);
  });

  it('rolls a section back for a pipeline, keeping the previous files served', async () => {
    const first = fakeBuild('mf-numbers', '1.0.0');
    const second = fakeBuild('mf-numbers', '1.1.0');
    await deploy(second);
    expect((await app.inject('/importmap.json')).json().imports['@cabinet/mf-numbers']).toBe(`/assets/mf-numbers/${second.entry}`);
    expect((await app.inject(`/assets/mf-numbers/${first.entry}`)).statusCode).toBe(200);
    const rollback = await app.inject({ method: 'POST', url: '/releases/mf-numbers/rollback', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(rollback.json()).toEqual({ section: 'mf-numbers', version: '1.0.0', from: '1.1.0' });
    expect((await app.inject('/importmap.json')).json().imports['@cabinet/mf-numbers']).toBe(`/assets/mf-numbers/${first.entry}`);
  });

  it('answers a bad manifest with its code', async () => {
    const build = fakeBuild('mf-numbers', '2.0.0');
    build.manifest.imports = { 'single-spa': build.entry };
    const response = await deploy(build);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('BAD_MANIFEST');
  });

  it('checks a release without publishing it on a dry run, and refuses one the live kit cannot serve with 409', async () => {
    const dry = (build: ReturnType<typeof fakeBuild>) =>
      app.inject({ method: 'POST', url: '/releases', headers: { authorization: `Bearer ${TOKEN}` }, payload: { ...deployBody(build), dryRun: true } });
    const shell = fakeBuild('mf-shell', '3.0.0');
    (shell.manifest as Record<string, unknown>).kit = '1.4.0';
    expect((await deploy(shell)).statusCode).toBe(201);
    const liveBefore = await releaseService.active(db.dataSource);

    const fits = fakeBuild('mf-numbers', '3.0.0');
    (fits.manifest as Record<string, unknown>).kit = '^1.2.0';
    const checked = await dry(fits);
    expect(checked.statusCode).toBe(200);
    expect(checked.json()).toEqual({ section: 'mf-numbers', version: '3.0.0', created: true, activated: true, dryRun: true });
    expect(await releaseService.active(db.dataSource)).toEqual(liveBefore);
    expect([...(await releaseService.history(db.dataSource, 'mf-numbers'))].map((h) => h.version)).not.toContain('3.0.0');
    expect((await app.inject(`/assets/mf-numbers/${fits.entry}`)).statusCode).toBe(404);

    const needsNext = fakeBuild('mf-numbers', '4.0.0');
    (needsNext.manifest as Record<string, unknown>).kit = '^2.0.0';
    for (const response of [await dry(needsNext), await deploy(needsNext)]) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        code: 'INCOMPATIBLE_KIT',
        error: expect.stringMatching(/mf-numbers 4\.0\.0 works with @cabinet\/kit \^2\.0\.0, but the live mf-shell 3\.0\.0 provides kit 1\.4\.0/),
      });
    }
    expect((await app.inject('/importmap.json')).json().imports['@cabinet/kit@1.4.0']).toMatch(/^\/assets\/mf-shell\//);
  });

  it('starts a canary for a pipeline, promotes or drops it, and answers a bad canary with BAD_MANIFEST', async () => {
    const post = (url: string, payload?: object) =>
      app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${TOKEN}` }, ...(payload ? { payload } : {}) });
    const liveEntry = async () => (await app.inject('/importmap.json')).json().imports['@cabinet/mf-profile'];
    await deploy(fakeBuild('mf-profile', '1.0.0'));
    const before = await liveEntry();
    const next = fakeBuild('mf-profile', '2.0.0');
    const started = await post('/releases', { ...deployBody(next), canary: { administrators: ['77010000001'], percent: 0 } });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ version: '2.0.0', activated: false, canary: { administrators: ['77010000001'], percent: 0 } });
    expect(await liveEntry()).toBe(before);
    expect((await app.inject({ url: '/releases', headers: { authorization: `Bearer ${TOKEN}` } })).json().canaries[0]).toMatchObject({
      section: 'mf-profile',
      version: '2.0.0',
      outcome: null,
    });

    expect((await post('/releases/mf-profile/drop')).json()).toEqual({ section: 'mf-profile', version: '2.0.0' });
    expect((await post('/releases/mf-profile/drop')).statusCode).toBe(404);
    await post('/releases', { ...deployBody(next), canary: { administrators: [], percent: 5 } });
    expect((await post('/releases/mf-profile/promote')).json()).toEqual({ section: 'mf-profile', version: '2.0.0' });
    expect(await liveEntry()).toBe(`/assets/mf-profile/${next.entry}`);

    for (const canary of [{ administrators: [], percent: 0 }, { administrators: ['x'], percent: 0 }, { administrators: [], percent: 101 }, 'everyone']) {
      const response = await post('/releases', { ...deployBody(fakeBuild('mf-profile', '3.0.0')), canary });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('BAD_MANIFEST');
    }
    expect((await app.inject({ method: 'POST', url: '/releases/mf-profile/promote' })).statusCode).toBe(401);
  });
});

describe('the gateway with the release registry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mercurius', { seed: false });
  });
  afterAll(() => t.close());

  it('serves the portal on / and keeps GraphiQL and GraphQL where they were', async () => {
    expect((await t.app.inject({ url: '/', headers: { accept: 'text/html' } })).statusCode).toBe(503);
    expect((await t.app.inject('/graphiql')).statusCode).toBe(200);
    expect((await t.gql('{ me { id } }')).data).toEqual({ me: { id: expect.any(String) } });
  });

  it('refuses deploys over HTTP when no deploy token is configured', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/releases', headers: { authorization: 'Bearer anything-at-all-here-000000' }, payload: {} });
    expect(response.statusCode).toBe(403);
  });
});
