// Signing in from the browser, shared by the browser tests.
import { eventually } from './gateway.mjs';

/** The demo administrator (no password until the first sign-in through recovery). */
export const DEMO_PHONE = '77012112170';
export const DEMO_PASSWORD = 'snow falls on the steppe at dawn';

/** Fills the log-in form and submits it. */
export async function logIn(page, phone, password) {
  await page.fill('#login-phone', phone);
  await page.fill('#login-password', password);
  await page.click('form button[type="submit"]');
}

/**
 * The first sign-in of an administrator without a password: recovery by the SMS code read from the gateway's
 * log, then the new password; ends on the page the portal opens after sign-in. Switches the portal to English.
 */
export async function signInFirstTime(page, gateway, { phone = DEMO_PHONE, password = DEMO_PASSWORD } = {}) {
  await page.goto(`${gateway.base}/recovery`);
  await page.fill('#recovery-phone', phone);
  await page.click('form[data-step="phone"] button[type="submit"]');
  const code = await eventually(() => gateway.smsCodes(phone).at(-1), { what: 'the SMS code in the gateway log' });
  await page.fill('#recovery-code', code);
  await page.click('form[data-step="code"] button[type="submit"]');
  await page.locator('form[data-step="password"]').waitFor();
  await page.fill('#recovery-password', password);
  await page.fill('#recovery-repeat', password);
  await page.click('form[data-step="password"] button[type="submit"]');
  await page.waitForURL((url) => !/\/(recovery|login)/.test(url.pathname));
  await page.click('button[data-language="en"]');
  await eventually(async () => (await page.getAttribute('html', 'lang')) === 'en', { what: 'the portal in English' });
}
