import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AppConfig, loadConfigOrExit } from '../config';
import { openDatabase } from '../db/database';
import { createLogger } from '../logger';
import { readBuild, REPOSITORY_ROOT } from './release.bootstrap';
import { ReleaseError, SECTION_NAME } from './release.manifest';
import { releaseService } from './release.service';

const USAGE = `Usage: npm run deploy -- <section> [--dist DIR] [--no-build] [--url URL] [--dry-run] [--canary PHONES] [--canary-percent N]
         builds the section (npm run build -w <section>) and publishes it as the live release;
         with --dry-run the registry checks the build (manifest, files, kit versions) and keeps nothing;
         with --canary 77010000001,77010000002 and/or --canary-percent 10 it is live only for those administrators
       npm run deploy -- promote <section> [--url URL]
         makes the section's canary live for everyone
       npm run deploy -- drop <section> [--url URL]
         ends the section's canary; everyone gets the release live for everyone
       npm run deploy -- rollback <section> [--url URL]
         makes the release that was live before the current one live again
       npm run deploy -- list
         live release of every section and the recent history

Sections: mf-shell, mf-numbers, mf-documents, mf-profile. Without --url the registry is the gateway's database
(DATABASE_URL, or the embedded one under DATA_DIR, even while the gateway runs); with --url the gateway's
deploy endpoint is called with the token in DEPLOY_TOKEN. Running gateways serve the new release at once.`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function sectionArgument(value: string | undefined): string {
  if (!value || !SECTION_NAME.test(value)) throw new UsageError(`A section name is required (e.g. mf-numbers)\n${USAGE}`);
  return value;
}

async function overHttp(config: AppConfig, url: string, path: string, body: unknown): Promise<unknown> {
  const token = config.deployToken;
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

async function withDatabase<T>(config: AppConfig, work: (dataSource: Awaited<ReturnType<typeof openDatabase>>['dataSource']) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, createLogger('warn'));
  try {
    return await work(database.dataSource);
  } finally {
    await database.close();
  }
}

async function deploy(config: AppConfig, section: string, args: string[]): Promise<void> {
  const given = option(args, 'dist');
  const dist = given ? resolve(given) : join(REPOSITORY_ROOT, section, 'dist');
  if (!given && !args.includes('--no-build')) {
    if (!existsSync(join(REPOSITORY_ROOT, section, 'package.json'))) throw new UsageError(`There is no package ${section}\n${USAGE}`);
    const built = spawnSync('npm', ['run', 'build', '-w', section], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`The build of ${section} failed; nothing was published`);
  }
  if (!existsSync(join(dist, 'manifest.json'))) throw new UsageError(`${dist} holds no manifest.json: build the section first`);
  const { manifest, files } = readBuild(dist);
  if ((manifest as { section?: string }).section !== section) throw new UsageError(`${dist} holds a build of ${(manifest as { section?: string }).section}, not ${section}`);
  const url = option(args, 'url');
  const dryRun = args.includes('--dry-run');
  const phones = option(args, 'canary');
  const percent = option(args, 'canary-percent');
  const canary =
    phones !== undefined || percent !== undefined
      ? { administrators: (phones ?? '').split(',').map((p) => p.trim().replace(/^\+/, '')).filter(Boolean), percent: percent === undefined ? 0 : Number(percent) }
      : undefined;
  const result = url
    ? await overHttp(config, url, '/releases', { manifest, files: Object.fromEntries([...files].map(([path, content]) => [path, content.toString('base64')])), dryRun, canary })
    : await withDatabase(config, (dataSource) => releaseService.publish(dataSource, manifest, files, `cli:${process.env.USER ?? 'unknown'}`, { dryRun, canary }));
  const { version, activated } = result as { version: string; activated: boolean };
  if (canary && !dryRun) {
    const who = [canary.administrators.join(', '), canary.percent ? `${canary.percent}% of administrators` : ''].filter(Boolean).join(' and ');
    process.stdout.write(`${section} ${version} is live as a canary for ${who}; promote or drop it with npm run deploy -- promote|drop ${section}\n`);
  } else if (dryRun) process.stdout.write(`${section} ${version} passes the registry's checks; nothing was published (dry run)\n`);
  else process.stdout.write(activated ? `${section} ${version} is live\n` : `${section} ${version} was already live\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfigOrExit();
  if (command === 'rollback') {
    const section = sectionArgument(args[0]);
    const url = option(args, 'url');
    const result = (url
      ? await overHttp(config, url, `/releases/${section}/rollback`, {})
      : await withDatabase(config, (dataSource) => releaseService.rollback(dataSource, section, `cli:${process.env.USER ?? 'unknown'}`))) as { version: string; from: string };
    process.stdout.write(`${section} rolled back from ${result.from} to ${result.version}\n`);
    return;
  }
  if (command === 'promote' || command === 'drop') {
    const section = sectionArgument(args[0]);
    const url = option(args, 'url');
    const actor = `cli:${process.env.USER ?? 'unknown'}`;
    const result = (url
      ? await overHttp(config, url, `/releases/${section}/${command}`, {})
      : await withDatabase(config, (dataSource) => releaseService[command](dataSource, section, actor))) as { version: string };
    process.stdout.write(command === 'promote' ? `${section} ${result.version} is live for everyone\n` : `${section} ${result.version} canary dropped\n`);
    return;
  }
  if (command === 'list') {
    await withDatabase(config, async (dataSource) => {
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
  await deploy(config, sectionArgument(command), args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ReleaseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error instanceof UsageError ? 64 : 1);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
