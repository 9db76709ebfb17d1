import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = join(__dirname, '..');

/**
 * Where SQL on the billing schema may stand besides the adapter: the migrations and the demo seed, which build
 * the shipped billing system's tables and data, and tests with their helpers, which arrange that data.
 */
const ALLOWED = ['billing/', 'db/', 'test/'];

const BILLING_SQL = /\b(?:from|join|into|update|table|exists|only)\s+billing\.[a-z_]+|::\s*billing\.[a-z_]+/gi;
const CABINET_SQL = /\b(?:from|join|into|update|table|exists|only)\s+cabinet\.[a-z_]+|::\s*cabinet\.[a-z_]+/gi;

/** Domains whose services hold rules and whose `cabinet.*` statements all sit in `<name>.repository.ts` files. */
const WITH_REPOSITORIES = ['actions/', 'companies/', 'documents/', 'numbers/', 'payments/', 'usage/', 'tariffs/', 'services/', 'operator/'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const file = (path: string) => relative(SRC, path).split(sep).join('/');

function sqlOn(pattern: RegExp, path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, i) => (line.match(pattern) ?? []).map((sql) => `${file(path)}:${i + 1}: ${sql}`));
}

const billingSql = (path: string) => sqlOn(BILLING_SQL, path);

const checked = sources(SRC).filter((path) => {
  const name = file(path);
  return !ALLOWED.some((folder) => name.startsWith(folder)) && !name.endsWith('.test.ts');
});

describe('the billing port', () => {
  it('is the only way to the billing schema: no SQL on billing.* outside billing/', () => {
    const offenders = checked.flatMap(billingSql);
    expect(offenders).toEqual([]);
  });

  it('finds SQL on the billing schema where there is some', () => {
    expect(billingSql(join(SRC, 'billing', 'billing.postgres.ts')).length).toBeGreaterThan(20);
    expect('SELECT 1 FROM billing.numbers n JOIN billing.accounts a'.match(BILLING_SQL)).toHaveLength(2);
    expect(`$4::billing.usage_type IS NULL`.match(BILLING_SQL)).toHaveLength(1);
    expect('billing.numbers(db, ids)'.match(BILLING_SQL)).toBeNull();
  });
});

describe('domain repositories', () => {
  it('hold every cabinet.* statement of their domain', () => {
    const offenders = checked
      .filter((path) => WITH_REPOSITORIES.some((folder) => file(path).startsWith(folder)) && !path.endsWith('.repository.ts'))
      .flatMap((path) => sqlOn(CABINET_SQL, path));
    expect(offenders).toEqual([]);
  });
});
