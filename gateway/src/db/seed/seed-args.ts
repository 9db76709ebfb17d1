import { parseArgs } from 'node:util';

export type SeedCommand = { kind: 'demo' } | { kind: 'bulk'; companies: number; numbers: number; seed?: number } | { kind: 'help' };

export class SeedArgsError extends Error {}

export const SEED_USAGE = `Usage:
  node dist/db/seed/seed.cli.js                                     seed the demo data (once)
  node dist/db/seed/seed.cli.js --companies N --numbers M [--seed S] add N companies with M numbers each`;

const MAX_SEED = 0xffffffff;

const OPTIONS = {
  companies: { type: 'string' },
  numbers: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** node:util's parseArgs reports an unknown option, a positional argument or a missing value by an error code. */
function isParseArgsError(error: unknown): error is { message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function parseInteger(option: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined) return NaN;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    const expected = min === 0 ? 'an integer from 0 to ' + max : 'a positive integer';
    throw new SeedArgsError(`${option} must be ${expected}, got "${raw}"`);
  }
  return value;
}

export function parseSeedArgs(argv: readonly string[]): SeedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    if (isParseArgsError(error)) throw new SeedArgsError(error.message);
    throw error;
  }
  const { values, tokens } = parsed;
  if (values.help) return { kind: 'help' };
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new SeedArgsError(`--${token.name} given twice`);
    seen.add(token.name);
  }
  if (seen.size === 0) return { kind: 'demo' };
  const companies = parseInteger('--companies', values.companies, 1, Number.MAX_SAFE_INTEGER);
  const numbers = parseInteger('--numbers', values.numbers, 1, Number.MAX_SAFE_INTEGER);
  const seed = parseInteger('--seed', values.seed, 0, MAX_SEED);
  if (Number.isNaN(companies) || Number.isNaN(numbers)) throw new SeedArgsError('--companies and --numbers must be given together');
  return Number.isNaN(seed) ? { kind: 'bulk', companies, numbers } : { kind: 'bulk', companies, numbers, seed };
}
