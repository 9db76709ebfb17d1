import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init as lexerReady, parse as parseModule } from 'es-module-lexer';
import type { DataSource, EntityManager } from 'typeorm';
import { contentTypeOf, parseManifest, ReleaseError, satisfies, SHELL, type ReleaseManifest } from './release.manifest';
import { importMapMarkup, type OverridesMode } from './release.overrides';
import { parseDocuments, storeDocuments } from './trusted-documents';
import { operatorLog } from '../operator';

export interface PublishResult {
  section: string;
  version: string;
  /** False when this version was already published (it is then made active again). */
  created: boolean;
  /** False when it was already the active release. */
  activated: boolean;
  /** True when nothing was written: the release was only checked (`dryRun`). */
  dryRun?: boolean;
  /** Set when the release went live as a canary only, not for everyone. */
  canary?: Canary;
}

/** Who sees a canary release: the named administrators (by phone) and a share of all the others. */
export interface Canary {
  administrators: string[];
  percent: number;
}

/** The administrator a page is served to, for canaries. */
export interface Viewer {
  administratorId: number;
  phone: string;
}

export interface ActiveRelease {
  section: string;
  version: string;
  manifest: ReleaseManifest;
  activatedAt: Date;
}

export interface ReleaseFile {
  content: Buffer;
  gzip: Buffer | null;
  contentType: string;
  sha256: string;
}

export interface ReleaseHistoryEntry {
  section: string;
  version: string;
  activatedAt: Date;
  activatedBy: string;
  rolledBackAt: Date | null;
  live: boolean;
}

export interface CanaryEntry {
  section: string;
  version: string;
  administrators: string[];
  percent: number;
  startedBy: string;
  startedAt: Date;
  endedAt: Date | null;
  endedBy: string | null;
  outcome: 'promoted' | 'dropped' | 'replaced' | null;
}

type Db = Pick<DataSource, 'query'> | EntityManager;

const IMPORT_MAP_MARK = '<!--cabinet:importmap-->';
// Files compress well only above a few hundred bytes; below that gzip is not worth a second copy.
const GZIP_FROM_BYTES = 512;

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

