import type { SessionCache } from '../core/session-cache';
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { SESSION_COOKIE, sessions } from '../core/session';
import type { Context } from '../core/context';
import type { Logger } from '../core/logger';
import { ReleaseError, SECTION_NAME } from './release.manifest';
import { newNonce, OVERRIDES_COOKIE, overrideSources, overridesAssets, type OverridesMode } from './release.overrides';
import { releaseService, type Canary, type ReleaseFile, type Viewer } from './release.service';

export interface ReleaseRoutesOptions {
  dataSource: DataSource;
  log: Logger;
  /** Bearer token of the deploy endpoint; unset, deploys over HTTP are refused. */
  deployToken?: string;
  /** Dev server origins import-map overrides may load from (FRONTEND_OVERRIDES); empty or unset: overrides are off. */
  frontendOverrides?: readonly string[];
  /** The gateway's sessions kept in memory, shared with GraphQL's lookups. */
  sessionCache?: SessionCache;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const DEPLOY_BODY_LIMIT = 64 * 1024 * 1024;
const FILE_CACHE_BYTES = 64 * 1024 * 1024;
const STATUS: Record<ReleaseError['code'], number> = {
  BAD_MANIFEST: 400,
  CONFLICT: 409,
  NOT_FOUND: 404,
  NOTHING_TO_ROLL_BACK: 409,
  INCOMPATIBLE_KIT: 409,
  SMOKE_CHECK_FAILED: 422,
};

/** Files are immutable (their names carry their content hash), so a process keeps the ones it served. */
class FileCache {
  private readonly files = new Map<string, ReleaseFile>();
  private bytes = 0;
  get(key: string): ReleaseFile | undefined {
    return this.files.get(key);
  }
  set(key: string, file: ReleaseFile): void {
    const size = file.content.length + (file.gzip?.length ?? 0);
    if (size > FILE_CACHE_BYTES / 4) return;
    while (this.bytes + size > FILE_CACHE_BYTES && this.files.size > 0) {
      const [oldest, evicted] = this.files.entries().next().value as [string, ReleaseFile];
      this.files.delete(oldest);
      this.bytes -= evicted.content.length + (evicted.gzip?.length ?? 0);
    }
    this.files.set(key, file);
    this.bytes += size;
  }
}

function tokenMatches(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function pageSecurityHeaders(reply: FastifyReply, importMap: string, overrides: OverridesMode): void {
  const importMapHash = createHash('sha256').update(importMap).digest('base64');
  // With overrides on, the import map is inserted by the injector with this nonce (its text is the browser's, so no hash).
  const { code, connect, nonce } = overrideSources(overrides);
  const inline = nonce ? `'nonce-${nonce}'` : `'sha256-${importMapHash}'`;
  const list = (...sources: string[]) => sources.join(' ');
  reply
    .header(
      'content-security-policy',
      [
        "default-src 'self'",
        `script-src ${list("'self'", inline, ...code)}`,
        `style-src ${list("'self'", ...(nonce ? [`'nonce-${nonce}'`] : []), ...code)}`,
        `img-src ${list("'self'", 'data:', ...code)}`,
        ...(code.length > 0 ? [`font-src ${list("'self'", ...code)}`] : []),
        `connect-src ${list("'self'", ...connect)}`,
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache');
}

const underPrefix = (path: string, prefix: string) => (prefix === '/' ? path === '/' : path === prefix || path.startsWith(`${prefix}/`));

/**
 * Serves the front end from the release registry: the shell's page on `/` and on every route a live release
 * claims, `/importmap.json`, and the files under `/assets/<section>/…`. Pipelines deploy and roll back with
 * `POST /releases` (`"dryRun": true` only checks) and `POST /releases/<section>/rollback`, authenticated by the deploy token.
 */
export async function registerReleases(
  app: FastifyInstance,
  { dataSource, log, deployToken, frontendOverrides = [], sessionCache }: ReleaseRoutesOptions,
): Promise<void> {
  const cache = new FileCache();

  // The signed-in administrator, for canaries; the session rule is the one GraphQL uses (it only reads the database).
  const viewerOf = async (request: FastifyRequest): Promise<Viewer | null> => {
    const token = parseCookie(request.headers.cookie ?? '')[SESSION_COOKIE];
    if (!token) return null;
    const principal = await sessions.resolve({ db: dataSource, ports: { sessionCache } } as unknown as Context, token);
    return principal?.kind === 'administrator' ? { administratorId: principal.administratorId, phone: principal.phone } : null;
  };

  // Overrides are on only where the gateway allows them, for a signed-in administrator whose browser turned them on.
  const overridesFor = (request: FastifyRequest, viewer: Viewer | null): OverridesMode => {
    if (frontendOverrides.length === 0) return { kind: 'none' };
    if (!viewer || parseCookie(request.headers.cookie ?? '')[OVERRIDES_COOKIE] !== 'on') return { kind: 'allowed' };
    return { kind: 'on', nonce: newNonce(), sources: frontendOverrides };
  };

  const sendShell = async (request: FastifyRequest, reply: FastifyReply) => {
    const viewer = await viewerOf(request);
    const active = await releaseService.activeFor(dataSource, viewer);
    const overrides = overridesFor(request, viewer);
    const page = await releaseService.shellPage(dataSource, active, overrides);
    if (!page) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Cabinet</title><p>The front end is not deployed yet: run <code>npm run deploy -- mf-shell</code>.</p>',
        );
    }
    const path = request.url.split('?')[0];
    const known = active.some((release) => release.manifest.routes.some((prefix) => underPrefix(path, prefix)));
    pageSecurityHeaders(reply, page.importMap, overrides);
    return reply
      .code(known ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(page.html);
  };

  app.get('/', sendShell);
  app.get('/importmap.json', async (request, reply) => {
    const active = await releaseService.activeFor(dataSource, await viewerOf(request));
    return reply.header('cache-control', 'no-cache').header('vary', 'cookie').type('application/importmap+json').send(releaseService.importMap(active));
  });

  if (frontendOverrides.length > 0) {
    for (const [path, file] of overridesAssets()) {
      app.get(path, async (request, reply) => {
        reply.header('etag', file.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
        if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
        return reply.type('text/javascript; charset=utf-8').send(file.content);
      });
    }
  }

  app.get<{ Params: { section: string; '*': string } }>('/assets/:section/*', async (request, reply) => {
    const { section, '*': path } = request.params;
    if (!SECTION_NAME.test(section) || path === 'index.html' || path.includes('..')) return reply.code(404).send({ error: 'not found' });
    const key = `${section}/${path}`;
    let file = cache.get(key);
    if (!file) {
      file = (await releaseService.file(dataSource, section, path)) ?? undefined;
      if (!file) return reply.code(404).header('cache-control', 'no-store').send({ error: 'not found' });
      cache.set(key, file);
    }
    const etag = `"${file.sha256}"`;
    reply.header('etag', etag).header('cache-control', IMMUTABLE).header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    reply.type(file.contentType);
    if (file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(file.gzip);
    return reply.send(file.content);
  });

  const authorized = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!deployToken) {
      void reply.code(403).send({ error: 'Deploys over HTTP are disabled: set DEPLOY_TOKEN on the gateway to enable them.' });
      return false;
    }
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!given || !tokenMatches(given, deployToken)) {
      void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'A valid deploy token is required.' });
      return false;
    }
    return true;
  };
  const failed = (reply: FastifyReply, error: unknown) => {
    if (error instanceof ReleaseError) return reply.code(STATUS[error.code]).send({ error: error.message, code: error.code });
    throw error;
  };

