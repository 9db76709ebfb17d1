// The last build step on made-up builds: a bundle over its budget fails the build, one within it passes.
// Run: node --test mf-shell/build/finish.test.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const FINISH = join(import.meta.dirname, 'finish.mjs');
const folders = [];

/** A section package whose build is one entry of `entryKb` kB of base64 noise (about three quarters of it stays after gzip). */
function builtSection(entryKb) {
  const dir = mkdtempSync(join(tmpdir(), 'cabinet-budget-'));
  folders.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@cabinet/mf-budget', version: '1.0.0', cabinet: { kit: '^1.0.0' } }));
  mkdirSync(join(dir, 'dist', '.vite'), { recursive: true });
  const entry = 'mf-budget.abc123.js';
  writeFileSync(join(dir, 'dist', '.vite', 'manifest.json'), JSON.stringify({ 'src/mf-budget.ts': { file: entry, name: 'mf-budget', isEntry: true } }));
  writeFileSync(join(dir, 'dist', entry), `export const data = ${JSON.stringify(randomBytes(entryKb * 768).toString('base64'))};\n`);
  return dir;
}
const finish = (dir) => spawnSync(process.execPath, [FINISH], { cwd: dir, encoding: 'utf8', env: { ...process.env, SECTION_OUT_DIR: '' } });

describe('the bundle budget of a section', () => {
  after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('fails the build of a section over 60 kB gzip', () => {
    const result = finish(builtSection(90));
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /section mf-budget is \d+\.\d kB gzip, over its budget of 60\.0 kB/);
  });

  it('passes a section within it and writes its manifest with the kit range', () => {
    const dir = builtSection(40);
    const result = finish(dir);
    assert.equal(result.status, 0, result.stderr);
    const manifest = JSON.parse(readFileSync(join(dir, 'dist', 'manifest.json'), 'utf8'));
    assert.equal(manifest.kit, '^1.0.0');
    assert.equal(manifest.entry, 'mf-budget.abc123.js');
  });
});
