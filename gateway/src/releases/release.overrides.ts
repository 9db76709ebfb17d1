import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Import-map overrides (single-spa's `import-map-overrides`): a developer points one section (or a shared library)
 * of a running portal at their own dev server, in their browser only, while everything else stays as deployed.
 *
 * Off unless the gateway's FRONTEND_OVERRIDES names the dev servers' origins, and even then the page carries the
 * machinery only for a signed-in administrator whose browser has turned it on (the `cabinet_overrides` cookie,
 * set by the shell's switch). Everyone else gets the page with its plain inline import map and the strict CSP.
 *
 * The CSP: import-map-overrides reads `<script type="overridable-importmap">` and normally inserts the merged map
 * as a new inline `<script type="importmap">` of its own. That element carries no nonce, and its text depends on
 * the browser's localStorage, so the gateway cannot send its hash ahead, and allowing it would need
 * 'unsafe-inline', which would let any injected inline script run too. So the page asks the library not to insert
 * the map (`<meta name="importmap-type" use-injector>`, the hook it has for an injector) and the gateway's own
 * injector script (below, served from this origin) merges the overrides with the library's `mergeImportMap` and
 * inserts the map with the nonce of this response only. Module scripts may then come from the configured dev
 * server origins and nowhere else: a stray override to any other address is refused by the browser.
 */

/** The per-browser switch the shell sets; only honoured for a signed-in administrator while the gateway allows overrides. */
export const OVERRIDES_COOKIE = 'cabinet_overrides';

const LIBRARY_VERSION: string = (() => {
  const server = require.resolve('import-map-overrides');
  return (JSON.parse(readFileSync(join(dirname(server), '..', 'package.json'), 'utf8')) as { version: string }).version;
})();

/** Where the gateway serves the library (its API build: the shell shows what is overridden, so no UI of the library is needed). */
export const OVERRIDES_LIBRARY_PATH = `/overrides/import-map-overrides-${LIBRARY_VERSION}.js`;
export const OVERRIDES_INJECTOR_PATH = '/overrides/inject.js';

/** The merged import map goes in with this response's nonce (see above); it runs right after the library. */
const INJECTOR = `// Puts the portal's import map in the page with this browser's overrides merged in, carrying the page's nonce.
(function () {
  var nonce = document.currentScript.nonce;
  var source = document.querySelector('script[type="overridable-importmap"]');
  var map = JSON.parse(source.textContent);
  var imo = window.importMapOverrides;
  if (imo) map = imo.mergeImportMap(map, imo.getOverrideMap());
  var script = document.createElement('script');
  script.type = 'importmap';
  script.id = 'import-map-overrides';
  script.nonce = nonce;
  script.textContent = JSON.stringify(map);
  source.after(script);
})();
`;

export interface OverridesAsset {
  content: Buffer;
  etag: string;
}

const asset = (content: Buffer): OverridesAsset => ({ content, etag: `"${createHash('sha256').update(content).digest('hex')}"` });

let assets: Map<string, OverridesAsset> | undefined;

/** The library and the injector, by path; read once from the installed package. */
export function overridesAssets(): Map<string, OverridesAsset> {
  assets ??= new Map([
    [OVERRIDES_LIBRARY_PATH, asset(readFileSync(join(dirname(require.resolve('import-map-overrides')), 'import-map-overrides-api.js')))],
    [OVERRIDES_INJECTOR_PATH, asset(Buffer.from(INJECTOR))],
  ]);
  return assets;
}

/** How a page is served: overrides not allowed, allowed but not on for this browser and administrator, or on. */
export type OverridesMode = { kind: 'none' } | { kind: 'allowed' } | { kind: 'on'; nonce: string; sources: readonly string[] };

export const newNonce = () => randomBytes(18).toString('base64');

/** What replaces the page's import-map mark. */
export function importMapMarkup(importMap: string, mode: OverridesMode): string {
  if (mode.kind === 'none') return `<script type="importmap">${importMap}</script>`;
  if (mode.kind === 'allowed') return `<meta name="cabinet-overrides" content="off">\n    <script type="importmap">${importMap}</script>`;
  return [
    '<meta name="cabinet-overrides" content="on">',
    // Vite's dev client gives the styles it injects this nonce (it reads it from this element).
    `<meta property="csp-nonce" nonce="${mode.nonce}">`,
    '<meta name="importmap-type" content="importmap" use-injector>',
    `<script type="overridable-importmap">${importMap}</script>`,
    `<script src="${OVERRIDES_LIBRARY_PATH}"></script>`,
    `<script src="${OVERRIDES_INJECTOR_PATH}" nonce="${mode.nonce}"></script>`,
  ].join('\n    ');
}

/** The sources a page with overrides on adds to its CSP: the dev servers' origins, and their WebSockets (hot reload). */
export function overrideSources(mode: OverridesMode): { code: string[]; connect: string[]; nonce?: string } {
  if (mode.kind !== 'on') return { code: [], connect: [] };
  const sockets = mode.sources.map((source) => source.replace(/^http/, 'ws'));
  return { code: [...mode.sources], connect: [...mode.sources, ...sockets], nonce: mode.nonce };
}
