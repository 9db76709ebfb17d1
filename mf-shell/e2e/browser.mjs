// Debian's Chromium driven by playwright-core: no browser is downloaded by any tool.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './gateway.mjs';

export const ARTIFACTS = join(ROOT, 'artifacts', 'e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const violations = new WeakMap();

/**
 * axe-core in every page of a context: it checks each page the portal shows (after a load or a change of URL) and
 * each dialog when it opens, and keeps what it finds for `assertAccessible`. Best practices are included (unique
 * landmarks, content in landmarks), and the visible label of a control must be part of its name.
 */
export async function checkAccessibility(context) {
  // Reported to the test as they are found, so that a reload of the page loses none.
  await context.exposeBinding('__a11yFound', ({ page }, list) => {
    if (!violations.has(page)) violations.set(page, new Map());
    for (const v of list) violations.get(page).set(`${v.rule} ${v.page} ${v.target}`, v);
  });
  await context.addInitScript(`${AXE_SOURCE}
;(() => {
  const options = { rules: { 'label-content-name-mismatch': { enabled: true } } };
  let queue = Promise.resolve();
  let timer;
  const run = (why) => {
    queue = queue.then(async () => {
      try {
        const result = await axe.run(document, options);
        const list = result.violations.flatMap((v) => v.nodes.map((node) => ({ rule: v.id, impact: v.impact, help: v.help, target: node.target.join(' '), html: node.html.slice(0, 200), page: location.pathname, when: why })));
        if (list.length > 0) await window.__a11yFound(list);
      } catch (error) {
        await window.__a11yFound([{ rule: 'axe-error', help: String(error), target: '', page: location.pathname, when: why }]);
      }
    });
    return queue;
  };
  // A page is checked once it has settled: nothing loading, and no change to the document for half a second.
  let pending;
  let waited = 0;
  const busy = () => document.querySelector('.k-loading, [aria-busy="true"]') !== null;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (busy() && waited++ < 20) return later();
      const why = pending;
      pending = undefined;
      run(why);
    }, 500);
  };
  const soon = (why) => {
    pending = why;
    waited = 0;
    later();
  };
  new MutationObserver(() => {
    if (pending) later();
  }).observe(document, { childList: true, subtree: true, characterData: true });
  window.__a11y = { flush: () => { clearTimeout(timer); pending = undefined; return run('checkpoint'); } };
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method];
    history[method] = function (...args) {
      const result = original.apply(this, args);
      soon('page ' + location.pathname);
      return result;
    };
  }
  addEventListener('popstate', () => soon('page ' + location.pathname));
  addEventListener('load', () => soon('page ' + location.pathname));
  const isDialog = (node) => node.nodeType === 1 && (node.matches('[role="dialog"], [role="alertdialog"], dialog') || node.querySelector('[role="dialog"], [role="alertdialog"], dialog'));
  new MutationObserver((records) => {
    if (records.some((r) => [...r.addedNodes].some(isDialog) || (r.type === 'attributes' && r.target.nodeName === 'DIALOG' && r.target.open))) soon('dialog');
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['open'] });
})();`);
}

/** Checks the page as it is now with axe-core and fails on any violation found on it or on any page or dialog since it opened. */
export async function assertAccessible(page) {
  await page.evaluate(() => window.__a11y?.flush());
  const found = [...(violations.get(page)?.values() ?? [])];
  violations.delete(page);
  if (found.length > 0) {
    const lines = found.map((v) => `  ${v.rule} (${v.impact ?? 'n/a'}) on ${v.page} [${v.when}]: ${v.help}\n    ${v.target}  ${v.html ?? ''}`);
    throw new Error(`axe-core found ${found.length} accessibility violation(s):\n${lines.join('\n')}`);
  }
}

const fileName = (name) =>
  name
    .replace(/[^\w-]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100);

/** A PNG of the page in artifacts/e2e/ (always on failure; with E2E_SCREENSHOTS=1 at every checkpoint too). */
export async function screenshot(page, name, { always = false } = {}) {
  if (!always && !process.env.E2E_SCREENSHOTS) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${fileName(name)}.png`), fullPage: true }).catch(() => undefined);
}

/**
 * Runs a step of a test, then checks with axe-core every page and dialog it showed; when it fails, the page is
 * photographed before the failure is reported.
 */
export async function step(t, page, fn) {
  try {
    await fn();
    await assertAccessible(page);
    await screenshot(page, t.name);
  } catch (error) {
    await screenshot(page, `FAILED-${t.name}`, { always: true });
    throw error;
  }
}
