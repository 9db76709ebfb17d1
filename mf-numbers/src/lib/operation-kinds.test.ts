import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import en from '../locales/en.json';
import kk from '../locales/kk.json';
import ru from '../locales/ru.json';

/** The operation kinds of the committed contract: what the gateway's catalogue defines. */
function schemaKinds(): string[] {
  const schema = readFileSync(join(__dirname, '../../../schema/schema.graphql'), 'utf8');
  const body = /enum OperationKind \{([^}]*)\}/.exec(schema)![1];
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Z_]+$/.test(line));
}

describe('operation kinds', () => {
  it('are named in every language, as the schema lists them', () => {
    const kinds = schemaKinds();
    expect(kinds.length).toBeGreaterThan(10);
    for (const messages of [en, ru, kk]) {
      const named = (messages as { numbers: { operations: { kinds: Record<string, string> } } }).numbers.operations.kinds;
      expect(kinds.filter((kind) => !named[kind])).toEqual([]);
    }
  });
});
