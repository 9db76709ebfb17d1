// `npm start` on a fresh clone: builds every front-end package that has no build yet (dist/manifest.json),
// so that the gateway can register them at start-up. Built packages are left alone: `npm run deploy` ships changes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The shell first: it is what every page needs.
const packages = readdirSync(root)
  .filter((name) => /^mf-[a-z][a-z0-9-]*$/.test(name) && existsSync(join(root, name, 'package.json')))
  .sort((a, b) => (a === 'mf-shell' ? -1 : b === 'mf-shell' ? 1 : a.localeCompare(b)));
for (const name of packages) {
  if (existsSync(join(root, name, 'dist', 'manifest.json'))) continue;
  console.log(`building ${name} (no build yet)`);
  const result = spawnSync('npm', ['run', 'build', '-w', name, '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
