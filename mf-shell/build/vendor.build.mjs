// Builds the shared libraries once for the browser: one ES module per import-map entry, with common code in
// shared chunks (so Apollo's core is loaded once whichever of its entries a section imports), content-hashed.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { PRODUCTION_DEFINES } from './shared.mjs';
import { VENDOR } from './vendor/vendor.entries.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const shell = join(here, '..');
const outDir = process.env.SECTION_OUT_DIR || join(shell, 'dist');
const require = createRequire(join(shell, 'package.json'));

const entries = Object.fromEntries(
  Object.values(VENDOR)
    .filter((v) => v.entry)
    .map((v) => [v.entry, join(here, 'vendor', `${v.entry}.js`)]),
);

await build({
  root: shell,
  configFile: false,
  logLevel: 'warn',
  define: PRODUCTION_DEFINES,
  resolve: { dedupe: ['vue', 'graphql'] },
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    manifest: '.vite/vendor-manifest.json',
    copyPublicDir: false,
    reportCompressedSize: false,
    lib: { entry: entries, formats: ['es'] },
    rollupOptions: {
      external: ['vue'],
      output: { entryFileNames: 'vendor/[name].[hash].js', chunkFileNames: 'vendor/[name].[hash].js' },
    },
  },
});

const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'vendor-manifest.json'), 'utf8'));
const fileOfEntry = (name) => {
  const record = Object.values(manifest).find((r) => r.isEntry && r.name === name);
  if (!record) throw new Error(`vendor entry ${name} missing from the build`);
  return record.file;
};

const imports = {};
for (const [specifier, vendor] of Object.entries(VENDOR)) {
  let file;
  if (vendor.copy) {
    const source = require.resolve(vendor.copy);
    const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 8);
    file = `vendor/${basename(source, '.js')}.${hash}.js`;
    mkdirSync(join(outDir, 'vendor'), { recursive: true });
    copyFileSync(source, join(outDir, file));
  } else {
    file = fileOfEntry(vendor.entry);
  }
  imports[specifier] = file;
  for (const alias of vendor.alias ?? []) imports[alias] = file;
}
writeFileSync(join(outDir, '.vite', 'vendor-imports.json'), `${JSON.stringify(imports, null, 2)}\n`);
