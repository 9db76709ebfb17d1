// The administrator profile in Chromium against the built gateway: e-mail and password changes, company short
// names, partner API keys used from outside the browser, webhooks to a receiver on this machine, and signing out
// other sessions.
// Run: npm run build -w gateway && npm run build -w mf-shell -w mf-profile && npx node --test --test-concurrency=1 mf-shell/e2e/profile.e2e.mjs
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { screenshot, step } from './browser.mjs';
import { eventually } from './gateway.mjs';
import { newContext, newPage, openPortal } from './portal.mjs';
import { DEMO_PASSWORD, DEMO_PHONE, logIn } from './sign-in.mjs';

const NEW_EMAIL = 'ivan.petrov@cabinet.example.kz';
const NEW_PASSWORD = 'the wind carries seeds across the river';

let portal;
let gateway;
let browser;
let page;

const profile = (selector) => page.locator(`[data-section="mf-profile"] ${selector}`);
const rule = (name) => profile(`[data-rule="${name}"]`);
const ruleMet = async (name) => (await rule(name).getAttribute('data-met')) === 'true';

async function openTab(target, href) {
  await target.click(`[data-section="mf-profile"] nav a[href="${href}"]`);
  await target.waitForURL((url) => url.pathname === href);
}

/** A partner's request: the test process itself, with the key, as any program would send it. */
async function partnerQuery(secret, query, variables) {
  const response = await fetch(`${gateway.base}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

describe('the administrator profile in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    // Webhooks may go to a receiver on loopback: the test's own.
    portal = await openPortal({ gatewayEnv: { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_POLL_MS: '100' } });
    ({ gateway, browser, page } = portal);
  });

  after(() => portal?.close());

  it('changes the e-mail with the current password, and the whole portal knows the new one', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-test="admin-menu"] > button');
      await page.click('[data-test="admin-menu"] a[href="/profile"]');
      await profile('[data-test="profile-name"]').waitFor();
      const form = profile('[data-test="email-form"]');

      await form.locator('input[name="email"]').fill('not an address');
      await form.locator('input[name="currentPassword"]').fill(DEMO_PASSWORD);
      await form.locator('button[type="submit"]').click();
      assert.equal(await form.locator('input[name="email"]').getAttribute('aria-invalid'), 'true');

      await form.locator('input[name="email"]').fill(NEW_EMAIL);
      await form.locator('input[name="currentPassword"]').fill('a wrong current password');
      await form.locator('button[type="submit"]').click();
      await form.locator('[role="alert"]', { hasText: 'The current password is wrong.' }).waitFor();

      await form.locator('input[name="currentPassword"]').fill(DEMO_PASSWORD);
      await form.locator('button[type="submit"]').click();
      await form.locator('[data-test="form-success"]', { hasText: NEW_EMAIL }).waitFor();
      await profile('[data-test="profile-email"]', { hasText: NEW_EMAIL }).waitFor();
      await screenshot(page, 'profile-email-changed');
    });
  });

  it('changes the password with the policy explained as it is typed, and signs in with the new one', async (t) => {
    await step(t, page, async () => {
      await openTab(page, '/profile/security');
      const form = profile('[data-test="password-form"]');
      await form.locator('input[name="currentPassword"]').fill(DEMO_PASSWORD);

      await form.locator('input[name="password"]').pressSequentially('short one');
      assert.match(await rule('LENGTH').textContent(), /\(now 9\)/);
      assert.equal(await ruleMet('LENGTH'), false);
      // The session follows the changed e-mail: typing it as the password is flagged at once.
      await form.locator('input[name="password"]').fill(NEW_EMAIL);
      assert.equal(await ruleMet('LENGTH'), true);
      assert.equal(await ruleMet('NOT_IDENTITY'), false);

      // Common passwords are known to the gateway only: its reason is shown when it answers.
      await form.locator('input[name="password"]').fill('123456789012345');
      await form.locator('input[name="passwordRepeat"]').fill('123456789012345');
      assert.equal(await ruleMet('REPEAT'), true);
      await form.locator('button[type="submit"]').click();
      await form.locator('[role="alert"]', { hasText: 'This password is common' }).waitFor();
      await screenshot(page, 'profile-password-common');

      await form.locator('input[name="password"]').fill(NEW_PASSWORD);
      await form.locator('input[name="passwordRepeat"]').fill(NEW_PASSWORD);
      for (const name of ['LENGTH', 'NOT_IDENTITY', 'REPEAT']) assert.equal(await ruleMet(name), true, name);
      await form.locator('button[type="submit"]').click();
      await form.locator('[data-test="form-success"]').waitFor();

      await page.click('[data-test="admin-menu"] > button');
      await page.click('[data-test="logout"]');
      await page.waitForURL(/\/login/);
      await logIn(page, DEMO_PHONE, DEMO_PASSWORD);
      await page.locator('[data-test="login-problem"]').waitFor();
      await logIn(page, DEMO_PHONE, NEW_PASSWORD);
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.locator('[data-test="admin-menu"]').waitFor();
    });
  });

  it('gives a company a short name that the header’s company selector shows', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/profile/companies`);
      const form = profile('form[data-company-bin="750750750750"]');
      await form.locator('input').fill('Кабинет HQ');
      await form.locator('button[type="submit"]').click();
      await page.locator('header select option', { hasText: 'Кабинет HQ' }).waitFor({ state: 'attached' });
      await page.locator('header select').selectOption({ label: (await page.locator('header select option', { hasText: 'Кабинет HQ' }).textContent()).trim() });
      await screenshot(page, 'profile-companies-short-name');
    });
  });

  it('creates a partner key whose secret is shown once, answers a GraphQL request with it, and refuses it once revoked', async (t) => {
    await step(t, page, async () => {
      await openTab(page, '/profile/api-keys');
      await profile('[data-test="api-keys-company"]', { hasText: 'Кабинет HQ' }).waitFor();
      const form = profile('[data-test="api-key-form"]');
      await form.locator('input[name="name"]').fill('ERP export');
      await form.locator('input[value="READ"]').check();
      await form.locator('button[type="submit"]').click();
      const secret = (await profile('[data-test="secret-value"]').textContent()).trim();
      assert.match(secret, /^cab_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      await screenshot(page, 'profile-api-key-secret');
      await profile('[data-test="secret-stored"]').click();
      await form.waitFor();
      assert.equal(await page.locator(`text=${secret}`).count(), 0, 'the secret is not shown again');
      const row = profile('tr[data-api-key="ERP export"]');
      await row.waitFor();
      assert.match(await row.textContent(), new RegExp(`cab_${secret.slice(4, 12)}_`));

      // The guide's sample, sent as the guide says, costs what the guide says.
      const companyId = (await profile('[data-test="guide-company-id"]').textContent()).trim();
      const sample = JSON.parse(/-d '(.*)'$/m.exec(await profile('[data-test="guide-sample"]').textContent())[1]);
      assert.equal(sample.variables.companyId, companyId);
      const answer = await partnerQuery(secret, sample.query, sample.variables);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
      assert.ok(answer.body.data.numbers.edges.length > 0, 'the company’s numbers');
      assert.deepEqual(answer.body.extensions.cost, { requested: 12, remaining: 4988, limit: 5000 });

      await row.locator('button').click();
      await page.locator('dialog[open] [data-test="confirm-revoke"]').click();
      await profile('tr[data-api-key="ERP export"][data-revoked="true"]').waitFor();
      await screenshot(page, 'profile-api-key-revoked');
      const refused = await partnerQuery(secret, sample.query, sample.variables);
      assert.equal(refused.body.data ?? null, null);
      assert.equal(refused.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(refused.body));
    });
  });

  it('adds a webhook endpoint whose secret is shown once, sends it a signed test event and shows the delivery, and rotates the secret', async (t) => {
    const received = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.end('thanks');
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${receiver.address().port}/hooks/cabinet`;
    try {
      await step(t, page, async () => {
        await openTab(page, '/profile/api-keys');
        const form = profile('[data-test="webhook-form"]');
        await form.locator('input[name="name"]').fill('ERP events');
        await form.locator('input[name="url"]').fill(url);
        await form.locator('input[value="REPORT_CHANGED"]').uncheck();
        await form.locator('button[type="submit"]').click();
        const secret = (await profile('[data-test="secret-value"]').textContent()).trim();
        assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
        await screenshot(page, 'profile-webhook-secret');
        await profile('[data-test="secret-stored"]').click();
        await form.waitFor();
        assert.equal(await page.locator(`text=${secret}`).count(), 0, 'the secret is not shown again');

        const row = profile('tr[data-webhook="ERP events"]');
        await row.waitFor();
        await row.locator('button', { hasText: 'Send test' }).click();
        await eventually(async () => received.length === 1, { what: 'the test event at the receiver' });
        const [{ headers, body }] = received;
        const signature = createHmac('sha256', secret).update(`${headers['cabinet-webhook-timestamp']}.${body}`).digest('hex');
        assert.equal(headers['cabinet-webhook-signature'], `v1=${signature}`);
        assert.equal(JSON.parse(body).type, 'WEBHOOK_TEST');

        const log = profile('[data-test="webhook-delivery-log"]');
        await log.waitFor();
        await eventually(
          async () => {
            await log.locator('[data-test="refresh-deliveries"]').click();
            return (await log.locator('tr[data-delivery-status="SUCCEEDED"]').count()) === 1;
          },
          { what: 'the delivery shown as delivered' },
        );
        assert.match(await log.locator('[data-test="webhook-attempt"]').first().textContent(), /200/);
        await screenshot(page, 'profile-webhook-deliveries');

        await log.locator('[data-test="redeliver"]').first().click();
        await eventually(async () => received.length === 2, { what: 'the redelivery at the receiver' });
        assert.equal(received[1].headers['cabinet-webhook-id'], received[0].headers['cabinet-webhook-id']);

        await row.locator('button', { hasText: 'Rotate secret' }).click();
        await page.locator('dialog[open] [data-test="confirm-rotate"]').click();
        const rotated = (await profile('[data-test="secret-value"]').textContent()).trim();
        assert.notEqual(rotated, secret);
        await profile('[data-test="secret-stored"]').click();
      });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('lists the sessions with the current one marked, and signs the other browser out', async (t) => {
    const other = await newContext(browser);
    const otherPage = await newPage(other);
    try {
      await step(t, page, async () => {
        await otherPage.goto(`${gateway.base}/login`);
        await logIn(otherPage, DEMO_PHONE, NEW_PASSWORD);
        await otherPage.waitForURL((url) => !url.pathname.startsWith('/login'));
        await otherPage.goto(`${gateway.base}/profile`);
        await otherPage.locator('[data-section="mf-profile"] [data-test="profile-name"]').waitFor();

        await page.goto(`${gateway.base}/profile/security`);
        const rows = profile('[data-test="sessions"] tbody tr');
        await eventually(async () => (await rows.count()) === 2, { what: 'two sessions listed' });
        assert.equal(await profile('[data-test="sessions"] tr[data-current="true"] [data-test="current-session"]').count(), 1);
        assert.equal(await profile('[data-test="sessions"] tr[data-current="false"]').count(), 1);
        await screenshot(page, 'profile-sessions-two');

        // At 390 px the page does not pan sideways: the table scrolls in its frame, its End button stays in reach.
        await page.setViewportSize({ width: 390, height: 844 });
        try {
          const { scroll, client } = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }));
          assert.ok(scroll <= client, `the Security page is ${scroll} px wide on a ${client} px screen`);
          const end = await profile('[data-test="sessions"] tr[data-current="false"] td.actions button').boundingBox();
          assert.ok(end && end.x >= 0 && end.x + end.width <= 390, `the End button is on screen: ${JSON.stringify(end)}`);
          await screenshot(page, 'profile-security-390', { always: true });
        } finally {
          await page.setViewportSize({ width: 1280, height: 900 });
        }

        await profile('[data-test="end-other-sessions"]').click();
        await eventually(async () => (await rows.count()) === 1, { what: 'one session left' });
        assert.equal(await profile('[data-test="sessions"] tr[data-current="true"]').count(), 1);

        // The other browser's page goes to the log-in page by itself.
        await otherPage.waitForURL(/\/login/, { timeout: 2000 });
        await screenshot(otherPage, 'profile-sessions-other-signed-out');
        // This browser stays signed in.
        await page.reload();
        await profile('[data-test="sessions"] tr[data-current="true"]').waitFor();
      });
    } finally {
      await other.close();
    }
  });

  it('speaks Russian and Kazakh on every profile page', async (t) => {
    const titles = {
      ru: { '/profile': 'Мой профиль', '/profile/security': 'Безопасность', '/profile/api-keys': 'API-ключи' },
      kk: { '/profile': 'Менің профилім', '/profile/security': 'Қауіпсіздік', '/profile/api-keys': 'API кілттері' },
    };
    await step(t, page, async () => {
      for (const [lang, pages] of Object.entries(titles)) {
        await page.click(`button[data-language="${lang}"]`);
        await eventually(async () => (await page.getAttribute('html', 'lang')) === lang, { what: `the portal in ${lang}` });
        for (const [path, title] of Object.entries(pages)) {
          await page.goto(`${gateway.base}${path}`);
          await profile('h1', { hasText: title }).waitFor();
          await screenshot(page, `profile-${lang}${path.replaceAll('/', '-')}`);
        }
      }
      await page.click('button[data-language="en"]');
    });
  });
});
