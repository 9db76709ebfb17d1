import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger';
import { SHELL } from './release.manifest';
import { releaseService } from './release.service';

/** The repository root, where the front-end packages (mf-*) live beside gateway/. */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');

/** Reads a built front-end package (`<dist>/manifest.json` and the files it lists). */
export function readBuild(dist: string): { manifest: unknown; files: Map<string, Buffer> } {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { files?: { path: string }[] };
  const files = new Map<string, Buffer>();
  for (const file of manifest.files ?? []) files.set(file.path, readFileSync(join(dist, file.path)));
  return { manifest, files };
}

/**
 * First run: publishes the build of every front-end package that has no release in the registry yet, so that
 * `npm start` serves the portal without a deploy step. Packages already published are left to `npm run deploy`.
 */
export async function registerMissingReleases(dataSource: DataSource, log: Logger, root = REPOSITORY_ROOT): Promise<string[]> {
  const published = await releaseService.publishedSections(dataSource);
  const registered: string[] = [];
  // The shell first: its import map is what the sections' imports are checked against.
  const packages = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^mf-[a-z][a-z0-9-]*$/.test(name))
        .sort((a, b) => (a === SHELL ? -1 : b === SHELL ? 1 : a.localeCompare(b)))
    : [];
  for (const name of packages) {
    if (published.has(name)) continue;
    const dist = join(root, name, 'dist');
    if (!existsSync(join(dist, 'manifest.json'))) {
      log.warn({ section: name }, `front-end section ${name} is not built (run npm run build -w ${name}); it is not served`);
      continue;
    }
    try {
      const { manifest, files } = readBuild(dist);
      const result = await releaseService.publish(dataSource, manifest, files, 'start-up');
      registered.push(`${result.section} ${result.version}`);
    } catch (error) {
      log.error({ err: error, section: name }, `front-end section ${name} could not be registered`);
    }
  }
  if (registered.length > 0) log.info({ releases: registered }, 'front-end sections registered on first run');
  return registered;
}
