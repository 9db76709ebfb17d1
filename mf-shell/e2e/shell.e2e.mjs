// The shell around the sections: sign-out reaching every open page, an unreachable or slow API, password
// recovery across a reload, the language picked last, and the layout on a 390 px phone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot, step } from './browser.mjs';
import { eventually } from './gateway.mjs';
import { newContext, newPage, openPortal } from './portal.mjs';
import { DEMO_PASSWORD, DEMO_PHONE, logIn } from './sign-in.mjs';

let portal;
let gateway;
let browser;
let page;

const graphql = (target, query) =>
  target.evaluate(async (body) => {
    const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: body }) });
    return response.json();
  }, query);

async function signedInContext(options = {}) {
  const context = await newContext(browser, options);
  const first = await newPage(context);
  await first.goto(`${gateway.base}/login`);
  await logIn(first, DEMO_PHONE, DEMO_PASSWORD);
  await first.waitForURL(/\/numbers/);
  return { context, first };
}

async function openSections(context) {
  const documents = await newPage(context);
  await documents.goto(`${gateway.base}/documents`);
  await documents.locator('[data-section="mf-documents"] h1').waitFor();
  const profile = await newPage(context);
  await profile.goto(`${gateway.base}/profile`);
  await profile.locator('[data-test="profile-name"]').waitFor();
  return { documents, profile };
}

