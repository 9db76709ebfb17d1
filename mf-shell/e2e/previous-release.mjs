// Builds front-end packages as the previous release of the repository had them, for version-skew tests.
// The sources come from git history (`git archive`, so no worktree is registered and nothing is checked out);
// the installed node_modules are shared through a symlink, as the lockfile changes rarely between releases.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './gateway.mjs';

// Before the contract's rules moved into schema/rules, the kit imported the gateway's password rule by path.
// The contract's rules are compiled with the repository's base TypeScript options.
const FRONT_END = [
  'mf-shell',
  'mf-numbers',
  'mf-documents',
  'mf-profile',
  'schema',
  'codegen.yml',
  'package.json',
  'tsconfig.base.json',
  'gateway/src/auth/password-rules.ts',
];
// The code that ships to browsers; a change of build scripts or tests alone is not a new release of it.
const SHIPPED = ['mf-shell/src', 'mf-numbers/src', 'mf-documents/src', 'mf-profile/src'];

function git(args) {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * The previous release: `PREVIOUS_RELEASE` (a commit) if set, else the front end as it was before the latest change
 * of every one of `sections` — the parent of the oldest of their newest commits, so that each section built from it
 * differs from the current one.
 */
export function previousReleaseCommit(sections = SHIPPED.map((path) => path.split('/')[0])) {
  if (process.env.PREVIOUS_RELEASE) return git(['rev-parse', '--verify', `${process.env.PREVIOUS_RELEASE}^{commit}`]);
  const latest = sections
    .map((section) => git(['log', '-1', '--format=%H', 'HEAD', '--', `${section}/src`]))
    .sort((a, b) => Number(git(['rev-list', '--count', a])) - Number(git(['rev-list', '--count', b])))[0];
  return git(['rev-parse', `${latest}^`]);
}

/**
 * Builds `sections` from `commit` into `<out>/<section>` with version `previous-<short commit>`.
 * Returns `{ commit, version, dist: { section: dir }, remove() }`.
 */
export async function buildPreviousRelease(sections, commit = previousReleaseCommit(sections)) {
  const source = await mkdtemp(join(tmpdir(), 'cabinet-previous-src-'));
  const out = await mkdtemp(join(tmpdir(), 'cabinet-previous-dist-'));
  const remove = () => Promise.all([rm(source, { recursive: true, force: true }), rm(out, { recursive: true, force: true })]);
  try {
    const present = FRONT_END.filter((path) => spawnSync('git', ['cat-file', '-e', `${commit}:${path}`], { cwd: ROOT }).status === 0);
    const archive = spawnSync('git', ['archive', '--format=tar', commit, ...present], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
    if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`);
    const untar = spawnSync('tar', ['-x', '-C', source], { input: archive.stdout });
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
    await symlink(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    const version = `previous-${commit.slice(0, 10)}`;
    const dist = {};
    for (const section of sections) {
      dist[section] = join(out, section);
      const built = spawnSync('npm', ['run', 'build', '-w', section, '--silent'], {
        cwd: source,
        env: { ...process.env, SECTION_OUT_DIR: dist[section], SECTION_VERSION: version },
        encoding: 'utf8',
      });
      if (built.status !== 0) throw new Error(`building ${section} at ${commit} failed:\n${built.stdout}\n${built.stderr}`);
    }
    return { commit, version, dist, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
