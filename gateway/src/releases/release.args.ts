import { parseArgs } from 'node:util';
import { SECTION_NAME } from './release.manifest';

export const RELEASE_USAGE = `Usage: npm run deploy -- <section> [--dist DIR] [--no-build] [--url URL] [--dry-run] [--canary PHONES] [--canary-percent N]
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

type RegistryCommand<K extends string> = { kind: K; section: string; url?: string };

export type ReleaseCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | RegistryCommand<'rollback'>
  | RegistryCommand<'promote'>
  | RegistryCommand<'drop'>
  | {
      kind: 'deploy';
      section: string;
      dist?: string;
      build: boolean;
      url?: string;
      dryRun: boolean;
      canaryPhones?: string;
      canaryPercent?: string;
    };

/** The deploy command was called wrongly (exit code 64, as sysexits' EX_USAGE). */
export class ReleaseUsageError extends Error {}

/** node:util's parseArgs reports an unknown option, a positional argument or a missing value by an error code. */
function isParseArgsError(error: unknown): error is { message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

const DEPLOY_OPTIONS = {
  dist: { type: 'string' },
  'no-build': { type: 'boolean' },
  url: { type: 'string' },
  'dry-run': { type: 'boolean' },
  canary: { type: 'string' },
  'canary-percent': { type: 'string' },
} as const;

const REGISTRY_OPTIONS = { url: { type: 'string' } } as const;

function parse<const O extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    if (isParseArgsError(error)) throw new ReleaseUsageError(`${error.message}\n${RELEASE_USAGE}`);
    throw error;
  }
}

function section(value: string | undefined, extra: string[] = []): string {
  if (!value || !SECTION_NAME.test(value)) throw new ReleaseUsageError(`A section name is required (e.g. mf-numbers)\n${RELEASE_USAGE}`);
  if (extra.length > 0) throw new ReleaseUsageError(`Unexpected argument '${extra[0]}'\n${RELEASE_USAGE}`);
  return value;
}

export function parseReleaseArgs(argv: readonly string[]): ReleaseCommand {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') return { kind: 'help' };
  if (command === 'list') {
    const { positionals } = parse(args, {});
    if (positionals.length > 0) throw new ReleaseUsageError(`Unexpected argument '${positionals[0]}'\n${RELEASE_USAGE}`);
    return { kind: 'list' };
  }
  if (command === 'rollback' || command === 'promote' || command === 'drop') {
    const { values, positionals } = parse(args, REGISTRY_OPTIONS);
    const [name, ...extra] = positionals;
    return { kind: command, section: section(name, extra), url: values.url };
  }
  const { values, positionals } = parse(args, DEPLOY_OPTIONS);
  return {
    kind: 'deploy',
    section: section(command, positionals),
    dist: values.dist,
    build: !values['no-build'],
    url: values.url,
    dryRun: values['dry-run'] ?? false,
    canaryPhones: values.canary,
    canaryPercent: values['canary-percent'],
  };
}
