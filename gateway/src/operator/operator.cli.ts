import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { openDatabase } from '../db/database';
import { RequestDb } from '../core/db';
import { createLogger } from '../core/logger';
import { OPERATOR_USAGE, OperatorArgsError, parseOperatorArgs } from './operator.args';
import { operatorLog } from './operator-log';
import { OperatorError, operatorService } from './operator.service';

async function main(argv: string[]): Promise<void> {
  const command = parseOperatorArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${OPERATOR_USAGE}\n`);
    return;
  }
  const database = await openDatabase(loadConfigOrExit(), createLogger('warn'));
  const db = new RequestDb(database.dataSource);
  try {
    switch (command.kind) {
      case 'grant':
        process.stdout.write(`${await operatorService.grant(db, command.phone, command.bin)}\n`);
        break;
      case 'revoke':
        process.stdout.write(`${await operatorService.revoke(db, command.phone, command.bin)}\n`);
        break;
      case 'remove':
        process.stdout.write(`${await operatorService.remove(db, command.phone)}\n`);
        break;
      case 'requests':
        for (const r of await operatorService.requests(db, command.status)) {
          process.stdout.write(`${r.id}\t${r.status}\t${r.bin}\t${r.phone}\t${r.email}\t${r.name}\t${r.createdAt.toISOString()}\n`);
        }
        break;
      case 'approve':
        process.stdout.write(`${await operatorService.approve(db, command.requestId)}\n`);
        break;
      case 'reject':
        process.stdout.write(`${await operatorService.reject(db, command.requestId)}\n`);
        break;
      case 'log':
        for (const entry of await operatorLog.latest(db, command.limit)) {
          process.stdout.write(
            `${entry.at.toISOString()}\t${entry.actor}\t${entry.action}\t${entry.section}\t${entry.version}\t${JSON.stringify(entry.details)}\n`,
          );
        }
        break;
      case 'add-sims': {
        const added = await operatorService.addSims(db, command.iccids, command.count);
        process.stdout.write(`${added.length} SIM cards added to the stock\n${added.join('\n')}\n`);
        break;
      }
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof OperatorArgsError || error instanceof OperatorError || (error instanceof Error && error.name === 'BadUserInputError')) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
