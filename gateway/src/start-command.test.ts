import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCommand } from './start-command';

describe('startCommand', () => {
  const script: string = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).scripts.start;

  it("is the start script's flags and its script, from the gateway's folder", () => {
    const { flags, main } = startCommand();
    expect(['node', ...flags, main.slice(join(__dirname, '..').length + 1)].join(' ')).toBe(script.trim());
    expect(main).toBe(join(__dirname, '..', 'dist', 'main.js'));
  });

  it('gives flags this Node accepts', () => {
    const { flags } = startCommand();
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
