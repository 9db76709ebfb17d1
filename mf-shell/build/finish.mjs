// Last step of every front-end build: checks that the shared libraries stayed external, writes the release
// manifest (section, version, entry, import-map entries, files with sha256) that the gateway's release
// registry publishes, and prints the gzip size of every file against the budgets.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';
import { SHARED_SPECIFIERS } from './shared.mjs';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const section = pkg.name.replace(/^@cabinet\//, '');
const outDir = process.env.SECTION_OUT_DIR || join(dir, 'dist');
const isShell = section === 'mf-shell';
const KB = 1024;
const BUDGETS = { shell: 30 * KB, kit: 30 * KB, vendor: 150 * KB, section: 60 * KB };

function walk(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === '.vite' ? [] : walk(path);
    return entry.name === 'manifest.json' ? [] : [relative(outDir, path).split(sep).join('/')];
  });
}

const viteManifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));

// The package's GraphQL documents by sha256, as codegen listed them: the release's trusted documents, which the
// kit sends by hash and the gateway can insist on (TRUSTED_DOCUMENTS).
const DOCUMENTS = 'documents.json';
const persisted = join(dir, 'src', 'graphql', 'generated', 'persisted-documents.json');
const hasDocuments = existsSync(persisted);
if (hasDocuments) copyFileSync(persisted, join(outDir, DOCUMENTS));
const entryRecord = (name) => Object.values(viteManifest).find((r) => r.isEntry && r.name === name);
const cssFiles = walk(outDir).filter((f) => f.endsWith('.css'));
if (cssFiles.length > 1) throw new Error(`${section}: expected at most one CSS file, got ${cssFiles.join(', ')}`);

const imports = {};
let entry;
if (isShell) {
  Object.assign(imports, JSON.parse(readFileSync(join(outDir, '.vite', 'vendor-imports.json'), 'utf8')));
  imports['@cabinet/kit'] = entryRecord('kit').file;
  entry = entryRecord('cabinet-shell').file;
  imports['@cabinet/shell'] = entry;
  const template = readFileSync(join(dir, 'index.html'), 'utf8');
  const preload = ['vue', '@cabinet/kit', 'vue-router', 'vue-i18n', '@apollo/client/core', 'single-spa']
    .map((s) => `  <link rel="modulepreload" href="/assets/mf-shell/${imports[s]}">`)
    .join('\n');
  const html = template
    .replace('<!--cabinet:styles-->', cssFiles.map((f) => `<link rel="stylesheet" href="/assets/mf-shell/${f}">`).join('\n  '))
    .replace('<!--cabinet:preload-->', preload.trimStart())
    .replace('<!--cabinet:entry-->', `<script type="module" src="/assets/mf-shell/${entry}"></script>`);
  writeFileSync(join(outDir, 'index.html'), html);
} else {
  entry = entryRecord(section).file;
  imports[`@cabinet/${section}`] = entry;
  if (cssFiles[0]) imports[`@cabinet/${section}/style.css`] = cssFiles[0];
}

// A bare import that is not in the import map would fail in the browser; one of a bundled library means it was not left external.
const allowed = new Set([...SHARED_SPECIFIERS, ...Object.keys(imports)]);
await init;
const files = walk(outDir).sort();
const problems = [];
for (const file of files.filter((f) => f.endsWith('.js'))) {
  const [moduleImports] = parse(readFileSync(join(outDir, file), 'utf8'), file);
  for (const { n: specifier } of moduleImports) {
    if (!specifier || /^(\.{1,2}\/|\/)/.test(specifier)) continue;
    if (!allowed.has(specifier) && !specifier.startsWith('@cabinet/')) problems.push(`${file} imports "${specifier}", which the import map does not provide`);
  }
}

const described = files.map((path) => {
  const content = readFileSync(join(outDir, path));
  return { path, sha256: createHash('sha256').update(content).digest('hex'), size: content.length, gzip: gzipSync(content, { level: 9 }).length };
});
const buildHash = createHash('sha256')
  .update(described.map((f) => `${f.path}:${f.sha256}`).join('\n'))
  .digest('hex')
  .slice(0, 10);
const version = process.env.SECTION_VERSION || `${pkg.version}+${buildHash}`;
const manifest = {
  section,
  version,
  entry,
  ...(isShell ? { index: 'index.html' } : {}),
  routes: pkg.cabinet?.routes ?? [],
  imports,
  files: described.map(({ path, sha256, size }) => ({ path, sha256, size })),
  // The shell states the kit version it provides, a section the kit range it works with; the registry checks them.
  ...(pkg.cabinet?.kit ? { kit: pkg.cabinet.kit } : {}),
  ...(hasDocuments ? { documents: DOCUMENTS } : {}),
};
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (bytes) => `${(bytes / KB).toFixed(1)} kB`;
const sum = (list) => list.reduce((total, f) => total + f.gzip, 0);
const groups = isShell
  ? [
      {
        label: 'shell (root config, layout, screens)',
        files: described.filter((f) => f.path.startsWith('cabinet-shell.') || (f.path.endsWith('.css') && !f.path.includes('/'))),
        budget: BUDGETS.shell,
      },
      { label: 'kit (@cabinet/kit)', files: described.filter((f) => f.path.startsWith('kit.')), budget: BUDGETS.kit },
      { label: 'shared vendor, loaded once', files: described.filter((f) => f.path.startsWith('vendor/')), budget: BUDGETS.vendor },
    ]
  : [{ label: `section ${section}`, files: described.filter((f) => /\.(js|css)$/.test(f.path)), budget: BUDGETS.section }];

console.log(`\n${section} ${version} → ${relative(process.cwd(), outDir) || '.'}`);
for (const group of groups) {
  const total = sum(group.files);
  const over = group.budget !== undefined && total > group.budget;
  console.log(`  ${group.label}: ${kb(total)} gzip${group.budget ? ` (budget ${kb(group.budget)})` : ''}${over ? '  OVER BUDGET' : ''}`);
  for (const f of group.files) console.log(`    ${f.path.padEnd(56)} ${kb(f.size).padStart(9)} ${kb(f.gzip).padStart(9)} gzip`);
  if (over) problems.push(`${group.label} is ${kb(total)} gzip, over its budget of ${kb(group.budget)}`);
}
if (problems.length > 0) {
  console.error(`\n${section}: build check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
