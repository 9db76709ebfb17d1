// The last step of a package's own pipeline (`npm run ci -w <package>`): the registry checks the fresh build
// (manifest, files, kit versions against the live releases) and keeps nothing. With REGISTRY_URL (and
// DEPLOY_TOKEN) that is a deployed gateway's registry; without, the local one (DATABASE_URL or DATA_DIR).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.cwd();
const root = join(dir, '..');
const section = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name.replace(/^@cabinet\//, '');
const dist = process.env.SECTION_OUT_DIR || join(dir, 'dist');
const cli = join(root, 'gateway', 'dist', 'releases', 'release.cli.js');
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

// The gateway is the registry's code, not another section: it is compiled here when it was not yet.
if (!existsSync(cli) && run('npm', ['run', 'build', '-w', 'gateway', '--silent']) !== 0) process.exit(1);
const url = process.env.REGISTRY_URL;
process.exit(run(process.execPath, [cli, section, '--dist', dist, '--dry-run', ...(url ? ['--url', url] : [])]));