  app.post<{ Body: { manifest?: unknown; files?: Record<string, unknown>; dryRun?: unknown; canary?: Canary } }>(
    '/releases',
    { bodyLimit: DEPLOY_BODY_LIMIT },
    async (request, reply) => {
      if (!authorized(request, reply)) return reply;
      const { manifest, files, dryRun, canary } = request.body ?? {};
      if (typeof files !== 'object' || files === null)
        return reply.code(400).send({ error: 'Send {"manifest": …, "files": {"<path>": "<base64>"}}', code: 'BAD_MANIFEST' });
      const contents = new Map(Object.entries(files).map(([path, base64]) => [path, Buffer.from(typeof base64 === 'string' ? base64 : '', 'base64')]));
      try {
        const result = await releaseService.publish(dataSource, manifest, contents, `http:${request.ip}`, { dryRun: dryRun === true, canary });
        if (result.dryRun) return reply.code(200).send(result);
        log.info({ release: result }, 'front-end release published');
        return reply.code(result.created ? 201 : 200).send(result);
      } catch (error) {
        return failed(reply, error);
      }
    },
  );
  app.post<{ Params: { section: string } }>('/releases/:section/rollback', async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    try {
      const result = await releaseService.rollback(dataSource, request.params.section, `http:${request.ip}`);
      log.info({ release: result }, 'front-end release rolled back');
      return result;
    } catch (error) {
      return failed(reply, error);
    }
  });
  for (const action of ['promote', 'drop'] as const) {
    app.post<{ Params: { section: string } }>(`/releases/:section/${action}`, async (request, reply) => {
      if (!authorized(request, reply)) return reply;
      try {
        const result = await releaseService[action](dataSource, request.params.section, `http:${request.ip}`);
        log.info({ release: result }, `front-end canary ${action === 'promote' ? 'promoted' : 'dropped'}`);
        return result;
      } catch (error) {
        return failed(reply, error);
      }
    });
  }
  app.get('/releases', async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const active = await releaseService.active(dataSource);
    return {
      active: active.map(({ section, version, activatedAt }) => ({ section, version, activatedAt })),
      history: await releaseService.history(dataSource),
      canaries: await releaseService.canaries(dataSource),
    };
  });

  // Every other page address is one of the shell's (or not found, which the shell says in the visitor's language).
  app.get('/*', async (request, reply) => {
    if (!String(request.headers.accept ?? '').includes('text/html')) return reply.code(404).send({ error: 'not found' });
    return sendShell(request, reply);
  });
}
