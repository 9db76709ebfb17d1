// Developing one section against a running portal: the numbers section's Vite dev server (as `npm run dev -w mf-numbers`
// starts it, on a free port, its heading changed by a plugin of the test) is pointed at by an import-map override in
// the page; once the browser turns overrides on, the changed section shows and every other section stays the release,
// and an edit of one of its components reloads the page with the edit.
// Without the switch, for an origin the gateway does not allow, or on a gateway that does not allow overrides, the
// release shows.
// Run: npm run build && node --test mf-shell/e2e/overrides.e2e.mjs
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'vite';
import { devEntryPath, sectionDevConfig } from '../build/vite-config.mjs';
import { launchBrowser, step } from './browser.mjs';
import { eventually, ROOT, startGateway } from './gateway.mjs';
import { newContext, newPage, openPortal } from './portal.mjs';
import { signInFirstTime } from './sign-in.mjs';

const RELEASE_TITLE = 'Number management';
const DEV_TITLE = 'Number management (dev server)';
const LIST_PAGE = join(ROOT, 'mf-numbers', 'src', 'pages', 'NumberListPage.vue');
const SPECIFIER = '@cabinet/mf-numbers';

const freePort = () =>
  new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Changes the section's English heading in what the dev server serves, as a developer's edit would. */
const changedHeading = () => ({
  name: 'test:changed-heading',
  enforce: 'pre',
  transform(code, id) {
    if (id.endsWith('/mf-numbers/src/locales/en.json')) return code.replace(`"title": "${RELEASE_TITLE}"`, `"title": "${DEV_TITLE}"`);
    return undefined;
  },
});

// What the section's build compiled in: the manifest's version without the hash of the files (SECTION_VERSION, or the package's).
const releaseVersion = async (section) =>
  JSON.parse(await readFile(join(ROOT, section, 'dist', 'manifest.json'), 'utf8')).version.replace(/\+[0-9a-f]{10}$/, '');

// Every refusal of the page's content security policy, kept across reloads.
const recordPolicyViolations = (context) =>
  context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const seen = JSON.parse(sessionStorage.getItem('csp-violations') ?? '[]');
      seen.push(`${e.effectiveDirective} ${e.blockedURI}`);
      sessionStorage.setItem('csp-violations', JSON.stringify(seen));
    });
  });
const policyViolations = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('csp-violations') ?? '[]'));

