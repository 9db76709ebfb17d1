// `npm run lint` of one front-end package, as its own pipeline runs it: ESLint and Prettier over the package's
// files, and the architecture's import rules over its sources, with the repository's one configuration of each.
import { spawnSync } from 'node:child_process';
import { basename, join, resolve } from 'node:path';

const root = resolve(process.cwd(), '..');
const section = basename(process.cwd());
const bin = (name) => join(root, 'node_modules', '.bin', name);
const steps = [
  [bin('eslint'), ['--cache', '--cache-location', `node_modules/.cache/eslint-${section}/`, section]],
  [bin('prettier'), ['--check', section]],
  [bin('depcruise'), ['--config', '.dependency-cruiser.cjs', `${section}/src`]],
];
let failed = false;
for (const [command, args] of steps) {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
