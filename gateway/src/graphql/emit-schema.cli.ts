import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printGatewaySchema } from './schema';

export const SCHEMA_FILE = resolve(__dirname, '..', '..', '..', 'schema', 'schema.graphql');

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, printGatewaySchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
