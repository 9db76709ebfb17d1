/** A front-end build as its build script describes it (`dist/manifest.json`). */
export interface ReleaseManifest {
  section: string;
  version: string;
  /** The module single-spa loads (or, for mf-shell, the shell's root config). */
  entry: string;
  /** mf-shell only: the page every route of the portal serves, with the import map put in. */
  index?: string;
  /** URL prefixes the section answers; the gateway serves the shell's page on them. */
  routes: string[];
  /** Import-map entries this release provides: specifier → file path. */
  imports: Record<string, string>;
  files: { path: string; sha256: string; size: number }[];
  /**
   * mf-shell: the version of `@cabinet/kit` it provides (semver). A section: the kit versions it works with,
   * as a semver range (`^1.2.0`, `~1.2.0`, `1.2.0`, `>=1.2.0 <3.0.0`, joined with `||`). Builds made before
   * kit versions existed have none and are not checked.
   */
  kit?: string;
  /** The file of the release's GraphQL documents by sha256 (its trusted documents); builds made before have none. */
  documents?: string;
}

export class ReleaseError extends Error {
  constructor(
    readonly code: 'BAD_MANIFEST' | 'CONFLICT' | 'NOT_FOUND' | 'NOTHING_TO_ROLL_BACK' | 'INCOMPATIBLE_KIT' | 'SMOKE_CHECK_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'ReleaseError';
  }
}

export const SECTION_NAME = /^mf-[a-z][a-z0-9-]{0,40}$/;
export const SHELL = 'mf-shell';
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,99}$/;
const FILE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const SPECIFIER = /^[@A-Za-z0-9_][A-Za-z0-9_./@-]{0,200}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_FILES = 500;
const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const COMPARATOR = /^(\^|~|>=|<=|>|<|=)?(\d+\.\d+\.\d+)$/;

type Triple = [number, number, number];
const triple = (version: string): Triple | undefined => {
  const m = SEMVER.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
};
const compare = (a: Triple, b: Triple) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** One `||` alternative of a range as lower/upper comparisons; undefined when it is not a supported range. */
function alternative(text: string): ((v: Triple) => boolean)[] | undefined {
  const tests: ((v: Triple) => boolean)[] = [];
  for (const part of text.trim().split(/\s+/)) {
    const m = COMPARATOR.exec(part);
    const base = m && triple(m[2]);
    if (!m || !base) return undefined;
    const [major, minor] = base;
    switch (m[1]) {
      case '^': {
        const upper: Triple = major > 0 ? [major + 1, 0, 0] : minor > 0 ? [0, minor + 1, 0] : [0, 0, base[2] + 1];
        tests.push((v) => compare(v, base) >= 0 && compare(v, upper) < 0);
        break;
      }
      case '~':
        tests.push((v) => compare(v, base) >= 0 && compare(v, [major, minor + 1, 0]) < 0);
        break;
      case '>=':
        tests.push((v) => compare(v, base) >= 0);
        break;
      case '<=':
        tests.push((v) => compare(v, base) <= 0);
        break;
      case '>':
        tests.push((v) => compare(v, base) > 0);
        break;
      case '<':
        tests.push((v) => compare(v, base) < 0);
        break;
      default:
        tests.push((v) => compare(v, base) === 0);
    }
  }
  return tests.length > 0 ? tests : undefined;
}

/** Whether `version` (X.Y.Z) lies in `range`; undefined when either is not understood. */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = triple(version);
  const alternatives = range.split('||').map(alternative);
  if (!v || alternatives.some((a) => !a)) return undefined;
  return alternatives.some((tests) => tests!.every((test) => test(v)));
}

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
};

/** The Content-Type a release file is served with; files of other kinds are refused at publication. */
export function contentTypeOf(path: string): string | undefined {
  return CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1).toLowerCase()];
}

/**
 * Checks a manifest before anything is written: names and paths are safe, every referenced file is listed,
 * and a section may only add import-map entries under its own name (only the shell provides the shared libraries).
 */
