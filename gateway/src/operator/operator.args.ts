import { parseArgs } from 'node:util';

export const OPERATOR_USAGE = `Usage: npm run operator -- <command>
  grant --phone 7XXXXXXXXXX --bin BIN       give an administrator access to a company
  revoke --phone 7XXXXXXXXXX --bin BIN      take it away (the company's data disappears from their sessions at once)
  remove --phone 7XXXXXXXXXX                remove an administrator: every company, session and open socket of theirs ends at once
  requests [--status PENDING|APPROVED|REJECTED|ALL]   list registration requests
  approve <request id>                      create the administrator and grant the company; they then use "Forgot password?"
  reject <request id>
  add-sims [--count N] [ICCID ...]          add free SIM cards to the stock
  log [--limit N]                           the operator side's actions log, newest first: releases made live, canaries, rollbacks`;

export type OperatorCommand =
  | { kind: 'help' }
  | { kind: 'grant' | 'revoke'; phone: string; bin: string }
  | { kind: 'remove'; phone: string }
  | { kind: 'requests'; status: string }
  | { kind: 'approve' | 'reject'; requestId: number }
  | { kind: 'add-sims'; count: number; iccids: string[] }
  | { kind: 'log'; limit: number };

/** A command line the operator tool does not understand; the message ends with the usage. */
export class OperatorArgsError extends Error {}

/** node:util's parseArgs reports an unknown option, a positional argument or a missing value by an error code. */
function isParseArgsError(error: unknown): error is { message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function parse<const O extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    if (isParseArgsError(error)) throw new OperatorArgsError(`${error.message}\n${OPERATOR_USAGE}`);
    throw error;
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new OperatorArgsError(`--${name} is required\n${OPERATOR_USAGE}`);
  return value;
}

function requestId(positionals: string[]): number {
  const [value, ...extra] = positionals;
  if (!value || !/^\d+$/.test(value) || extra.length > 0) throw new OperatorArgsError(`A request id is required\n${OPERATOR_USAGE}`);
  return Number(value);
}

export function parseOperatorArgs(argv: readonly string[]): OperatorCommand {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') return { kind: 'help' };
  switch (command) {
    case 'grant':
    case 'revoke': {
      const { values } = parse(args, { phone: { type: 'string' }, bin: { type: 'string' } }, false);
      return { kind: command, phone: required(values.phone, 'phone'), bin: required(values.bin, 'bin') };
    }
    case 'remove': {
      const { values } = parse(args, { phone: { type: 'string' } }, false);
      return { kind: 'remove', phone: required(values.phone, 'phone') };
    }
    case 'requests': {
      const { values } = parse(args, { status: { type: 'string' } }, false);
      return { kind: 'requests', status: values.status ?? 'PENDING' };
    }
    case 'approve':
    case 'reject':
      return { kind: command, requestId: requestId(parse(args, {}, true).positionals) };
    case 'add-sims': {
      const { values, positionals } = parse(args, { count: { type: 'string' } }, true);
      const count = Number(values.count ?? 0);
      if (!Number.isInteger(count) || count < 0 || count > 100_000) throw new OperatorArgsError('--count must be from 0 to 100000');
      return { kind: 'add-sims', count, iccids: positionals };
    }
    case 'log': {
      const { values } = parse(args, { limit: { type: 'string' } }, false);
      const limit = Number(values.limit ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new OperatorArgsError('--limit must be from 1 to 10000');
      return { kind: 'log', limit };
    }
    default:
      throw new OperatorArgsError(`Unknown command ${command}\n${OPERATOR_USAGE}`);
  }
}