describe('the shell in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    portal = await openPortal();
    ({ gateway, browser, page } = portal);
  });

  after(() => portal?.close());

  it('sends every open page to the log-in page within a second of a logout, without a click, whatever section it shows', async (t) => {
    const { context, first } = await signedInContext();
    await step(t, first, async () => {
      const { documents, profile } = await openSections(context);
      await first.click('[data-test="admin-menu"] > button');
      await first.click('[data-test="logout"]');
      await first.waitForURL(/\/login/);
      const started = Date.now();
      await Promise.all([documents.waitForURL(/\/login/, { timeout: 1000 }), profile.waitForURL(/\/login/, { timeout: 1000 })]);
      assert.ok(Date.now() - started <= 1000, `the pages went to log in after ${Date.now() - started} ms`);
      assert.equal(await documents.locator('[data-section]').count(), 0, 'no company data stays on the Documents page');
      assert.equal(await profile.locator('[data-section]').count(), 0, 'no company data stays on the Profile page');
      await screenshot(documents, 'signed-out-documents');
    });
    await context.close();
  });

  it('sends the pages of other browsers to the log-in page within a second of "sign out everywhere else"', async (t) => {
    const elsewhere = await signedInContext();
    await step(t, page, async () => {
      const { documents, profile } = await openSections(elsewhere.context);
      const answer = await graphql(page, 'mutation { endOtherSessions }');
      assert.ok(answer.data.endOtherSessions >= 1, JSON.stringify(answer));
      const started = Date.now();
      await Promise.all([
        documents.waitForURL(/\/login/, { timeout: 1000 }),
        profile.waitForURL(/\/login/, { timeout: 1000 }),
        elsewhere.first.waitForURL(/\/login/, { timeout: 1000 }),
      ]);
      assert.ok(Date.now() - started <= 1000, `the pages went to log in after ${Date.now() - started} ms`);
      // This browser's own session goes on.
      await page.goto(`${gateway.base}/documents`);
      await page.locator('[data-section="mf-documents"] h1').waitFor();
    });
    await elsewhere.context.close();
  });

  it('says the portal cannot be reached and keeps the page while /graphql answers 502/503/504 or not at all, then goes on', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/documents`);
      await page.locator('[data-section="mf-documents"] h1').waitFor();
      for (const status of [503, 502, 504]) {
        await page.route('**/graphql', (route) => route.fulfill({ status, contentType: 'text/html', body: `<h1>${status}</h1>` }));
        await page.reload();
        const banner = page.locator('[data-test="unreachable"]');
        await banner.waitFor();
        assert.match(await banner.textContent(), /cannot be reached, retrying/);
        await page.locator('[data-test="shell-waiting"]').waitFor();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.match(page.url(), /\/documents/, `still on the page after ${status}`);
        await screenshot(page, `unreachable-${status}`);
        await page.unroute('**/graphql');
        await page.locator('[data-section="mf-documents"] h1').waitFor();
        await banner.waitFor({ state: 'detached' });
      }

      // Unreachable while signed in: the next page's queries wait and are retried.
      await page.route('**/graphql', (route) => route.abort('connectionrefused'));
      await page.click('header nav a[href="/numbers"]');
      await page.locator('[data-test="unreachable"]').waitFor();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.match(page.url(), /\/numbers/);
      assert.equal(await page.locator('header nav').count(), 1, 'the header stays');
      await page.unroute('**/graphql');
      await page.locator('[data-section="mf-numbers"] tr[data-msisdn="77010542006"]').waitFor();
      await page.locator('[data-test="unreachable"]').waitFor({ state: 'detached' });
    });
  });

  it('shows the layout and a loading state at once while the API is slow', async (t) => {
    await step(t, page, async () => {
      await page.route('**/graphql', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await route.continue().catch(() => undefined);
      });
      const started = Date.now();
      await page.goto(`${gateway.base}/numbers`, { waitUntil: 'commit' });
      await page.locator('[data-test="shell-waiting"]').waitFor({ timeout: 2000 });
      await page.locator('main [role="status"]').waitFor({ timeout: 2000 });
      assert.ok(Date.now() - started < 2500, `the layout showed after ${Date.now() - started} ms`);
      await screenshot(page, 'slow-api');
      await page.locator('[data-section="mf-numbers"] tr[data-msisdn="77010542006"]').waitFor({ timeout: 30_000 });
      await page.unroute('**/graphql');
    });
  });

  it('keeps step 2 of password recovery across a reload and counts down from what the API says', async (t) => {
    // A phone of no administrator is answered exactly as a known one, so it gives a window of its own.
    const PHONE_WITHOUT_ADMINISTRATOR = '77014440001';
    const context = await newContext(browser);
    const recovery = await newPage(context);
    await step(t, recovery, async () => {
      await recovery.goto(`${gateway.base}/recovery`);
      await recovery.fill('#recovery-phone', PHONE_WITHOUT_ADMINISTRATOR);
      await recovery.click('form[data-step="phone"] button[type="submit"]');
      await recovery.locator('form[data-step="code"]').waitFor();
      const countdown = recovery.locator('[data-test="resend-countdown"]');
      const before = Number(/(\d+)/.exec(await countdown.textContent())[1]);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await recovery.reload();
      await recovery.locator('form[data-step="code"]').waitFor();
      const left = Number(/(\d+)/.exec(await countdown.textContent())[1]);
      assert.ok(before >= 45 && before <= 60, `the countdown starts from the API's window: ${before} s`);
      assert.ok(left >= before - 8 && left <= before - 2, `after a reload the countdown goes on (${before} s, then ${left} s)`);

      // Asked again from step 1 within the minute: the API's retryAfterSeconds is shown and counted down.
      await recovery.click('form[data-step="code"] button.k-btn--secondary');
      await recovery.fill('#recovery-phone', PHONE_WITHOUT_ADMINISTRATOR);
      await recovery.click('form[data-step="phone"] button[type="submit"]');
      const notice = recovery.locator('[role="alert"], .k-alert', { hasText: 'ask for another' }).first();
      await notice.waitFor();
      const said = Number(/in (\d+) s/.exec(await notice.textContent())?.[1]);
      assert.ok(said > 0 && said <= 57, `the message names the seconds left: ${await notice.textContent()}`);
      const counting = Number(/(\d+)/.exec(await countdown.textContent())[1]);
      assert.ok(Math.abs(counting - said) <= 1, `the countdown (${counting} s) starts from the API's ${said} s`);
      await screenshot(recovery, 'recovery-rate-limited');
    });
    await context.close();
  });

  it('keeps the language picked on the log-in page after sign-in, and saves it to the profile', async (t) => {
    const context = await newContext(browser);
    const login = await newPage(context);
    await step(t, login, async () => {
      await login.goto(`${gateway.base}/login`);
      await login.click('button[data-language="kk"]');
      await logIn(login, DEMO_PHONE, DEMO_PASSWORD);
      await login.waitForURL(/\/numbers/);
      await login.locator('[data-section="mf-numbers"] h1', { hasText: 'Нөмірлерді басқару' }).waitFor();
      assert.equal(await login.getAttribute('html', 'lang'), 'kk');
      await eventually(async () => (await graphql(login, '{ me { language } }')).data.me.language === 'KK', { what: 'KK in the profile' });
      await login.click('button[data-language="en"]');
      await eventually(async () => (await graphql(login, '{ me { language } }')).data.me.language === 'EN', { what: 'EN in the profile' });
    });
    await context.close();
  });

  it('keeps the Documents tabs on one row at 1280 px in every language', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/documents`);
      await page.locator('[data-section="mf-documents"] h1').waitFor();
      for (const language of ['ru', 'kk', 'en']) {
        await page.click(`button[data-language="${language}"]`);
        await eventually(async () => (await page.getAttribute('html', 'lang')) === language, { what: language });
        const tabs = await page.$$eval('[data-section="mf-documents"] .k-tabs li', (items) => items.map((li) => li.getBoundingClientRect().top));
        assert.equal(new Set(tabs).size, 1, `${language}: the tabs sit on ${new Set(tabs).size} rows`);
        const frame = await page.$eval('[data-section="mf-documents"] .k-tabs', (list) => list.scrollWidth - list.clientWidth);
        assert.equal(frame, 0, `${language}: the tabs need ${frame} px more`);
      }
    });
  });

  it('fits a 390 px phone: no sideways scrolling, a header of at most 120 px, on the numbers, a number and the documents', async (t) => {
    const { context, first: phone } = await signedInContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await step(t, phone, async () => {
      const fits = async (what) => {
        const { width, header, current } = await phone.evaluate(() => {
          const link = document.querySelector('header nav a[aria-current="page"]')?.getBoundingClientRect();
          return {
            width: document.documentElement.scrollWidth,
            header: document.querySelector('header.header')?.getBoundingClientRect().height ?? 0,
            current: link ? link.left >= 0 && link.left < innerWidth - 40 : false,
          };
        });
        await screenshot(phone, `390-${what}`);
        assert.ok(width <= 390, `${what}: the page is ${width} px wide on a 390 px screen`);
        assert.ok(header > 0 && header <= 120, `${what}: the header takes ${header} px`);
        assert.ok(current, `${what}: the current section starts in view in the header`);
      };
      await phone.locator('[data-section="mf-numbers"] tr[data-msisdn="77010542006"]').waitFor();
      await fits('numbers');
      await phone.locator('[data-section="mf-numbers"] tr[data-msisdn="77010542006"] th a').click();
      await phone.locator('[data-section="mf-numbers"] header[data-msisdn="77010542006"]').waitFor();
      await fits('number');
      await phone.goto(`${gateway.base}/documents`);
      await phone.locator('[data-section="mf-documents"] h1').waitFor();
      await fits('documents');
    });
    await context.close();
  });
});