export function parseManifest(input: unknown): ReleaseManifest {
  const bad = (why: string): never => {
    throw new ReleaseError('BAD_MANIFEST', `Invalid release manifest: ${why}`);
  };
  if (typeof input !== 'object' || input === null) bad('not an object');
  const m = input as Record<string, unknown>;
  if (typeof m.section !== 'string' || !SECTION_NAME.test(m.section)) bad('section must look like mf-name');
  if (typeof m.version !== 'string' || !VERSION.test(m.version)) bad('version must be 1 to 100 letters, digits, ".", "+", "_" or "-"');
  if (!Array.isArray(m.files) || m.files.length === 0 || m.files.length > MAX_FILES) bad(`files must list 1 to ${MAX_FILES} files`);
  const files = (m.files as unknown[]).map((f) => {
    const file = f as Record<string, unknown>;
    if (typeof file?.path !== 'string' || file.path.length > 300 || !FILE_PATH.test(file.path)) bad(`bad file path ${JSON.stringify(file?.path)}`);
    if (!contentTypeOf(file.path as string)) bad(`${file.path as string}: this kind of file is not served`);
    if (typeof file.sha256 !== 'string' || !SHA256.test(file.sha256)) bad(`${file.path as string}: sha256 must be 64 hex digits`);
    if (typeof file.size !== 'number' || !Number.isInteger(file.size) || file.size < 0) bad(`${file.path as string}: size must be a whole number`);
    return { path: file.path as string, sha256: file.sha256 as string, size: file.size as number };
  });
  const paths = new Set(files.map((f) => f.path));
  if (paths.size !== files.length) bad('a file is listed twice');
  if (typeof m.entry !== 'string' || !paths.has(m.entry)) bad('entry must be one of the files');
  const section = m.section as string;
  if (section === SHELL && (typeof m.index !== 'string' || !paths.has(m.index))) bad('the shell must name its index page among its files');
  if (section !== SHELL && m.index !== undefined) bad('only mf-shell has an index page');
  const routes = m.routes ?? [];
  if (!Array.isArray(routes) || routes.length > 20 || routes.some((r) => typeof r !== 'string' || !/^\/[A-Za-z0-9/_-]*$/.test(r))) {
    bad('routes must be up to 20 paths starting with /');
  }
  if (m.kit !== undefined) {
    if (typeof m.kit !== 'string' || m.kit.length > 100) bad('kit must be a version (mf-shell) or a version range (a section)');
    if (section === SHELL ? !triple(m.kit as string) : satisfies('0.0.0', m.kit as string) === undefined) {
      bad(section === SHELL ? `kit ${JSON.stringify(m.kit)} is not a version like 1.2.0` : `kit ${JSON.stringify(m.kit)} is not a version range like ^1.2.0`);
    }
  }
  if (m.documents !== undefined && (typeof m.documents !== 'string' || !paths.has(m.documents))) bad('documents must name one of the files');
  if (typeof m.imports !== 'object' || m.imports === null || Array.isArray(m.imports)) bad('imports must map specifiers to files');
  const imports = m.imports as Record<string, unknown>;
  for (const [specifier, path] of Object.entries(imports)) {
    if (!SPECIFIER.test(specifier)) bad(`bad import specifier ${JSON.stringify(specifier)}`);
    if (typeof path !== 'string' || !paths.has(path)) bad(`import ${specifier} must point at one of the files`);
    const own = specifier === `@cabinet/${section}` || specifier.startsWith(`@cabinet/${section}/`);
    if (section !== SHELL && !own) bad(`${section} may only provide @cabinet/${section} imports, not ${specifier}`);
  }
  return {
    section,
    version: m.version as string,
    entry: m.entry as string,
    ...(section === SHELL ? { index: m.index as string } : {}),
    routes: routes as string[],
    imports: imports as Record<string, string>,
    files,
    ...(m.kit !== undefined ? { kit: m.kit as string } : {}),
    ...(m.documents !== undefined ? { documents: m.documents as string } : {}),
  };
}