describe('one section from its dev server in a running portal', { timeout: 600_000 }, () => {
  let portal;
  let gateway;
  let page;
  let dev;
  let devUrl;
  const devRequests = [];

  let listPage;

  before(async () => {
    listPage = await readFile(LIST_PAGE, 'utf8');
    const port = await freePort();
    const config = sectionDevConfig({ dir: join(ROOT, 'mf-numbers'), entries: { 'mf-numbers': 'src/mf-numbers.ts' } });
    dev = await createServer({ ...config, logLevel: 'warn', plugins: [changedHeading(), ...config.plugins], server: { ...config.server, port } });
    await dev.listen();
    devUrl = `http://127.0.0.1:${port}${devEntryPath('mf-numbers')}`;
    // The embedded default of `npm start` allows dev servers on this machine.
    portal = await openPortal();
    ({ gateway, page } = portal);
    await recordPolicyViolations(portal.context);
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`console: ${m.text()}\n`));
    page.on('request', (request) => {
      if (request.url().startsWith(`http://127.0.0.1:${port}/`)) devRequests.push(new URL(request.url()).pathname);
    });
    await page.evaluate(([key, url]) => localStorage.setItem(key, url), [`import-map-override:${SPECIFIER}`, devUrl]);
  });

  after(async () => {
    if (listPage !== undefined) await writeFile(LIST_PAGE, listPage);
    await portal?.close();
    await dev?.close();
  });

  const numbersHeading = () => page.locator('[data-section="mf-numbers"] h1').first();
  const sectionVersion = (section) => page.getAttribute(`[data-section="${section}"]`, 'data-section-version');

  it('shows the release while overrides are not turned on in this browser, though an override is set', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await numbersHeading().waitFor();
      assert.match(await numbersHeading().textContent(), new RegExp(`^\\s*${RELEASE_TITLE} ·`));
      assert.equal(await sectionVersion('mf-numbers'), await releaseVersion('mf-numbers'));
      assert.equal(await page.locator('[data-test="overrides-banner"]').count(), 0);
      assert.equal(await page.locator('script[type="overridable-importmap"]').count(), 0);
      assert.deepEqual(devRequests, [], 'nothing was asked of the dev server');
    });
  });

  it('turned on, loads the numbers section from the dev server with the portal’s shared libraries; the other sections stay the release', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-test="overrides-on"]');
      await page.locator('[data-test="overrides-banner"]').waitFor();
      const item = page.locator(`[data-test="overrides-banner"] [data-override="${SPECIFIER}"]`);
      assert.match(await item.textContent(), new RegExp(`${SPECIFIER}\\s+is loaded from\\s+${devUrl.replace(/[.]/g, '\\.')}`));

      await page.locator('[data-section="mf-numbers"] h1', { hasText: DEV_TITLE }).waitFor({ timeout: 60_000 });
      assert.equal(await sectionVersion('mf-numbers'), '0.1.0+dev');
      await page.locator('[data-section="mf-numbers"] tbody tr').first().waitFor();
      // Vue, the kit and the rest came from the portal: the dev server was asked only for the section's own modules.
      const shared = devRequests.filter((path) => path.includes('cabinet-shared/'));
      assert.ok(shared.some((path) => path.endsWith('/vue')) && shared.some((path) => path.endsWith('/@cabinet/kit')), devRequests.join('\n'));
      const libraries = devRequests.filter((path) => path.includes('/node_modules/') && !path.includes('/node_modules/vite/dist/client/'));
      assert.deepEqual(libraries, [], 'no library but Vite’s own client came from the dev server');
      const map = await page.evaluate(() => JSON.parse(document.querySelector('script[type="importmap"]').textContent).imports);
      assert.equal(map[SPECIFIER], devUrl);
      assert.match(map.vue, /^\/assets\/mf-shell\//, 'the shared libraries stay the deployed ones');
      assert.equal(await page.locator('link[data-section-styles="mf-numbers"]').count(), 0, 'the release’s numbers stylesheet stays out');

      await page.click('header nav a[href="/documents"]');
      await page.locator('[data-section="mf-documents"]').waitFor();
      assert.equal(await sectionVersion('mf-documents'), await releaseVersion('mf-documents'));
      assert.equal(await page.locator('[data-test="overrides-banner"]').count(), 1, 'the banner stays on every page');
      assert.deepEqual(await policyViolations(page), [], 'the page’s content security policy refused nothing');
    });
  });

  it('reloads the portal page with the change when a component of the section is edited', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await page.locator('[data-section="mf-numbers"] h1', { hasText: DEV_TITLE }).waitFor();
      const reloaded = page.waitForEvent('load', { timeout: 30_000 });
      await writeFile(LIST_PAGE, listPage.replace("{{ t('numbers.title') }}", "{{ t('numbers.title') }} (edited)"));
      try {
        await reloaded;
        await page.locator('[data-section="mf-numbers"] h1', { hasText: `${DEV_TITLE} (edited)` }).waitFor();
        assert.equal(await page.locator('[data-test="overrides-banner"]').count(), 1);
      } finally {
        await writeFile(LIST_PAGE, listPage);
      }
      await eventually(
        async () =>
          !/\(edited\)/.test(
            await numbersHeading()
              .textContent()
              .catch(() => '(edited)'),
          ),
        { timeout: 30_000, what: 'the edit undone' },
      );
    });
  });

  it('refuses an override to an origin the gateway does not allow, and the section says it could not be loaded', async (t) => {
    await step(t, page, async () => {
      const elsewhere = 'http://127.0.0.2:9/mf-profile.js';
      await page.evaluate((url) => localStorage.setItem('import-map-override:@cabinet/mf-profile', url), elsewhere);
      await page.goto(`${gateway.base}/profile`);
      await page.locator('[data-test="section-failed"]').waitFor();
      const refused = await eventually(async () => (await policyViolations(page)).find((v) => v.includes('127.0.0.2')), { what: 'the CSP refusal' });
      assert.match(refused, /^script-src(-elem)? http:\/\/127\.0\.0\.2:9\/mf-profile\.js$/);
      await page.click('[data-override="@cabinet/mf-profile"] button');
      await page.locator('[data-section="mf-profile"]').waitFor();
      assert.equal(await sectionVersion('mf-profile'), await releaseVersion('mf-profile'));
      await page.evaluate(() => sessionStorage.removeItem('csp-violations'));
    });
  });

  it('turned off, shows the release again', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await page.locator('[data-test="overrides-banner"]').waitFor();
      // The switch reloads the page. The dev server's client may reload it at the same moment and take the click away
      // with the page it leaves: then the banner is still there, and it is clicked again.
      const on = page.locator('[data-test="overrides-on"]');
      const off = page.locator('[data-test="overrides-off"]');
      let clicks = 0;
      await eventually(
        async () => {
          if (await on.isVisible()) return true;
          if (clicks < 3 && (await off.isVisible())) {
            clicks++;
            await off.click({ timeout: 5_000 }).catch(() => undefined);
            await on.waitFor({ timeout: 10_000 }).catch(() => undefined);
          }
          return false;
        },
        { timeout: 40_000, what: 'the switch to turn overrides on again' },
      );
      if (clicks > 1) process.stderr.write(`the switch to turn overrides off took ${clicks} clicks\n`);
      await page.locator('[data-section="mf-numbers"] h1', { hasText: RELEASE_TITLE }).waitFor();
      assert.doesNotMatch(await numbersHeading().textContent(), /dev server/);
      assert.equal(await sectionVersion('mf-numbers'), await releaseVersion('mf-numbers'));
      assert.equal(await page.locator('[data-test="overrides-banner"]').count(), 0);
    });
  });

  it('ignores the switch and every override on a gateway whose configuration does not allow them', async (t) => {
    const strict = await startGateway({ FRONTEND_OVERRIDES: 'off' });
    const browser = await launchBrowser();
    try {
      const context = await newContext(browser);
      const other = await newPage(context);
      await step(t, other, async () => {
        await signInFirstTime(other, strict);
        await context.addCookies([{ name: 'cabinet_overrides', value: 'on', url: strict.base }]);
        await other.evaluate(([key, url]) => localStorage.setItem(key, url), [`import-map-override:${SPECIFIER}`, devUrl]);
        await other.goto(`${strict.base}/numbers`);
        await other.locator('[data-section="mf-numbers"] h1', { hasText: RELEASE_TITLE }).waitFor();
        assert.equal(await other.getAttribute('[data-section="mf-numbers"]', 'data-section-version'), await releaseVersion('mf-numbers'));
        assert.equal(await other.locator('[data-test="overrides-on"]').count(), 0, 'no switch is offered');
        assert.equal(await other.locator('[data-test="overrides-banner"]').count(), 0);
        assert.equal(await other.locator('meta[name="cabinet-overrides"]').count(), 0);
        const scriptSrc = (await (await fetch(`${strict.base}/`)).headers.get('content-security-policy')).match(/script-src [^;]+/)[0];
        assert.match(scriptSrc, /^script-src 'self' 'sha256-[^']+'$/);
      });
    } finally {
      await browser.close();
      await strict.stop();
    }
  });
});
