// Debian's Chromium driven by playwright-core: no browser is downloaded by any tool.
import { mkdirSync } from 'node:fs';
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

const fileName = (name) => name.replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '').slice(0, 100);

/** A PNG of the page in artifacts/e2e/ (always on failure; with E2E_SCREENSHOTS=1 at every checkpoint too). */
export async function screenshot(page, name, { always = false } = {}) {
  if (!always && !process.env.E2E_SCREENSHOTS) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${fileName(name)}.png`), fullPage: true }).catch(() => undefined);
}

/** Runs a step of a test; when it fails, the page is photographed before the failure is reported. */
export async function step(t, page, fn) {
  try {
    await fn();
    await screenshot(page, t.name);
  } catch (error) {
    await screenshot(page, `FAILED-${t.name}`, { always: true });
    throw error;
  }
}
