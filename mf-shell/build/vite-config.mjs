import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { PRODUCTION_DEFINES, isShared, sharedPackageOf } from './shared.mjs';

/** Fails the build when a module of a shared library was bundled instead of being left to the import map. */
export function sharedLibrariesStayExternal() {
  return {
    name: 'cabinet:shared-libraries-stay-external',
    generateBundle(_options, bundle) {
      const leaked = new Set();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of output.moduleIds ?? Object.keys(output.modules ?? {})) {
          const name = sharedPackageOf(id);
          if (name) leaked.add(`${name} (in ${output.fileName})`);
        }
      }
      if (leaked.size > 0) this.error(`shared libraries were bundled; they must come from the import map: ${[...leaked].join(', ')}`);
    },
  };
}

// The prefix of the module that stands for a shared library in the dev server (see sharedLibrariesFromThePortal).
const SHARED_DEV_PREFIX = '/@id/__x00__cabinet-shared/';

/**
 * In the dev server, the shared libraries stay bare imports, resolved by the import map of the portal the section is
 * loaded into, as in the production build. Vite's dev server rewrites every import it can resolve and has no
 * externals of its own, so each shared import resolves to a virtual module whose URL this server answers, before
 * Vite transforms anything, with a re-export of the bare specifier: the portal's one copy of Vue, the kit and the rest.
 */
export function sharedLibrariesFromThePortal() {
  return {
    name: 'cabinet:shared-libraries-from-the-portal',
    apply: 'serve',
    enforce: 'pre',
    resolveId(id) {
      return isShared(id) ? `\0cabinet-shared/${id}` : undefined;
    },
    load(id) {
      return id.startsWith('\0cabinet-shared/') ? `export * from ${JSON.stringify(id.slice('\0cabinet-shared/'.length))};` : undefined;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        if (!path.startsWith(SHARED_DEV_PREFIX)) return next();
        const specifier = decodeURIComponent(path.slice(SHARED_DEV_PREFIX.length));
        if (!isShared(specifier)) return next();
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.setHeader('cache-control', 'no-cache');
        res.end(`export * from ${JSON.stringify(specifier)};\n`);
      });
    },
  };
}

/** The stable URL of a section's entry in its dev server, and the override that points the portal at it. */
export const devEntryPath = (section) => `/${section}.js`;

const HOT_UPDATE_FALLBACK = '\0cabinet-hot-update-fallback';
const HOT_UPDATE_FALLBACK_CODE = `// Vue's production build has no __VUE_HMR_RUNTIME__: a changed component reloads the page.
const reload = () => location.reload();
globalThis.__VUE_HMR_RUNTIME__ ??= { createRecord: () => false, rerender: reload, reload };
`;

/**
 * The section's entry at a stable URL (`/mf-numbers.js`), with Vite's client in it: the portal page loads the entry
 * from another origin, so no HTML of the dev server brings the client. A style change is swapped in place; any
 * other change reloads the portal page: the portal runs the production build of Vue, which has no hot-update runtime,
 * so the one the components' hot-update code calls reloads the page instead.
 */
export function sectionEntryInDevServer({ section, entry, version }) {
  let entryFile;
  return {
    name: 'cabinet:section-entry-in-dev-server',
    apply: 'serve',
    configResolved(config) {
      entryFile = join(config.root, entry);
    },
    resolveId(id) {
      return id === HOT_UPDATE_FALLBACK ? id : undefined;
    },
    load(id) {
      return id === HOT_UPDATE_FALLBACK ? HOT_UPDATE_FALLBACK_CODE : undefined;
    },
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const [path, query] = (req.url ?? '').split('?');
        if (path === devEntryPath(section)) req.url = `/${entry}${query ? `?${query}` : ''}`;
        next();
      });
      server.httpServer?.once('listening', () => {
        const address = server.httpServer.address();
        const host = server.config.server.host === '127.0.0.1' || !server.config.server.host ? '127.0.0.1' : server.config.server.host;
        const url = `http://${host}:${address.port}${devEntryPath(section)}`;
        const specifier = `@cabinet/${section}`;
        server.config.logger.info(
          [
            '',
            `  ${section} dev server: ${url}`,
            `  Override it in a portal that allows overrides (signed in, section overrides turned on in the page's footer),`,
            `  in the browser's console:`,
            `    localStorage.setItem('import-map-override:${specifier}', '${url}'); location.reload()`,
            '',
          ].join('\n'),
          { clear: false, timestamp: false },
        );
      });
    },
    // Vite's dev server would set `define`d names on the page's globalThis, shared by every section of the portal:
    // the section's name and version are written into the entry instead.
    transform(code, id) {
      if (id !== entryFile) return undefined;
      const named = code.replace(/\b__SECTION_NAME__\b/g, JSON.stringify(section)).replace(/\b__SECTION_VERSION__\b/g, JSON.stringify(version));
      return { code: `import '/@vite/client';\nimport ${JSON.stringify(HOT_UPDATE_FALLBACK)};\n${named}`, map: null };
    },
  };
}

