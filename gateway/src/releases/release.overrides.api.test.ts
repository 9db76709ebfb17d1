import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { LOCALHOST_OVERRIDE_SOURCES } from '../config';
import { startTestApp, type TestApp } from '../test/app';
import { fakeBuild } from './release.fixtures';
import { OVERRIDES_INJECTOR_PATH, OVERRIDES_LIBRARY_PATH } from './release.overrides';
import { registerReleases } from './release.routes';
import { releaseService } from './release.service';

const csp = (headers: Record<string, unknown>) =>
  Object.fromEntries(
    String(headers['content-security-policy'])
      .split('; ')
      .map((directive) => {
        const [name, ...sources] = directive.split(' ');
        return [name, sources];
      }),
  ) as Record<string, string[]>;

describe('import-map overrides on the portal page', () => {
  let t: TestApp;
  let off: FastifyInstance;
  let allowed: FastifyInstance;
  let importMap: string;

  beforeAll(async () => {
    t = await startTestApp('mercurius', { seed: false });
    for (const build of [fakeBuild('mf-shell', '1.0.0'), fakeBuild('mf-numbers', '1.0.0')])
      await releaseService.publish(t.db.dataSource, build.manifest, build.files, 'test');
    importMap = JSON.stringify(releaseService.importMap(await releaseService.active(t.db.dataSource)));
    // Two gateways on the same registry: one whose configuration does not allow overrides, one that allows dev servers on this machine.
    off = Fastify();
    await registerReleases(off, { dataSource: t.db.dataSource, log: pino({ level: 'silent' }) });
    allowed = Fastify();
    await registerReleases(allowed, { dataSource: t.db.dataSource, log: pino({ level: 'silent' }), frontendOverrides: LOCALHOST_OVERRIDE_SOURCES });
    await Promise.all([off.ready(), allowed.ready()]);
  });
  afterAll(async () => {
    await off.close();
    await allowed.close();
    await t.close();
  });

  const page = (app: FastifyInstance, cookie?: string) => app.inject({ url: '/numbers', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
  const expectPlainPage = (response: Awaited<ReturnType<typeof page>>) => {
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<script type="importmap">${importMap}</script>`);
    expect(response.body).not.toContain('overridable-importmap');
    expect(response.body).not.toContain('/overrides/');
    const policy = csp(response.headers);
    expect(policy['script-src']).toEqual(["'self'", expect.stringMatching(/^'sha256-[A-Za-z0-9+/=]+'$/)]);
    expect(policy['style-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['font-src']).toBeUndefined();
  };

  it('serves the plain page and none of the machinery when the configuration does not allow overrides, whoever asks', async () => {
    const response = await page(off, `${t.adminCookie}; cabinet_overrides=on`);
    expectPlainPage(response);
    expect(response.body).not.toContain('cabinet-overrides');
    expect((await off.inject(OVERRIDES_LIBRARY_PATH)).statusCode).toBe(404);
    expect((await off.inject(OVERRIDES_INJECTOR_PATH)).statusCode).toBe(404);
  });

  it('only tells the page that overrides are allowed, and keeps the strict policy, until a signed-in administrator’s browser turns them on', async () => {
    for (const cookie of [undefined, 'cabinet_overrides=on', t.adminCookie, `${t.adminCookie}; cabinet_overrides=1`]) {
      const response = await page(allowed, cookie);
      expectPlainPage(response);
      expect(response.body).toContain('<meta name="cabinet-overrides" content="off">');
    }
  });

  it('gives a signed-in administrator who turned them on the overridable map, the library before any module, and a nonce instead of the hash', async () => {
    const first = await page(allowed, `${t.adminCookie}; cabinet_overrides=on`);
    expect(first.statusCode).toBe(200);
    const html = first.body;
    expect(html).toContain('<meta name="cabinet-overrides" content="on">');
    expect(html).toContain(`<script type="overridable-importmap">${importMap}</script>`);
    expect(html).not.toContain('<script type="importmap">');
    expect(html).toContain('<meta name="importmap-type" content="importmap" use-injector>');

    const policy = csp(first.headers);
    const nonce = /^'nonce-([A-Za-z0-9+/=]{24})'$/.exec(policy['script-src'][1])?.[1];
    expect(nonce).toBeDefined();
    expect(policy['script-src']).toEqual(["'self'", `'nonce-${nonce}'`, ...LOCALHOST_OVERRIDE_SOURCES]);
    expect(policy['style-src']).toEqual(["'self'", `'nonce-${nonce}'`, ...LOCALHOST_OVERRIDE_SOURCES]);
    expect(policy['connect-src']).toEqual(["'self'", ...LOCALHOST_OVERRIDE_SOURCES, 'ws://localhost:*', 'ws://127.0.0.1:*']);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(String(first.headers['content-security-policy'])).not.toMatch(/unsafe|sha256|\*(?!\s|;|$)/);

    // The library, then the injector carrying the nonce, both ahead of the first module script.
    const library = html.indexOf(`<script src="${OVERRIDES_LIBRARY_PATH}"></script>`);
    const injector = html.indexOf(`<script src="${OVERRIDES_INJECTOR_PATH}" nonce="${nonce}"></script>`);
    expect(library).toBeGreaterThan(html.indexOf('overridable-importmap'));
    expect(injector).toBeGreaterThan(library);
    const firstModule = html.indexOf('type="module"');
    if (firstModule >= 0) expect(firstModule).toBeGreaterThan(injector);
    expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);

    const second = await page(allowed, `${t.adminCookie}; cabinet_overrides=on`);
    expect(csp(second.headers)['script-src'][1]).not.toBe(`'nonce-${nonce}'`);
  });

  it('serves the library and the injector from the gateway itself, revalidated by their hash', async () => {
    const library = await allowed.inject(OVERRIDES_LIBRARY_PATH);
    expect(library.statusCode).toBe(200);
    expect(library.headers['content-type']).toMatch(/^text\/javascript/);
    expect(library.body).toMatch(/^\/\* import-map-overrides@\d+\.\d+\.\d+ \*\//);
    expect(library.body).toContain('use-injector');
    expect((await allowed.inject({ url: OVERRIDES_LIBRARY_PATH, headers: { 'if-none-match': String(library.headers.etag) } })).statusCode).toBe(304);

    const injector = await allowed.inject(OVERRIDES_INJECTOR_PATH);
    expect(injector.statusCode).toBe(200);
    expect(injector.body).toContain('mergeImportMap');
    expect(injector.body).toContain('script.nonce = nonce');
  });
});
