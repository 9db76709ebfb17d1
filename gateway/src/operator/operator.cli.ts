import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db/database';
import { RequestDb } from '../graphql/context';
import { createLogger } from '../logger';
import { OperatorError, operatorService } from './operator.service';

const USAGE = `Usage: npm run operator -- <command>
  grant --phone 7XXXXXXXXXX --bin BIN       give an administrator access to a company
  revoke --phone 7XXXXXXXXXX --bin BIN      take it away (the company's data disappears from their sessions at once)
  requests [--status PENDING|APPROVED|REJECTED|ALL]   list registration requests
  approve <request id>                      create the administrator and grant the company; they then use "Forgot password?"
  reject <request id>
  add-sims [--count N] [ICCID ...]          add free SIM cards to the stock`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function required(args: string[], name: string): string {
  const value = option(args, name);
  if (!value) throw new OperatorError(`--${name} is required\n${USAGE}`);
  return value;
}

function id(value: string | undefined): number {
  if (!value || !/^\d+$/.test(value)) throw new OperatorError(`A request id is required\n${USAGE}`);
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const database = await openDatabase(loadConfigOrExit(), createLogger('warn'));
  const db = new RequestDb(database.dataSource);
  try {
    switch (command) {
      case 'grant':
        process.stdout.write(`${await operatorService.grant(db, required(args, 'phone'), required(args, 'bin'))}\n`);
        break;
      case 'revoke':
        process.stdout.write(`${await operatorService.revoke(db, required(args, 'phone'), required(args, 'bin'))}\n`);
        break;
      case 'requests':
        for (const r of await operatorService.requests(db, option(args, 'status') ?? 'PENDING')) {
          process.stdout.write(`${r.id}\t${r.status}\t${r.bin}\t${r.phone}\t${r.email}\t${r.name}\t${r.createdAt.toISOString()}\n`);
        }
        break;
      case 'approve':
        process.stdout.write(`${await operatorService.approve(db, id(args[0]))}\n`);
        break;
      case 'reject':
        process.stdout.write(`${await operatorService.reject(db, id(args[0]))}\n`);
        break;
      case 'add-sims': {
        const count = Number(option(args, 'count') ?? 0);
        if (!Number.isInteger(count) || count < 0 || count > 100_000) throw new OperatorError('--count must be from 0 to 100000');
        const iccids = args.filter((a, i) => a !== '--count' && args[i - 1] !== '--count');
        const added = await operatorService.addSims(db, iccids, count);
        process.stdout.write(`${added.length} SIM cards added to the stock\n${added.join('\n')}\n`);
        break;
      }
      default:
        throw new OperatorError(`Unknown command ${command}\n${USAGE}`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof OperatorError || (error instanceof Error && error.name === 'BadUserInputError')) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
