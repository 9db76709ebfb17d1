// What every file of browser tests starts with: a gateway of its own, Chromium, one page (signed in by default).
import parsePdf from 'pdf-parse/lib/pdf-parse.js';
import { checkAccessibility, launchBrowser } from './browser.mjs';
import { startGateway } from './gateway.mjs';
import { signInFirstTime } from './sign-in.mjs';

/** A browser context like an administrator's desktop browser; downloads are kept; axe-core checks its pages. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true, ...options });
  await checkAccessibility(context);
  return context;
}

/** A page whose script errors show in the test output. */
export async function newPage(context) {
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  return page;
}

/**
 * Starts a gateway (`gatewayEnv` overrides its environment) and Chromium with one page; with `signIn` (the
 * default) the demo administrator signs in there first. `close()` ends both.
 */
export async function openPortal({ gatewayEnv = {}, signIn = true } = {}) {
  const gateway = await startGateway(gatewayEnv);
  let browser;
  try {
    browser = await launchBrowser();
    const context = await newContext(browser);
    const page = await newPage(context);
    if (signIn) await signInFirstTime(page, gateway);
    return {
      gateway,
      browser,
      context,
      page,
      async close() {
        await browser.close();
        await gateway.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await gateway.stop();
    throw error;
  }
}

/** The text of a PDF. pdf-parse misreads a Node Buffer (its offsets shift): it is given a plain Uint8Array of the bytes. */
export async function pdfText(bytes) {
  return (await parsePdf(new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength ?? bytes.length))).text;
}
