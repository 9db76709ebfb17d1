// Sections and the shell across releases in Chromium: a section's styles leave with it, a section of the previous
// release runs under the current shell and the reverse, the registry refuses a pair whose kit versions differ, and
// a canary reaches only the administrators it names.
// Run: npm run build && node --test mf-shell/e2e/releases.e2e.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { step } from './browser.mjs';
import { ROOT } from './gateway.mjs';
import { openPortal } from './portal.mjs';
import { buildPreviousRelease } from './previous-release.mjs';
import { DEMO_PHONE } from './sign-in.mjs';

const CLI = join(ROOT, 'gateway', 'dist', 'releases', 'release.cli.js');
const { satisfies } = createRequire(import.meta.url)(join(ROOT, 'gateway', 'dist', 'releases', 'release.manifest.js'));
const kitOf = async (dir) => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).kit;
const kitRange = async (section) => JSON.parse(await readFile(join(ROOT, section, 'package.json'), 'utf8')).cabinet.kit;
const MSISDN = '77010542006';

let portal;
let gateway;
let page;
let previous;

const cli = (args, env = {}) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
const deploy = (section, dist) => {
  const result = cli([section, '--dist', dist, '--url', gateway.base], { DEPLOY_TOKEN: gateway.deployToken });
  assert.equal(result.status, 0, `deploying ${section} from ${dist} failed:\n${result.stdout}\n${result.stderr}`);
};
const releaseCommand = (args) => {
  const result = cli([...args, '--url', gateway.base], { DEPLOY_TOKEN: gateway.deployToken });
  assert.equal(result.status, 0, `deploy ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};
const rollback = (section) => {
  const result = cli(['rollback', section, '--url', gateway.base], { DEPLOY_TOKEN: gateway.deployToken });
  assert.equal(result.status, 0, `rolling back ${section} failed:\n${result.stderr}`);
};
const importMap = () => page.evaluate(() => JSON.parse(document.querySelector('script[type="importmap"]').textContent).imports);
const sectionStyles = (section) =>
  page.evaluate((prefix) => [...document.styleSheets].filter((sheet) => sheet.href?.includes(prefix)).length, `/assets/${section}/`);
const numbersShown = async () => {
  await page.locator(`[data-section="mf-numbers"] tr[data-msisdn="${MSISDN}"]`).waitFor();
  return page.getAttribute('[data-section="mf-numbers"]', 'data-section-version');
};

describe('sections across releases in Chromium', { timeout: 900_000 }, () => {
  before(async () => {
    previous = await buildPreviousRelease(['mf-shell', 'mf-numbers']);
    portal = await openPortal();
    ({ gateway, page } = portal);
  });

  after(async () => {
    await portal?.close();
    await previous?.remove();
  });

  it('removes a section’s stylesheet when it unmounts: numbers → documents → numbers', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await numbersShown();
      assert.equal(await sectionStyles('mf-numbers'), 1, 'the numbers stylesheet is in the page');

      await page.click('header nav a[href="/documents"]');
      await page.locator('[data-section="mf-documents"]').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-section="mf-numbers"]'));
      assert.equal(await sectionStyles('mf-numbers'), 0, 'no numbers styles are left on the documents page');
      assert.equal(await sectionStyles('mf-documents'), 1, 'the documents stylesheet is in the page');

      await page.click('header nav a[href="/numbers"]');
      await numbersShown();
      assert.equal(await sectionStyles('mf-documents'), 0, 'no documents styles are left on the numbers page');
      assert.equal(await sectionStyles('mf-numbers'), 1, 'the numbers stylesheet is back, once');
    });
  });

  it('runs the numbers section of the previous release under the current shell', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      const current = await numbersShown();
      deploy('mf-numbers', previous.dist['mf-numbers']);
      await page.reload();
      assert.equal(await numbersShown(), previous.version);
      await page.click('header nav a[href="/documents"]');
      await page.locator('[data-section="mf-documents"]').waitFor();
      rollback('mf-numbers');
      await page.goto(`${gateway.base}/numbers`);
      assert.equal(await numbersShown(), current);
    });
  });

  it('runs the current sections under the shell of the previous release, or refuses it when its kit is too old for them', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      const current = await numbersShown();
      const shellBefore = (await importMap())['@cabinet/shell'];
      const previousKit = await kitOf(previous.dist['mf-shell']);
      const tooNew = [];
      for (const section of ['mf-numbers', 'mf-documents', 'mf-profile']) {
        const range = await kitRange(section);
        if (!satisfies(previousKit, range)) tooNew.push(range);
      }
      if (tooNew.length > 0) {
        const refused = cli(['mf-shell', '--dist', previous.dist['mf-shell'], '--url', gateway.base], { DEPLOY_TOKEN: gateway.deployToken });
        assert.notEqual(refused.status, 0, 'a shell whose kit the live sections do not accept is refused');
        const said = refused.stdout + refused.stderr;
        assert.ok(said.includes(previousKit) && tooNew.some((range) => said.includes(range)), `the refusal names both versions:\n${said}`);
        await page.reload();
        assert.equal((await importMap())['@cabinet/shell'], shellBefore, 'the live shell stays');
        assert.equal(await numbersShown(), current);
        return;
      }
      deploy('mf-shell', previous.dist['mf-shell']);
      await page.reload();
      assert.notEqual((await importMap())['@cabinet/shell'], shellBefore, 'the previous shell is served');
      assert.equal(await numbersShown(), current);
      await page.click('header nav a[href="/documents"]');
      await page.locator('[data-section="mf-documents"]').waitFor();
      rollback('mf-shell');
      await page.reload();
      assert.equal((await importMap())['@cabinet/shell'], shellBefore);
    });
  });

  it('refuses a section whose kit range the live kit is outside of, naming both versions; the page keeps the live one', async (t) => {
    const dist = await mkdtemp(join(tmpdir(), 'cabinet-e2e-incompatible-'));
    try {
      await step(t, page, async () => {
        await page.goto(`${gateway.base}/numbers`);
        const current = await numbersShown();
        const shell = JSON.parse(await readFile(join(ROOT, 'mf-shell', 'dist', 'manifest.json'), 'utf8'));
        await cp(join(ROOT, 'mf-numbers', 'dist'), dist, { recursive: true });
        const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8'));
        const [major] = shell.kit.split('.').map(Number);
        Object.assign(manifest, { version: '99.0.0-needs-next-kit', kit: `^${major + 1}.0.0` });
        await writeFile(join(dist, 'manifest.json'), JSON.stringify(manifest));

        const result = cli(['mf-numbers', '--dist', dist, '--url', gateway.base], { DEPLOY_TOKEN: gateway.deployToken });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, new RegExp(`409: mf-numbers 99\\.0\\.0-needs-next-kit works with @cabinet/kit \\^${major + 1}\\.0\\.0`));
        assert.match(result.stderr, new RegExp(`provides kit ${shell.kit.replace(/\./g, '\\.')}`));
        await page.reload();
        assert.equal(await numbersShown(), current);
      });
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });

  it('serves a canary to the administrators it names only, follows it when it changes, and to everyone once promoted', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      const current = await numbersShown();
      const anonymousEntry = async () => (await (await fetch(`${gateway.base}/importmap.json`)).json()).imports['@cabinet/mf-numbers'];
      const liveEntry = await anonymousEntry();

      assert.match(releaseCommand(['mf-numbers', '--dist', previous.dist['mf-numbers'], '--canary', DEMO_PHONE]), /live as a canary for 77012112170/);
      await page.reload();
      assert.equal(await numbersShown(), previous.version, 'the named administrator gets the canary');
      assert.equal(await anonymousEntry(), liveEntry, 'a visitor who is not named keeps the live release');

      releaseCommand(['mf-numbers', '--dist', previous.dist['mf-numbers'], '--canary', '77010000009']);
      await page.reload();
      assert.equal(await numbersShown(), current, 'no longer named, the administrator is back on the live release');

      releaseCommand(['drop', 'mf-numbers']);
      releaseCommand(['mf-numbers', '--dist', previous.dist['mf-numbers'], '--canary', DEMO_PHONE]);
      assert.match(releaseCommand(['promote', 'mf-numbers']), /is live for everyone/);
      assert.notEqual(await anonymousEntry(), liveEntry, 'promoted, the canary is everyone’s');
      await page.reload();
      assert.equal(await numbersShown(), previous.version);

      rollback('mf-numbers');
      await page.reload();
      assert.equal(await numbersShown(), current);
      const history = await (await fetch(`${gateway.base}/releases`, { headers: { authorization: `Bearer ${gateway.deployToken}` } })).json();
      assert.deepEqual(
        history.canaries.slice(0, 3).map((c) => c.outcome),
        ['promoted', 'dropped', 'replaced'],
      );
    });
  });
});
