import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { registerMissingReleases } from './release.bootstrap';
import { fakeBuild } from './release.fixtures';
import { ReleaseError, satisfies } from './release.manifest';
import { releaseService } from './release.service';
import { operatorLog } from '../operator';

describe('the front-end release registry', () => {
  let db: TestDatabase;
  const live = async (section: string) => (await releaseService.active(db.dataSource)).find((r) => r.section === section)?.version;
  const publish = (build: ReturnType<typeof fakeBuild>) => releaseService.publish(db.dataSource, build.manifest, build.files, 'test');
  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
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
      for (const [section, version] of [
        ['mf-numbers', '3.0.0'],
        ['mf-profile', '3.0.0'],
      ]) {
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

  describe('kit versions', () => {
    const withKit = (section: string, version: string, kit: string | undefined) => {
      const build = fakeBuild(section, version);
      return { ...build, manifest: { ...build.manifest, ...(kit === undefined ? {} : { kit }) } };
    };
    const refusal = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReleaseError);
      expect((error as ReleaseError).code).toBe('INCOMPATIBLE_KIT');
      return (error as ReleaseError).message;
    };

    it('understands the ranges a section states', () => {
      expect(satisfies('1.4.2', '^1.2.0')).toBe(true);
      expect(satisfies('2.0.0', '^1.2.0')).toBe(false);
      expect(satisfies('0.3.1', '^0.3.0')).toBe(true);
      expect(satisfies('0.4.0', '^0.3.0')).toBe(false);
      expect(satisfies('1.2.9', '~1.2.0')).toBe(true);
      expect(satisfies('1.3.0', '~1.2.0')).toBe(false);
      expect(satisfies('2.5.0', '>=1.2.0 <3.0.0')).toBe(true);
      expect(satisfies('3.0.0', '^1.0.0 || ^3.0.0')).toBe(true);
      expect(satisfies('1.0.0', 'latest')).toBeUndefined();
    });

    it('refuses a section the live kit cannot serve, naming both versions', async () => {
      await publish(withKit('mf-shell', '5.0.0', '1.3.0'));
      await publish(withKit('mf-numbers', '1.0.0', '^1.2.0'));
      const message = await refusal(publish(withKit('mf-numbers', '2.0.0', '^2.0.0')));
      expect(message).toContain('@cabinet/kit ^2.0.0');
      expect(message).toContain('mf-shell 5.0.0 provides kit 1.3.0');
      expect(await live('mf-numbers')).toBe('1.0.0');
      expect(await releaseService.publishedSections(db.dataSource)).toEqual(new Set(['mf-shell', 'mf-numbers']));
    });

    it('refuses a shell whose kit would break a live section, naming both versions', async () => {
      await publish(withKit('mf-shell', '5.0.0', '1.3.0'));
      await publish(withKit('mf-profile', '1.0.0', '^1.0.0'));
      const message = await refusal(publish(withKit('mf-shell', '6.0.0', '2.0.0')));
      expect(message).toContain('mf-shell 6.0.0 provides @cabinet/kit 2.0.0');
      expect(message).toContain('mf-profile 1.0.0 works with kit ^1.0.0');
      expect(await live('mf-shell')).toBe('5.0.0');
      await publish(withKit('mf-profile', '2.0.0', '^1.3.0 || ^2.0.0'));
      await publish(withKit('mf-shell', '6.0.0', '2.0.0'));
      expect(await live('mf-shell')).toBe('6.0.0');
    });

    it('refuses a rollback that would bring back an incompatible release', async () => {
      await publish(withKit('mf-shell', '5.0.0', '1.3.0'));
      await publish(withKit('mf-numbers', '1.0.0', '^1.0.0'));
      await publish(withKit('mf-numbers', '2.0.0', '^1.0.0 || ^2.0.0'));
      await publish(withKit('mf-shell', '6.0.0', '2.0.0'));
      expect(await refusal(releaseService.rollback(db.dataSource, 'mf-numbers', 'test'))).toContain('mf-numbers 1.0.0 works with @cabinet/kit ^1.0.0');
      expect(await live('mf-numbers')).toBe('2.0.0');
    });

    it('accepts builds that state no kit version, and names the kit version in the import map', async () => {
      await publish(withKit('mf-shell', '5.0.0', '1.3.0'));
      await publish(withKit('mf-documents', '1.0.0', undefined));
      const { imports } = releaseService.importMap(await releaseService.active(db.dataSource));
      expect(imports['@cabinet/kit@1.3.0']).toBe(imports['@cabinet/kit']);
    });

    it('refuses a kit field that is not a version or a range', async () => {
      expect(await rejection(publish(withKit('mf-shell', '5.0.0', 'newest')))).toBe('BAD_MANIFEST');
      expect(await rejection(publish(withKit('mf-numbers', '1.0.0', 'any')))).toBe('BAD_MANIFEST');
    });
  });

  describe('canaries', () => {
    const ALICE = { administratorId: 1, phone: '77010000001' };
    const BOB = { administratorId: 2, phone: '77010000002' };
    const seen = async (viewer: typeof ALICE | null, section = 'mf-numbers') =>
      (await releaseService.activeFor(db.dataSource, viewer)).find((r) => r.section === section)?.version;
    const canary = (build: ReturnType<typeof fakeBuild>, administrators: string[], percent = 0) =>
      releaseService.publish(db.dataSource, build.manifest, build.files, 'test', { canary: { administrators, percent } });

    it('serves a canary to the named administrators only, then to everyone once promoted', async () => {
      await publish(fakeBuild('mf-numbers', '1.0.0'));
      expect(await canary(fakeBuild('mf-numbers', '2.0.0'), [ALICE.phone])).toMatchObject({ activated: false, canary: { administrators: [ALICE.phone] } });
      expect(await live('mf-numbers')).toBe('1.0.0');
      expect(await seen(ALICE)).toBe('2.0.0');
      expect(await seen(BOB)).toBe('1.0.0');
      expect(await seen(null)).toBe('1.0.0');
      expect(await releaseService.promote(db.dataSource, 'mf-numbers', 'test')).toEqual({ section: 'mf-numbers', version: '2.0.0' });
      expect(await seen(BOB)).toBe('2.0.0');
      expect(await live('mf-numbers')).toBe('2.0.0');
      expect((await releaseService.canaries(db.dataSource))[0]).toMatchObject({ version: '2.0.0', outcome: 'promoted', endedBy: 'test' });
      expect(await rejection(releaseService.promote(db.dataSource, 'mf-numbers', 'test'))).toBe('NOT_FOUND');
    });

    it('drops a canary: its administrators get the release live for everyone again', async () => {
      await publish(fakeBuild('mf-numbers', '1.0.0'));
      await canary(fakeBuild('mf-numbers', '2.0.0'), [ALICE.phone]);
      expect(await releaseService.drop(db.dataSource, 'mf-numbers', 'test')).toEqual({ section: 'mf-numbers', version: '2.0.0' });
      expect(await seen(ALICE)).toBe('1.0.0');
      expect((await releaseService.canaries(db.dataSource))[0]).toMatchObject({ outcome: 'dropped' });
      expect(await rejection(releaseService.drop(db.dataSource, 'mf-numbers', 'test'))).toBe('NOT_FOUND');
    });

    it('records every change of what is live in the operator side’s actions log, in the same transaction, with who did it', async () => {
      await releaseService.publish(db.dataSource, fakeBuild('mf-numbers', '1.0.0').manifest, fakeBuild('mf-numbers', '1.0.0').files, 'pipeline of team A');
      await releaseService.publish(db.dataSource, fakeBuild('mf-numbers', '1.1.0').manifest, fakeBuild('mf-numbers', '1.1.0').files, 'pipeline of team A');
      await releaseService.rollback(db.dataSource, 'mf-numbers', 'on-call');
      await releaseService.publish(db.dataSource, fakeBuild('mf-numbers', '2.0.0').manifest, fakeBuild('mf-numbers', '2.0.0').files, 'pipeline of team A', {
        canary: { administrators: [ALICE.phone, BOB.phone], percent: 5 },
      });
      await releaseService.promote(db.dataSource, 'mf-numbers', 'release manager');
      await releaseService.publish(db.dataSource, fakeBuild('mf-numbers', '3.0.0').manifest, fakeBuild('mf-numbers', '3.0.0').files, 'pipeline of team A', {
        canary: { administrators: [ALICE.phone], percent: 0 },
      });
      await releaseService.drop(db.dataSource, 'mf-numbers', 'release manager');
      // A publication refused by its checks leaves no entry: the entry is written with what it records, or not at all.
      await rejection(
        releaseService.publish(
          db.dataSource,
          { ...fakeBuild('mf-numbers', '4.0.0').manifest, kit: 'not a range' },
          fakeBuild('mf-numbers', '4.0.0').files,
          'x',
        ),
      );
      const entries = (await operatorLog.latest(db.dataSource)).reverse();
      expect(entries.map(({ actor, action, version, details }) => ({ actor, action, version, details }))).toEqual([
        { actor: 'pipeline of team A', action: 'RELEASE_ACTIVATED', version: '1.0.0', details: { published: true } },
        { actor: 'pipeline of team A', action: 'RELEASE_ACTIVATED', version: '1.1.0', details: { published: true } },
        { actor: 'on-call', action: 'RELEASE_ROLLED_BACK', version: '1.0.0', details: { from: '1.1.0' } },
        { actor: 'pipeline of team A', action: 'CANARY_STARTED', version: '2.0.0', details: { administrators: 2, percent: 5 } },
        { actor: 'release manager', action: 'CANARY_PROMOTED', version: '2.0.0', details: {} },
        { actor: 'pipeline of team A', action: 'CANARY_STARTED', version: '3.0.0', details: { administrators: 1, percent: 0 } },
        { actor: 'release manager', action: 'CANARY_DROPPED', version: '3.0.0', details: {} },
      ]);
      expect(entries.every((e) => e.section === 'mf-numbers' && e.at instanceof Date)).toBe(true);
    });

    it('serves a percentage canary to a stable share of administrators', async () => {
      await publish(fakeBuild('mf-numbers', '1.0.0'));
      await canary(fakeBuild('mf-numbers', '2.0.0'), [], 30);
      const viewers = Array.from({ length: 200 }, (_, i) => ({ administratorId: i + 1, phone: `7700${String(i).padStart(7, '0')}` }));
      const first = await Promise.all(viewers.map((v) => seen(v)));
      const share = first.filter((v) => v === '2.0.0').length;
      expect(share).toBeGreaterThan(30);
      expect(share).toBeLessThan(100);
      expect(await Promise.all(viewers.map((v) => seen(v)))).toEqual(first);
    });

    it('ends a canary when a release of its section goes live for everyone, and refuses an empty canary', async () => {
      await publish(fakeBuild('mf-numbers', '1.0.0'));
      await canary(fakeBuild('mf-numbers', '2.0.0'), [ALICE.phone]);
      await publish(fakeBuild('mf-numbers', '3.0.0'));
      expect(await seen(ALICE)).toBe('3.0.0');
      expect((await releaseService.canaries(db.dataSource))[0]).toMatchObject({ version: '2.0.0', outcome: 'replaced' });
      expect(await rejection(canary(fakeBuild('mf-numbers', '4.0.0'), []))).toBe('BAD_MANIFEST');
      expect(await rejection(canary(fakeBuild('mf-numbers', '4.0.0'), ['not a phone']))).toBe('BAD_MANIFEST');
    });
  });

  describe('the smoke check before a release goes live', () => {
    const sectionImporting = (version: string, code: string, extra: Record<string, string> = {}) => {
      const build = fakeBuild('mf-numbers', version, extra);
      build.files.set(build.entry, Buffer.from(code));
      build.manifest.files = build.manifest.files.map((f) =>
        f.path === build.entry ? { ...f, sha256: createHash('sha256').update(code).digest('hex'), size: code.length } : f,
      );
      return build;
    };

    it('refuses a section whose imports the live import map or the release itself does not provide, and nothing goes live', async () => {
      const entry = 'import { ref } from "vue"; import { a } from "./chunks/a.js"; export const mount = async () => ref(a);';
      const noShell = await publish(sectionImporting('1.0.0', entry, { 'chunks/a.js': 'export const a = 1;' })).then(
        () => undefined,
        (e: ReleaseError) => e,
      );
      expect(noShell?.code).toBe('SMOKE_CHECK_FAILED');
      expect(noShell?.message).toContain('mf-numbers 1.0.0 would not load: mf-numbers.100.js imports "vue", which the live import map does not provide');

      await publish(fakeBuild('mf-shell', '1.0.0'));
      expect(await publish(sectionImporting('1.0.0', entry, { 'chunks/a.js': 'export const a = 1;' }))).toMatchObject({ activated: true });
      const missingChunk = await publish(sectionImporting('1.1.0', entry)).then(
        () => undefined,
        (e: ReleaseError) => e,
      );
      expect(missingChunk?.message).toContain('imports ./chunks/a.js, which is not a file of the release');
      const dynamic = sectionImporting('1.2.0', 'export const mount = () => import("@cabinet/mf-nowhere");');
      expect(await rejection(publish(dynamic))).toBe('SMOKE_CHECK_FAILED');
      expect(await rejection(publish(sectionImporting('1.3.0', 'import { a } from "vue')))).toBe('SMOKE_CHECK_FAILED');
      expect(await live('mf-numbers')).toBe('1.0.0');
    });
  });
});