/**
 * The dev server of a section (`npm run dev -w mf-numbers`): its entry at `http://127.0.0.1:<port>/<section>.js`,
 * the shared libraries taken from the portal's import map, and CORS open to the portal's origin (PORTAL_ORIGIN,
 * comma-separated; unset: any origin on this machine, as Vite allows by default). `cabinet.devPort` of the
 * package gives the port (strict, so the override URL stays the same).
 */
function devServerOptions(pkg) {
  const portals = (process.env.PORTAL_ORIGIN ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return {
    host: '127.0.0.1',
    port: Number(process.env.DEV_PORT || pkg.cabinet?.devPort || 5173),
    strictPort: true,
    cors: { origin: portals.length > 0 ? portals : /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/ },
  };
}

/**
 * The Vite configuration of a Cabinet front-end package: a plain ES library build with content-hashed
 * file names, the shared libraries external, and the section's name and version compiled in.
 * `SECTION_OUT_DIR` overrides the output folder, `SECTION_VERSION` the version (CI pipelines set it).
 */
export function frontEndConfig({ dir, entries, extraExternal = [] }) {
  return defineConfig(({ command }) => (command === 'serve' ? sectionDevConfig({ dir, entries }) : buildConfig({ dir, entries, extraExternal })));
}

/** The dev server configuration of a section; its one entry is the section's own (`entries` as for the build). */
export function sectionDevConfig({ dir, entries }) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const section = pkg.name.replace(/^@cabinet\//, '');
  const entry = entries[section];
  if (!entry) throw new Error(`${section} has no entry of its own to serve (the shell is not served on its own: it is the portal)`);
  return {
    root: dir,
    configFile: false,
    logLevel: 'info',
    // The portal's Vue is the production build: templates are compiled for it, without Vue's hot-update hooks.
    plugins: [
      vue({ isProduction: true, features: { optionsAPI: false, prodDevtools: false } }),
      sharedLibrariesFromThePortal(),
      sectionEntryInDevServer({ section, entry, version: `${pkg.version}+dev` }),
    ],
    resolve: {
      alias: {
        '@cabinet/kit/styles': join(dir, '..', 'mf-shell', 'src', 'kit', 'styles'),
        // The contract's rules from their TypeScript source: their build is CommonJS, which browsers do not import.
        '@cabinet/schema/rules': join(dir, '..', 'schema', 'rules', 'index.ts'),
      },
    },
    // Nothing is pre-bundled: the libraries a section shares come from the portal, the rest is its own source.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: devServerOptions(pkg),
  };
}

function buildConfig({ dir, entries, extraExternal }) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const section = pkg.name.replace(/^@cabinet\//, '');
  const version = process.env.SECTION_VERSION || pkg.version;
  return {
    root: dir,
    configFile: false,
    logLevel: 'warn',
    plugins: [vue({ features: { optionsAPI: false, prodDevtools: false } }), sharedLibrariesStayExternal()],
    define: {
      ...PRODUCTION_DEFINES,
      __SECTION_NAME__: JSON.stringify(section),
      __SECTION_VERSION__: JSON.stringify(version),
    },
    resolve: {
      alias: { '@cabinet/kit/styles': join(dir, '..', 'mf-shell', 'src', 'kit', 'styles') },
    },
    build: {
      outDir: process.env.SECTION_OUT_DIR || join(dir, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      manifest: true,
      cssCodeSplit: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: { entry: entries, formats: ['es'] },
      rollupOptions: {
        external: (id) => isShared(id) || extraExternal.includes(id),
        output: {
          entryFileNames: '[name].[hash].js',
          chunkFileNames: 'chunks/[name].[hash].js',
          assetFileNames: '[name].[hash][extname]',
          // Library mode keeps whitespace in ES output whatever `minify` says (for bundlers that would read it
          // again); a section's files are what browsers load, so they are minified in full. The shell's (and the
          // shared libraries it builds) keep the library output its section-failure recovery is tested with.
          minify: section !== 'mf-shell',
        },
      },
    },
  };
}
