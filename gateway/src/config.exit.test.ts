import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CONFIG_EXIT_CODE } from './config';

const GATEWAY = join(__dirname, '..');

/** Every entry point that reads the configuration, with arguments that get it past its usage check. */
const ENTRY_POINTS: [string, string[]][] = [
  ['src/main.ts', []],
  ['src/worker.ts', []],
  ['src/db/migrate.cli.ts', []],
  ['src/db/seed/seed.cli.ts', []],
  ['src/operator/operator.cli.ts', ['requests']],
  ['src/releases/release.cli.ts', ['list']],
];

function run(entry: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(GATEWAY, 'src', 'test', 'run-ts.cjs'), entry, ...args], {
      cwd: GATEWAY,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('an entry point started with a bad configuration', () => {
  it.each(ENTRY_POINTS)(
    '%s exits 78 naming every bad variable, without a stack',
    async (entry, args) => {
      const { code, stderr } = await run(entry, args, { PORT: 'eighty', GATEWAY_ENGINE: 'yoga', DATABASE_URL: 'mysql://db/cabinet' });
      expect(code).toBe(CONFIG_EXIT_CODE);
      for (const name of ['PORT', 'GATEWAY_ENGINE', 'DATABASE_URL']) expect(stderr).toContain(name);
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    120_000,
  );
});
