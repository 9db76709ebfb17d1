import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { registerMissingReleases } from './release.bootstrap';
import { fakeBuild } from './release.fixtures';
import { ReleaseError } from './release.manifest';
import { releaseService } from './release.service';

describe('the front-end release registry', () => {
  let db: TestDatabase;
  const live = async (section: string) => (await releaseService.active(db.dataSource)).find((r) => r.section === section)?.version;
  const publish = (build: ReturnType<typeof fakeBuild>) => releaseService.publish(db.dataSource, build.manifest, build.files, 'test');
  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ReleaseError);
    return (error as ReleaseError).code;
  };

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('publishes a build and makes it the live release of its section', async () => {
    const build = fakeBuild('mf-numbers', '1.0.0');
    expect(await publish(build)).toEqual({ section: 'mf-numbers', version: '1.0.0', created: true, activated: true });
    expect(await live('mf-numbers')).toBe('1.0.0');
    const file = await releaseService.file(db.dataSource, 'mf-numbers', build.entry);
    expect(file?.content.equals(build.files.get(build.entry)!)).toBe(true);
    expect(file?.contentType).toBe('text/javascript; charset=utf-8');
  });

  it('assembles the import map from the shell and the live release of every section', async () => {
    await publish(fakeBuild('mf-shell', '1.0.0'));
    const numbers = fakeBuild('mf-numbers', '2.0.0');
    await publish(numbers);
    const { imports } = releaseService.importMap(await releaseService.active(db.dataSource));
    expect(imports['@cabinet/mf-numbers']).toBe(`/assets/mf-numbers/${numbers.entry}`);
    expect(imports.vue).toMatch(/^\/assets\/mf-shell\//);
  });

  it('puts the import map into the shell page', async () => {
    await publish(fakeBuild('mf-shell', '1.0.0'));
    await publish(fakeBuild('mf-numbers', '1.0.0'));
    const page = await releaseService.shellPage(db.dataSource, await releaseService.active(db.dataSource));
    expect(page?.html).toContain(`<script type="importmap">${page?.importMap}</script>`);
    expect(JSON.parse(page!.importMap).imports['@cabinet/mf-numbers']).toBeDefined();
  });

  it('deploys one section without touching the others', async () => {
    await publish(fakeBuild('mf-numbers', '1.0.0'));
    await publish(fakeBuild('mf-profile', '1.0.0'));
    await publish(fakeBuild('mf-numbers', '1.1.0'));
    expect(await live('mf-numbers')).toBe('1.1.0');
    expect(await live('mf-profile')).toBe('1.0.0');
  });

  it('rolls back to the previous release, and again to the one before', async () => {
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) await publish(fakeBuild('mf-numbers', version));
    expect(await releaseService.rollback(db.dataSource, 'mf-numbers', 'test')).toEqual({ section: 'mf-numbers', version: '1.1.0', from: '1.2.0' });
    expect(await live('mf-numbers')).toBe('1.1.0');
    await releaseService.rollback(db.dataSource, 'mf-numbers', 'test');
    expect(await live('mf-numbers')).toBe('1.0.0');
    expect(await rejection(releaseService.rollback(db.dataSource, 'mf-numbers', 'test'))).toBe('NOTHING_TO_ROLL_BACK');
    await publish(fakeBuild('mf-numbers', '1.2.0'));
    expect(await live('mf-numbers')).toBe('1.2.0');
  });

  it('refuses to roll back a section that was never published', async () => {
    expect(await rejection(releaseService.rollback(db.dataSource, 'mf-nothing', 'test'))).toBe('NOT_FOUND');
  });

  it('re-activates a version published again with the same files, and refuses one with other files', async () => {
    await publish(fakeBuild('mf-numbers', '1.0.0'));
    await publish(fakeBuild('mf-numbers', '1.1.0'));
    expect(await publish(fakeBuild('mf-numbers', '1.0.0'))).toMatchObject({ created: false, activated: true });
    expect(await live('mf-numbers')).toBe('1.0.0');
    expect(await publish(fakeBuild('mf-numbers', '1.0.0'))).toMatchObject({ created: false, activated: false });
    const changed = fakeBuild('mf-numbers', '1.0.0', { 'extra.css': 'body{}' });
    expect(await rejection(publish(changed))).toBe('CONFLICT');
  });

  it('refuses a file that does not match the manifest, and nothing is written', async () => {
    const build = fakeBuild('mf-numbers', '1.0.0');
    build.files.set(build.entry, Buffer.from('tampered'));
    expect(await rejection(publish(build))).toBe('BAD_MANIFEST');
    const missing = fakeBuild('mf-numbers', '1.0.0');
    missing.files.delete(missing.entry);
    expect(await rejection(publish(missing))).toBe('BAD_MANIFEST');
    expect(await releaseService.active(db.dataSource)).toEqual([]);
  });

  it('lets only the shell provide shared libraries in the import map', async () => {
    const build = fakeBuild('mf-numbers', '1.0.0');
    build.manifest.imports = { ...build.manifest.imports, vue: build.entry };
    expect(await rejection(publish(build))).toBe('BAD_MANIFEST');
  });

  it('refuses unsafe file paths', async () => {
    const build = fakeBuild('mf-numbers', '1.0.0');
    build.manifest.files[0] = { ...build.manifest.files[0], path: '../../etc/passwd.js' };
    expect(await rejection(publish(build))).toBe('BAD_MANIFEST');
  });

  it('registers on first start the built sections that have no release yet, and leaves published ones alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cabinet-releases-'));
    try {
      for (const [section, version] of [['mf-numbers', '3.0.0'], ['mf-profile', '3.0.0']]) {
        const build = fakeBuild(section, version);
        mkdirSync(join(root, section, 'dist'), { recursive: true });
        writeFileSync(join(root, section, 'dist', 'manifest.json'), JSON.stringify(build.manifest));
        for (const [path, content] of build.files) writeFileSync(join(root, section, 'dist', path), content);
      }
      mkdirSync(join(root, 'mf-documents'));
      await publish(fakeBuild('mf-profile', '1.0.0'));
      const registered = await registerMissingReleases(db.dataSource, pino({ level: 'silent' }), root);
      expect(registered).toEqual(['mf-numbers 3.0.0']);
      expect(await live('mf-profile')).toBe('1.0.0');
      expect(await registerMissingReleases(db.dataSource, pino({ level: 'silent' }), root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
