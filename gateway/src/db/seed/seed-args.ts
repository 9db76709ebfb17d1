export type SeedCommand =
  | { kind: 'demo' }
  | { kind: 'bulk'; companies: number; numbers: number; seed?: number }
  | { kind: 'help' };

export class SeedArgsError extends Error {}

export const SEED_USAGE = `Usage:
  node dist/db/seed/seed.cli.js                                     seed the demo data (once)
  node dist/db/seed/seed.cli.js --companies N --numbers M [--seed S] add N companies with M numbers each`;

const MAX_SEED = 0xffffffff;

function parseInteger(option: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || raw.startsWith('--')) throw new SeedArgsError(`${option} needs a value`);
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    const expected = min === 0 ? 'an integer from 0 to ' + max : 'a positive integer';
    throw new SeedArgsError(`${option} must be ${expected}, got "${raw}"`);
  }
  return value;
}

export function parseSeedArgs(argv: readonly string[]): SeedCommand {
  const values = new Map<string, number>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const [option, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (option !== '--companies' && option !== '--numbers' && option !== '--seed') {
      throw new SeedArgsError(`Unknown argument "${arg}"`);
    }
    if (values.has(option)) throw new SeedArgsError(`${option} given twice`);
    const raw = inline ?? argv[++i];
    values.set(option, option === '--seed' ? parseInteger(option, raw, 0, MAX_SEED) : parseInteger(option, raw, 1, Number.MAX_SAFE_INTEGER));
  }
  if (values.size === 0) return { kind: 'demo' };
  const companies = values.get('--companies');
  const numbers = values.get('--numbers');
  if (companies === undefined || numbers === undefined) {
    throw new SeedArgsError('--companies and --numbers must be given together');
  }
  const seed = values.get('--seed');
  return seed === undefined ? { kind: 'bulk', companies, numbers } : { kind: 'bulk', companies, numbers, seed };
}
