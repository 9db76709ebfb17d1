import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AppConfig, loadConfigOrExit } from '../config';
import { openDatabase } from '../db/database';
import { createLogger } from '../core/logger';
import { type ReleaseCommand, parseReleaseArgs, RELEASE_USAGE, ReleaseUsageError as UsageError } from './release.args';
import { readBuild, REPOSITORY_ROOT } from './release.bootstrap';
import { ReleaseError } from './release.manifest';
import { releaseService } from './release.service';

let config: AppConfig | undefined;
/** The configuration, parsed once when a command first needs it; a bad one ends the command like every entry point. */
const configuration = (): AppConfig => (config ??= loadConfigOrExit());

async function overHttp(url: string, path: string, body: unknown): Promise<unknown> {
  const token = configuration().deployToken;
  if (!token) throw new UsageError('Set DEPLOY_TOKEN to the gateway’s deploy token to deploy over HTTP');
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const answer = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(`${response.status}: ${answer.error ?? response.statusText}`);
  return answer;
}

async function withDatabase<T>(work: (dataSource: Awaited<ReturnType<typeof openDatabase>>['dataSource']) => Promise<T>): Promise<T> {
  const database = await openDatabase(configuration(), createLogger('warn'));
  try {
    return await work(database.dataSource);
  } finally {
    await database.close();
  }
}

async function deploy({
  section,
  dist: given,
  build,
  url,
  dryRun,
  canaryPhones: phones,
  canaryPercent: percent,
}: Extract<ReleaseCommand, { kind: 'deploy' }>): Promise<void> {
  const dist = given ? resolve(given) : join(REPOSITORY_ROOT, section, 'dist');
  if (!given && build) {
    if (!existsSync(join(REPOSITORY_ROOT, section, 'package.json'))) throw new UsageError(`There is no package ${section}\n${RELEASE_USAGE}`);
    const built = spawnSync('npm', ['run', 'build', '-w', section], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`The build of ${section} failed; nothing was published`);
  }
  if (!existsSync(join(dist, 'manifest.json'))) throw new UsageError(`${dist} holds no manifest.json: build the section first`);
  const { manifest, files } = readBuild(dist);
  if ((manifest as { section?: string }).section !== section)
    throw new UsageError(`${dist} holds a build of ${(manifest as { section?: string }).section}, not ${section}`);
  const canary =
    phones !== undefined || percent !== undefined
      ? {
          administrators: (phones ?? '')
            .split(',')
            .map((p) => p.trim().replace(/^\+/, ''))
            .filter(Boolean),
          percent: percent === undefined ? 0 : Number(percent),
        }
      : undefined;
  const result = url
    ? await overHttp(url, '/releases', {
        manifest,
        files: Object.fromEntries([...files].map(([path, content]) => [path, content.toString('base64')])),
        dryRun,
        canary,
      })
    : await withDatabase((dataSource) => releaseService.publish(dataSource, manifest, files, `cli:${process.env.USER ?? 'unknown'}`, { dryRun, canary }));
  const { version, activated } = result as { version: string; activated: boolean };
  if (canary && !dryRun) {
    const who = [canary.administrators.join(', '), canary.percent ? `${canary.percent}% of administrators` : ''].filter(Boolean).join(' and ');
    process.stdout.write(`${section} ${version} is live as a canary for ${who}; promote or drop it with npm run deploy -- promote|drop ${section}\n`);
  } else if (dryRun) process.stdout.write(`${section} ${version} passes the registry's checks; nothing was published (dry run)\n`);
  else process.stdout.write(activated ? `${section} ${version} is live\n` : `${section} ${version} was already live\n`);
}

async function main(argv: string[]): Promise<void> {
  const command = parseReleaseArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${RELEASE_USAGE}\n`);
    return;
  }
  if (command.kind === 'rollback') {
    const { section, url } = command;
    const result = (
      url
        ? await overHttp(url, `/releases/${section}/rollback`, {})
        : await withDatabase((dataSource) => releaseService.rollback(dataSource, section, `cli:${process.env.USER ?? 'unknown'}`))
    ) as { version: string; from: string };
    process.stdout.write(`${section} rolled back from ${result.from} to ${result.version}\n`);
    return;
  }
  if (command.kind === 'promote' || command.kind === 'drop') {
    const { kind, section, url } = command;
    const actor = `cli:${process.env.USER ?? 'unknown'}`;
    const result = (
      url ? await overHttp(url, `/releases/${section}/${kind}`, {}) : await withDatabase((dataSource) => releaseService[kind](dataSource, section, actor))
    ) as { version: string };
    process.stdout.write(kind === 'promote' ? `${section} ${result.version} is live for everyone\n` : `${section} ${result.version} canary dropped\n`);
    return;
  }
  if (command.kind === 'list') {
    await withDatabase(async (dataSource) => {
      for (const release of await releaseService.active(dataSource)) {
        process.stdout.write(`${release.section}\t${release.version}\tlive since ${release.activatedAt.toISOString()}\n`);
      }
      process.stdout.write('\ncanaries (open first, then newest first):\n');
      for (const c of await releaseService.canaries(dataSource)) {
        const who = [c.administrators.join(','), c.percent ? `${c.percent}%` : ''].filter(Boolean).join(' + ');
        const state = c.endedAt ? `${c.outcome} ${c.endedAt.toISOString()} by ${c.endedBy}` : 'open';
        process.stdout.write(`${c.startedAt.toISOString()}\t${c.section}\t${c.version}\tfor ${who}\t${c.startedBy}\t${state}\n`);
      }
      process.stdout.write('\nhistory (newest first):\n');
      for (const entry of await releaseService.history(dataSource)) {
        const state = entry.live ? 'live' : entry.rolledBackAt ? `rolled back ${entry.rolledBackAt.toISOString()}` : 'replaced';
        process.stdout.write(`${entry.activatedAt.toISOString()}\t${entry.section}\t${entry.version}\t${entry.activatedBy}\t${state}\n`);
      }
    });
    return;
  }
  await deploy(command);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ReleaseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error instanceof UsageError ? 64 : 1);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
