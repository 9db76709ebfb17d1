import { createHash } from 'node:crypto';

/** A small build of a section, as its build script would describe it, for tests. */
export function fakeBuild(section: string, version: string, contents: Record<string, string> = {}) {
  const entry = `${section}.${version.replace(/\W/g, '')}.js`;
  const files: Record<string, string> = {
    [entry]: `export const bootstrap = async () => {}; export const mount = async () => {}; export const unmount = async () => {}; // ${version}\n${'/* padding */'.repeat(60)}`,
    ...contents,
  };
  if (section === 'mf-shell') files['index.html'] ??= '<!doctype html><html><head><!--cabinet:importmap--></head><body><div id="cabinet"></div></body></html>';
  const buffers = new Map(Object.entries(files).map(([path, text]) => [path, Buffer.from(text)]));
  const imports: Record<string, string> = section === 'mf-shell' ? { vue: entry, '@cabinet/kit': entry } : { [`@cabinet/${section}`]: entry };
  const manifest = {
    section,
    version,
    entry,
    ...(section === 'mf-shell' ? { index: 'index.html' } : {}),
    routes: section === 'mf-shell' ? ['/', '/login'] : [`/${section.replace(/^mf-/, '')}`],
    imports,
    files: [...buffers].map(([path, content]) => ({ path, sha256: createHash('sha256').update(content).digest('hex'), size: content.length })),
  };
  return { manifest, files: buffers, entry };
}