async function lockSection(manager: EntityManager, section: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('cabinet.release:' || $1))`, [section]);
}

// Every release takes this lock before its section's, so the kit check sees the shell and sections that stay live.
const KIT_LOCK = 'kit';

async function liveManifests(db: Db): Promise<ReleaseManifest[]> {
  const rows: { manifest: ReleaseManifest }[] = await db.query(
    `SELECT r.manifest FROM cabinet.active_releases a JOIN cabinet.releases r ON r.id = a.release_id`,
  );
  return rows.map((r) => r.manifest);
}

/** Refuses a release the live kit cannot serve, or a shell whose kit a live section does not accept. */
async function assertKitCompatible(db: Db, manifest: ReleaseManifest): Promise<void> {
  if (!manifest.kit) return;
  const live = (await liveManifests(db)).filter((m) => m.section !== manifest.section && m.kit);
  if (manifest.section === SHELL) {
    const broken = live.find((m) => m.section !== SHELL && satisfies(manifest.kit!, m.kit!) === false);
    if (broken) {
      throw new ReleaseError(
        'INCOMPATIBLE_KIT',
        `${SHELL} ${manifest.version} provides @cabinet/kit ${manifest.kit}, but the live ${broken.section} ${broken.version} works with kit ${broken.kit} only; ` +
          `deploy a ${broken.section} that accepts kit ${manifest.kit} first`,
      );
    }
    return;
  }
  const shell = live.find((m) => m.section === SHELL);
  if (shell && satisfies(shell.kit!, manifest.kit) === false) {
    throw new ReleaseError(
      'INCOMPATIBLE_KIT',
      `${manifest.section} ${manifest.version} works with @cabinet/kit ${manifest.kit}, but the live ${SHELL} ${shell.version} provides kit ${shell.kit}; ` +
        `deploy a ${SHELL} with a matching kit first`,
    );
  }
}

async function releaseFiles(db: Db, releaseId: string): Promise<Map<string, Buffer>> {
  const rows: { path: string; content: Buffer }[] = await db.query(
    `SELECT f.path, b.content FROM cabinet.release_files f JOIN cabinet.release_blobs b ON b.sha256 = f.sha256 WHERE f.release_id = $1 AND f.path ~ '\\.m?js$'`,
    [releaseId],
  );
  return new Map(rows.map((r) => [r.path, r.content]));
}

const PHONE = /^7\d{10}$/;

function checkCanary(canary: Canary): void {
  const valid =
    Array.isArray(canary.administrators) &&
    canary.administrators.length <= 100 &&
    canary.administrators.every((p) => typeof p === 'string' && PHONE.test(p)) &&
    Number.isInteger(canary.percent) &&
    canary.percent >= 0 &&
    canary.percent <= 100 &&
    (canary.administrators.length > 0 || canary.percent > 0);
  if (!valid)
    throw new ReleaseError('BAD_MANIFEST', 'A canary names up to 100 administrators by phone (7XXXXXXXXXX) and/or a percentage from 0 to 100, not nothing');
}

async function endCanary(
  db: Db,
  section: string,
  actor: string,
  outcome: 'promoted' | 'dropped' | 'replaced',
): Promise<{ releaseId: string; version: string } | null> {
  const [row] = await db.query(
    `UPDATE cabinet.release_canaries c SET ended_at = now(), ended_by = $2, outcome = $3 FROM cabinet.releases r
     WHERE c.section = $1 AND c.ended_at IS NULL AND r.id = c.release_id RETURNING c.release_id::text AS "releaseId", r.version`,
    [section, actor, outcome],
  );
  return Array.isArray(row) ? (row[0] ?? null) : (row ?? null);
}

/**
 * The smoke check before a release goes live for everyone, without a browser (the deploying host may have none):
 * every static and literal dynamic import of every module resolves, bare ones against the import map that would
 * be live, relative ones to a file of the release. A failing release is refused before anything is activated.
 */
async function assertImportsResolve(db: Db, manifest: ReleaseManifest, files: ReadonlyMap<string, Buffer>): Promise<void> {
  const others = (await liveManifests(db)).filter((m) => m.section !== manifest.section);
  const map = releaseService.importMap([...others, manifest].map((m) => ({ section: m.section, version: m.version, manifest: m, activatedAt: new Date() })));
  const paths = new Set(manifest.files.map((f) => f.path));
  await lexerReady;
  const problems: string[] = [];
  for (const file of manifest.files.filter((f) => /\.m?js$/.test(f.path))) {
    let imports;
    try {
      [imports] = parseModule(files.get(file.path)!.toString('utf8'), file.path);
    } catch (error) {
      problems.push(`${file.path} is not a valid ES module (${(error as Error).message})`);
      continue;
    }
    for (const { n: specifier } of imports) {
      if (!specifier) continue;
      if (/^\.{1,2}\//.test(specifier)) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
        if (!paths.has(target)) problems.push(`${file.path} imports ${specifier}, which is not a file of the release`);
      } else if (specifier.startsWith('/')) {
        if (!specifier.startsWith('/assets/')) problems.push(`${file.path} imports ${specifier}, which the portal does not serve`);
      } else if (!/^[a-z][a-z0-9+.-]*:/i.test(specifier) && !map.imports[specifier]) {
        problems.push(`${file.path} imports "${specifier}", which the live import map does not provide`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ReleaseError('SMOKE_CHECK_FAILED', `${manifest.section} ${manifest.version} would not load: ${problems.slice(0, 10).join('; ')}`);
  }
}

async function activeReleaseId(db: Db, section: string): Promise<string | null> {
  const [row] = await db.query(`SELECT release_id::text AS id FROM cabinet.active_releases WHERE section = $1`, [section]);
  return row?.id ?? null;
}

export const releaseService = {
  /**
   * Publishes a build of a section and makes it the live one. Every file listed in the manifest must be given,
   * with the listed sha256. Publishing a version again re-activates it (its files must be the same).
   * With `dryRun` every check runs against the live registry and nothing is written.
   */
  async publish(
    dataSource: DataSource,
    manifestInput: unknown,
    files: ReadonlyMap<string, Buffer>,
    actor: string,
    { dryRun = false, canary }: { dryRun?: boolean; canary?: Canary } = {},
  ): Promise<PublishResult> {
    const manifest = parseManifest(manifestInput);
    if (canary) checkCanary(canary);
    for (const file of manifest.files) {
      const content = files.get(file.path);
      if (!content) throw new ReleaseError('BAD_MANIFEST', `${file.path} is listed in the manifest but was not sent`);
      if (sha256(content) !== file.sha256) throw new ReleaseError('BAD_MANIFEST', `${file.path} does not match its sha256`);
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    const extra = [...files.keys()].find((path) => !listed.has(path));
    if (extra) throw new ReleaseError('BAD_MANIFEST', `${extra} was sent but is not listed in the manifest`);
    const documents = manifest.documents ? parseDocuments(files.get(manifest.documents)!) : new Map<string, string>();

    return dataSource.transaction(async (manager) => {
      await lockSection(manager, KIT_LOCK);
      await lockSection(manager, manifest.section);
      await assertKitCompatible(manager, manifest);
      await assertImportsResolve(manager, manifest, files);
      const [existing] = await manager.query(`SELECT id::text AS id, manifest FROM cabinet.releases WHERE section = $1 AND version = $2`, [
        manifest.section,
        manifest.version,
      ]);
      let releaseId: string;
      if (existing) {
        const before = new Map((existing.manifest as ReleaseManifest).files.map((f) => [f.path, f.sha256]));
        const same = before.size === manifest.files.length && manifest.files.every((f) => before.get(f.path) === f.sha256);
        if (!same)
          throw new ReleaseError('CONFLICT', `${manifest.section} ${manifest.version} was already published with other files; give the build a new version`);
        releaseId = existing.id;
      } else if (dryRun) {
        return { section: manifest.section, version: manifest.version, created: true, activated: true, dryRun: true };
      } else {
        const [row] = await manager.query(
          `INSERT INTO cabinet.releases (section, version, manifest, published_by) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`,
          [manifest.section, manifest.version, JSON.stringify(manifest), actor],
        );
        releaseId = row.id;
        for (const file of manifest.files) {
          const content = files.get(file.path)!;
          await manager.query(
            `INSERT INTO cabinet.release_blobs (sha256, content, content_gzip, size) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
            [file.sha256, content, content.length >= GZIP_FROM_BYTES ? gzipSync(content, { level: 9 }) : null, content.length],
          );
          await manager.query(`INSERT INTO cabinet.release_files (release_id, path, sha256, content_type) VALUES ($1, $2, $3, $4)`, [
            releaseId,
            file.path,
            file.sha256,
            contentTypeOf(file.path),
          ]);
        }
        await storeDocuments(manager, releaseId, documents);
      }
      if (canary && !dryRun) {
        if ((await activeReleaseId(manager, manifest.section)) === releaseId) {
          throw new ReleaseError('CONFLICT', `${manifest.section} ${manifest.version} is already live for everyone`);
        }
        await endCanary(manager, manifest.section, actor, 'replaced');
        await manager.query(
          `INSERT INTO cabinet.release_canaries (section, release_id, administrator_phones, percent, started_by) VALUES ($1, $2, $3, $4, $5)`,
          [manifest.section, releaseId, canary.administrators, canary.percent, actor],
        );
        await operatorLog.record(manager, actor, 'CANARY_STARTED', manifest.section, manifest.version, {
          administrators: canary.administrators.length,
          percent: canary.percent,
        });
        return { section: manifest.section, version: manifest.version, created: !existing, activated: false, canary };
      }
      const activated = (await activeReleaseId(manager, manifest.section)) !== releaseId;
      if (dryRun) return { section: manifest.section, version: manifest.version, created: false, activated, dryRun: true };
      await endCanary(manager, manifest.section, actor, 'replaced');
      if (activated) {
        await manager.query(`INSERT INTO cabinet.release_activations (section, release_id, activated_by) VALUES ($1, $2, $3)`, [
          manifest.section,
          releaseId,
          actor,
        ]);
        await operatorLog.record(manager, actor, 'RELEASE_ACTIVATED', manifest.section, manifest.version, { published: !existing });
      }
      return { section: manifest.section, version: manifest.version, created: !existing, activated };
    });
  },

  /** Makes the release that was live before the current one live again. */
  async rollback(dataSource: DataSource, section: string, actor: string): Promise<{ section: string; version: string; from: string }> {
    return dataSource.transaction(async (manager) => {
      await lockSection(manager, KIT_LOCK);
      await lockSection(manager, section);
      const live: { id: string; releaseId: string; version: string; manifest: ReleaseManifest }[] = await manager.query(
        `SELECT a.id::text AS id, a.release_id::text AS "releaseId", r.version, r.manifest FROM cabinet.release_activations a
         JOIN cabinet.releases r ON r.id = a.release_id
         WHERE a.section = $1 AND a.rolled_back_at IS NULL ORDER BY a.id DESC LIMIT 50`,
        [section],
      );
      if (live.length === 0) throw new ReleaseError('NOT_FOUND', `${section} has no release`);
      const current = live[0];
      const previous = live.find((a) => a.releaseId !== current.releaseId);
      if (!previous) throw new ReleaseError('NOTHING_TO_ROLL_BACK', `${section} ${current.version} is its only release; there is nothing to roll back to`);
      await assertKitCompatible(manager, previous.manifest);
      // Every activation of the current release above the previous one goes, so that the previous one is live.
      await manager.query(
        `UPDATE cabinet.release_activations SET rolled_back_at = now(), rolled_back_by = $3
         WHERE section = $1 AND rolled_back_at IS NULL AND id > $2::bigint`,
        [section, previous.id, actor],
      );
      await operatorLog.record(manager, actor, 'RELEASE_ROLLED_BACK', section, previous.version, { from: current.version });
      return { section, version: previous.version, from: current.version };
    });
  },

  /** Makes the section's canary release live for everyone (the kit is checked again against what is live now). */
  async promote(dataSource: DataSource, section: string, actor: string): Promise<{ section: string; version: string }> {
    return dataSource.transaction(async (manager) => {
      await lockSection(manager, KIT_LOCK);
      await lockSection(manager, section);
      const [canary] = await manager.query(
        `SELECT c.release_id::text AS "releaseId", r.manifest FROM cabinet.release_canaries c JOIN cabinet.releases r ON r.id = c.release_id
         WHERE c.section = $1 AND c.ended_at IS NULL`,
        [section],
      );
      if (!canary) throw new ReleaseError('NOT_FOUND', `${section} has no canary release`);
      await assertKitCompatible(manager, canary.manifest as ReleaseManifest);
      await assertImportsResolve(manager, canary.manifest as ReleaseManifest, await releaseFiles(manager, canary.releaseId));
      await endCanary(manager, section, actor, 'promoted');
      await manager.query(`INSERT INTO cabinet.release_activations (section, release_id, activated_by) VALUES ($1, $2, $3)`, [
        section,
        canary.releaseId,
        actor,
      ]);
      await operatorLog.record(manager, actor, 'CANARY_PROMOTED', section, (canary.manifest as ReleaseManifest).version);
      return { section, version: (canary.manifest as ReleaseManifest).version };
    });
  },

  /** Ends the section's canary: everyone gets the release that is live for everyone. */
  async drop(dataSource: DataSource, section: string, actor: string): Promise<{ section: string; version: string }> {
    return dataSource.transaction(async (manager) => {
      await lockSection(manager, section);
      const ended = await endCanary(manager, section, actor, 'dropped');
      if (!ended) throw new ReleaseError('NOT_FOUND', `${section} has no canary release`);
      await operatorLog.record(manager, actor, 'CANARY_DROPPED', section, ended.version);
      return { section, version: ended.version };
    });
  },

  /** Canaries, open ones first, then the ended ones newest first. */
  async canaries(db: Db): Promise<CanaryEntry[]> {
    return db.query(
      `SELECT c.section, r.version, c.administrator_phones AS administrators, c.percent, c.started_by AS "startedBy", c.started_at AS "startedAt",
         c.ended_at AS "endedAt", c.ended_by AS "endedBy", c.outcome
       FROM cabinet.release_canaries c JOIN cabinet.releases r ON r.id = c.release_id
       ORDER BY c.ended_at IS NOT NULL, c.id DESC LIMIT 200`,
    );
  },

  /**
   * The releases a viewer gets: the live ones, with a section's canary instead where the viewer is named in it or
   * falls in its share (a stable bucket of the administrator and the section, so one keeps seeing the same).
   */
  async activeFor(db: Db, viewer: Viewer | null): Promise<ActiveRelease[]> {
    const active = await releaseService.active(db);
    if (!viewer) return active;
    const canaries: ActiveRelease[] = await db.query(
      `SELECT c.section, r.version, r.manifest, c.started_at AS "activatedAt"
       FROM cabinet.release_canaries c JOIN cabinet.releases r ON r.id = c.release_id
       WHERE c.ended_at IS NULL AND ($2 = ANY(c.administrator_phones) OR mod(abs(hashtext(c.section || ':' || $1::text)::bigint), 100) < c.percent)`,
      [viewer.administratorId, viewer.phone],
    );
    if (canaries.length === 0) return active;
    const bySection = new Map(active.map((r) => [r.section, r]));
    for (const canary of canaries) bySection.set(canary.section, canary);
    return [...bySection.values()].sort((a, b) => a.section.localeCompare(b.section));
  },

  /** The live release of every section. */
  async active(db: Db): Promise<ActiveRelease[]> {
    const rows: { section: string; version: string; manifest: ReleaseManifest; activatedAt: Date }[] = await db.query(
      `SELECT a.section, r.version, r.manifest, a.activated_at AS "activatedAt"
       FROM cabinet.active_releases a JOIN cabinet.releases r ON r.id = a.release_id ORDER BY a.section`,
    );
    return rows;
  },

  /** Sections that have at least one release, live or not. */
  async publishedSections(db: Db): Promise<Set<string>> {
    const rows: { section: string }[] = await db.query(`SELECT DISTINCT section FROM cabinet.releases`);
    return new Set(rows.map((r) => r.section));
  },

  /** Activations of one section (or all), newest first. */
  async history(db: Db, section?: string): Promise<ReleaseHistoryEntry[]> {
    const rows: (Omit<ReleaseHistoryEntry, 'live'> & { id: string })[] = await db.query(
      `SELECT a.id::text AS id, a.section, r.version, a.activated_at AS "activatedAt", a.activated_by AS "activatedBy", a.rolled_back_at AS "rolledBackAt"
       FROM cabinet.release_activations a JOIN cabinet.releases r ON r.id = a.release_id
       WHERE $1::text IS NULL OR a.section = $1 ORDER BY a.id DESC LIMIT 200`,
      [section ?? null],
    );
    const liveIds = new Set(
      (
        await db.query(
          `SELECT (SELECT max(id) FROM cabinet.release_activations x WHERE x.section = s.section AND x.rolled_back_at IS NULL)::text AS id
         FROM (SELECT DISTINCT section FROM cabinet.release_activations) s`,
        )
      ).map((r: { id: string }) => r.id),
    );
    return rows.map(({ id, ...entry }) => ({ ...entry, live: liveIds.has(id) }));
  },

  /** The import map of the live releases: the shell's shared libraries and kit, and every section's entry. */
  importMap(active: ActiveRelease[]): { imports: Record<string, string> } {
    const imports: Record<string, string> = {};
    const ordered = [...active].sort((a, b) => (a.section === SHELL ? -1 : b.section === SHELL ? 1 : a.section.localeCompare(b.section)));
    for (const release of ordered) {
      for (const [specifier, path] of Object.entries(release.manifest.imports)) {
        imports[specifier] ??= `/assets/${release.section}/${path}`;
      }
      // The kit's version is visible in the map (and resolvable) so that a page and its sections can name it.
      if (release.section === SHELL && release.manifest.kit && imports['@cabinet/kit'])
        imports[`@cabinet/kit@${release.manifest.kit}`] = imports['@cabinet/kit'];
    }
    return { imports };
  },

  /**
   * The shell's page with the import map of the live releases inline (browsers do not load external import maps);
   * with overrides on, the map is the overridable one that import-map-overrides merges (see release.overrides.ts).
   */
  async shellPage(db: Db, active: ActiveRelease[], overrides: OverridesMode = { kind: 'none' }): Promise<{ html: string; importMap: string } | null> {
    const shell = active.find((r) => r.section === SHELL);
    if (!shell?.manifest.index) return null;
    const file = await releaseService.file(db, SHELL, shell.manifest.index, shell.version);
    if (!file) return null;
    const importMap = JSON.stringify(releaseService.importMap(active)).replace(/</g, '\\u003c');
    const html = file.content.toString('utf8').replace(IMPORT_MAP_MARK, () => importMapMarkup(importMap, overrides));
    return { html, importMap };
  },

  /** A file of a section; any release's (file names carry their content hash), or the given version's. */
  async file(db: Db, section: string, path: string, version?: string): Promise<ReleaseFile | null> {
    const [row] = await db.query(
      `SELECT b.content, b.content_gzip AS gzip, f.content_type AS "contentType", f.sha256
       FROM cabinet.release_files f JOIN cabinet.releases r ON r.id = f.release_id JOIN cabinet.release_blobs b ON b.sha256 = f.sha256
       WHERE r.section = $1 AND f.path = $2 AND ($3::text IS NULL OR r.version = $3) ORDER BY r.id DESC LIMIT 1`,
      [section, path, version ?? null],
    );
    return row ?? null;
  },
};
