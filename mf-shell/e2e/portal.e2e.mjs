// Whole-application tests: the real built gateway (embedded PostgreSQL, demo data, the front-end builds in
// its release registry) and Debian's Chromium. Run with `npm run e2e` from the repository root.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, screenshot, step } from './browser.mjs';
import { eventually, ROOT } from './gateway.mjs';
import { newContext, newPage, openPortal } from './portal.mjs';
import { DEMO_PASSWORD, DEMO_PHONE, logIn } from './sign-in.mjs';

const PHONE = DEMO_PHONE;
const PASSWORD = DEMO_PASSWORD;
const CLI = join(ROOT, 'gateway', 'dist', 'releases', 'release.cli.js');

let portal;
let gateway;
let browser;
let context;
let page;

const importMap = () => page.evaluate(() => JSON.parse(document.querySelector('script[type="importmap"]').textContent).imports);
const numbersRow = (msisdn) => page.locator(`[data-section="mf-numbers"] tr[data-msisdn="${msisdn}"]`);

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('the portal in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    portal = await openPortal({ signIn: false });
    ({ gateway, browser, context, page } = portal);
  });

  after(() => portal?.close());

  it('answers an administrator without a password like a wrong one, and the first-sign-in link signs them in through the SMS code onto the numbers page', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await page.waitForURL(/\/login/);
      await logIn(page, PHONE, 'any password at all will do');
      const problem = page.locator('[data-test="login-problem"]');
      await problem.waitFor();
      assert.equal((await problem.textContent()).trim(), 'Wrong phone number or password.');
      const firstSignIn = page.locator('[data-test="first-sign-in"]');
      assert.match(await firstSignIn.textContent(), /Forgot password/);
      // No SMS centre is configured and the browser is on the gateway's machine: the hint leads to the outbox.
      const outboxLink = page.locator('[data-test="local-outbox"] a');
      await outboxLink.waitFor();
      assert.equal(await outboxLink.getAttribute('href'), '/outbox');
      await firstSignIn.locator('a').click();

      await page.waitForURL(/\/recovery/);
      assert.equal(await page.inputValue('#recovery-phone'), PHONE);
      await page.click('form[data-step="phone"] button[type="submit"]');
      const countdown = page.locator('[data-test="resend-countdown"]');
      await countdown.waitFor();
      const seconds = Number(/(\d+)/.exec(await countdown.textContent())[1]);
      assert.ok(seconds > 45 && seconds <= 60, `the resend countdown shows ${seconds} s`);
      await screenshot(page, 'recovery-code');

      // The code is read where a first-time user finds it: the outbox page, newest SMS first.
      const outbox = await context.newPage();
      await outbox.goto(`${gateway.base}/outbox`);
      const expected = await eventually(() => gateway.smsCodes(PHONE).at(-1), { what: 'the SMS code in the gateway log' });
      await outbox.goto(`${gateway.base}/outbox`);
      const code = /\b(\d{6})\b/.exec(await outbox.locator('tbody tr').first().locator('td').last().textContent())?.[1];
      assert.equal(code, expected, 'the outbox shows the latest SMS first');
      await screenshot(outbox, 'local-outbox');
      await assertAccessible(outbox);
      await outbox.close();
      await page.fill('#recovery-code', code);
      await page.click('form[data-step="code"] button[type="submit"]');
      await page.locator('form[data-step="password"]').waitFor();
      await page.fill('#recovery-password', PASSWORD);
      await page.fill('#recovery-repeat', PASSWORD);
      await screenshot(page, 'recovery-password');
      await page.click('form[data-step="password"] button[type="submit"]');

      await page.waitForURL(`${gateway.base}/numbers`);
      await numbersRow('77010542006').waitFor();
      // The demo administrator's profile says Russian: the portal follows it after sign-in.
      assert.equal(await page.getAttribute('html', 'lang'), 'ru');
      await page.click('button[data-language="en"]');
      await page.locator('[data-section="mf-numbers"] h1', { hasText: 'Number management' }).waitFor();
      // Tariff names come localized from the gateway, refetched once the profile has the new language.
      await eventually(async () => /Business Class/.test(await numbersRow('77010542006').textContent()), { what: 'English tariff names' });
    });
  });

  it('lists the numbers of the company with their state and balance in tenge, searches and filters them', async (t) => {
    await step(t, page, async () => {
      const debtor = numbersRow('77010542007');
      await debtor.waitFor();
      assert.equal(await debtor.locator('[data-state]').textContent(), 'Blocked / Debt');
      assert.match(await numbersRow('77010542006').locator('td.k-num').textContent(), /^[\d,]+(\.\d\d)?\s₸$/);

      await page.fill('#numbers-search', '0542006');
      await page.click('form[role="search"] button[type="submit"]');
      await eventually(async () => (await page.locator('[data-section="mf-numbers"] tbody tr').count()) === 1, { what: 'one search result' });
      await page.click('form[role="search"] button.k-btn--ghost');
      await page.selectOption('#numbers-state', { label: 'Blocked / Debt' });
      await eventually(
        async () => {
          const states = await page.locator('[data-section="mf-numbers"] tbody [data-state]').allTextContents();
          return states.length > 0 && states.every((s) => s === 'Blocked / Debt');
        },
        { what: 'only debtors listed' },
      );
      await page.selectOption('#numbers-state', { label: 'All states' });
      await numbersRow('77010542006').waitFor();
      const unlabelled = await page.$$eval('input, select', (fields) => fields.filter((f) => f.labels.length === 0 && !f.getAttribute('aria-label')).length);
      assert.equal(unlabelled, 0, 'every field has a label');
      await screenshot(page, 'numbers-en');
    });
  });

  it('switches the language for the whole portal and keeps it for the administrator', async (t) => {
    await step(t, page, async () => {
      await page.click('button[data-language="ru"]');
      await page.locator('[data-section="mf-numbers"] h1', { hasText: 'Управление номерами' }).waitFor();
      assert.equal(await numbersRow('77010542007').locator('[data-state]').textContent(), 'Заблокирован / Долг');
      assert.equal(await page.getAttribute('html', 'lang'), 'ru');
      assert.match(await numbersRow('77010542006').locator('td.k-num').textContent(), /^[\d\s\u00a0\u202f]+(,\d\d)?\s₸$/);
      await screenshot(page, 'numbers-ru');

      // A browser that never saw this administrator gets the language saved in the profile.
      const other = await newContext(browser);
      const otherPage = await newPage(other);
      await otherPage.goto(`${gateway.base}/login`);
      await logIn(otherPage, PHONE, PASSWORD);
      await otherPage.locator('[data-section="mf-numbers"] h1', { hasText: 'Управление номерами' }).waitFor();
      await other.close();

      await page.click('button[data-language="kk"]');
      await page.locator('[data-section="mf-numbers"] h1', { hasText: 'Нөмірлерді басқару' }).waitFor();
      assert.match(await numbersRow('77010542006').locator('td.k-num').textContent(), /^\d{1,3}(\u00a0\d{3})*(,\d\d)?\u00a0₸$/);
      await screenshot(page, 'numbers-kk');
      await page.click('button[data-language="en"]');
      await page.locator('[data-section="mf-numbers"] h1', { hasText: 'Number management' }).waitFor();
    });
  });

  it('switches the company for every section and remembers the choice', async (t) => {
    await step(t, page, async () => {
      const selector = page.locator('header select');
      const options = await selector.locator('option').allTextContents();
      assert.ok(options.length >= 2, `several companies to choose from: ${options.join(' | ')}`);
      assert.ok(
        options.every((o) => /BIN \d{12}/.test(o)),
        'each company is shown with its BIN',
      );
      const before = await page.locator('[data-section="mf-numbers"] tbody tr').first().getAttribute('data-msisdn');
      const branch = options.findIndex((o) => o.includes('Филиал'));
      await selector.selectOption({ index: branch });
      await eventually(async () => (await page.locator('[data-section="mf-numbers"] tbody tr').first().getAttribute('data-msisdn')) !== before, {
        what: 'the numbers of the other company',
      });
      const branchNumber = await page.locator('[data-section="mf-numbers"] tbody tr').first().getAttribute('data-msisdn');
      await page.reload();
      await page.locator(`[data-section="mf-numbers"] tr[data-msisdn="${branchNumber}"]`).waitFor();
      assert.match(await selector.locator('option:checked').textContent(), /Филиал/);
      // A search belongs to the company it was made in: switching company clears it.
      await page.fill('#numbers-search', branchNumber.slice(-7));
      await page.click('form[role="search"] button[type="submit"]');
      await page.waitForURL(/[?&]q=/);
      await selector.selectOption({ index: options.findIndex((o) => !o.includes('Филиал')) });
      await numbersRow('77010542006').waitFor();
      assert.doesNotMatch(page.url(), /[?&]q=/);
      assert.equal(await page.inputValue('#numbers-search'), '');
    });
  });

  it('names a company with a short name in My companies, shown in the header', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-test="admin-menu"] > button');
      await page.click('[data-test="admin-menu"] a[href="/profile"]');
      await page.locator('[data-test="profile-name"]', { hasText: 'Петров Иван' }).waitFor();
      await page.click('[data-section="mf-profile"] a[href="/profile/companies"]');
      const form = page.locator('form[data-company-bin="750750750750"]');
      await form.locator('input').fill('Кабинет HQ');
      await form.locator('button[type="submit"]').click();
      await page.locator('header select option', { hasText: 'Кабинет HQ' }).waitFor({ state: 'attached' });
      await screenshot(page, 'profile-companies');
    });
  });

  it('shows the actions history of the company', async (t) => {
    await step(t, page, async () => {
      await page.click('header nav a[href="/documents"]');
      await page.waitForURL(/\/documents\/payments/);
      await page.click('[data-section="mf-documents"] a[href="/documents/actions"]');
      await page.waitForURL(/\/documents\/actions/);
      await page.locator('[data-section="mf-documents"] tbody tr').first().waitFor();
      const rows = await page.locator('[data-section="mf-documents"] tbody tr').allTextContents();
      assert.ok(
        rows.some((r) => r.includes('+7 701 211 21 70')),
        'the administrator’s actions are listed with the phone',
      );
      await screenshot(page, 'documents-actions');
    });
  });

  it('explains other products from the service selector', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-test="service-menu"] > button');
      await page.click('[data-test="service-menu"] a[href="/services/sms-broadcast"]');
      await page.locator('h1', { hasText: 'SMS broadcast' }).waitFor();
      assert.equal(await page.locator('#cabinet-section').innerHTML(), '');
    });
  });

  it('keeps the shell working when a section fails to load', async (t) => {
    const broken = await context.newPage();
    await step(t, broken, async () => {
      await broken.route('**/assets/mf-documents/**', (route) => route.abort());
      await broken.goto(`${gateway.base}/documents`);
      await broken.locator('[data-test="section-failed"]').waitFor();
      await screenshot(broken, 'section-failed');
      await broken.click('header nav a[href="/numbers"]');
      await broken.locator('[data-section="mf-numbers"] tr[data-msisdn="77010542006"]').waitFor();
      await broken.unroute('**/assets/mf-documents/**');
      await broken.click('header nav a[href="/documents"]');
      const retry = broken.locator('[data-test="section-failed"] button');
      if (await retry.isVisible().catch(() => false)) await retry.click();
      await broken.locator('[data-section="mf-documents"] a[href="/documents/actions"]').waitFor();
    });
    await broken.close();
  });

  it('serves a newly deployed version of one section on reload while the others keep theirs, and rolls it back', async (t) => {
    const out = await mkdtemp(join(tmpdir(), 'cabinet-e2e-build-'));
    try {
      await step(t, page, async () => {
        await page.goto(`${gateway.base}/numbers`);
        await numbersRow('77010542006').waitFor();
        const before = await importMap();
        const versionBefore = await page.getAttribute('[data-section="mf-numbers"]', 'data-section-version');

        run('npm', ['run', 'build', '-w', 'mf-numbers', '--silent'], { SECTION_OUT_DIR: out, SECTION_VERSION: '9.9.9-e2e' });
        run(process.execPath, [CLI, 'mf-numbers', '--dist', out, '--url', gateway.base], { DEPLOY_TOKEN: gateway.deployToken });

        await page.reload();
        await numbersRow('77010542006').waitFor();
        const afterDeploy = await importMap();
        assert.equal(await page.getAttribute('[data-section="mf-numbers"]', 'data-section-version'), '9.9.9-e2e');
        assert.notEqual(afterDeploy['@cabinet/mf-numbers'], before['@cabinet/mf-numbers']);
        for (const kept of ['@cabinet/mf-documents', '@cabinet/mf-profile', '@cabinet/kit', 'vue']) assert.equal(afterDeploy[kept], before[kept], kept);
        assert.equal((await fetch(`${gateway.base}${before['@cabinet/mf-numbers']}`)).status, 200, 'the previous build stays served for open pages');

        run(process.execPath, [CLI, 'rollback', 'mf-numbers'], { DATA_DIR: gateway.dataDir, DATABASE_URL: '' });
        await page.reload();
        await numbersRow('77010542006').waitFor();
        assert.equal((await importMap())['@cabinet/mf-numbers'], before['@cabinet/mf-numbers']);
        assert.equal(await page.getAttribute('[data-section="mf-numbers"]', 'data-section-version'), versionBefore);
      });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('goes back to log in when the session ends, and returns to the page afterwards', async (t) => {
    const other = await newContext(browser);
    const otherPage = await newPage(other);
    await step(t, otherPage, async () => {
      await otherPage.goto(`${gateway.base}/login`);
      await logIn(otherPage, PHONE, PASSWORD);
      await otherPage.locator('[data-section="mf-numbers"] tr[data-msisdn="77010542006"]').waitFor();
      await other.clearCookies();
      await otherPage.selectOption('#numbers-state', { label: 'Active' });
      await otherPage.waitForURL(/\/login\?expired=1/);
      await otherPage.locator('[role="status"], [role="alert"]', { hasText: 'Your session has ended' }).first().waitFor();
      assert.equal(await otherPage.locator('[data-section]').count(), 0);
      await logIn(otherPage, PHONE, PASSWORD);
      await otherPage.waitForURL(`${gateway.base}/numbers?state=ACTIVE`);
    });
    await other.close();
  });

  it('logs out, refuses a wrong password with one generic message, and logs back in where the administrator was going', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-test="admin-menu"] > button');
      await page.click('[data-test="logout"]');
      await page.waitForURL(/\/login\?out=1/);
      await page.goto(`${gateway.base}/documents/actions`);
      await page.waitForURL(/\/login\?next=/);
      assert.equal(await page.locator('[data-section]').count(), 0, 'no section is mounted without a session');

      await logIn(page, PHONE, 'not the right passphrase at all');
      const problem = page.locator('[data-test="login-problem"]');
      await problem.waitFor();
      assert.equal((await problem.textContent()).trim(), 'Wrong phone number or password.');
      await logIn(page, '77019999999', 'not the right passphrase at all');
      await eventually(async () => (await problem.textContent()).trim() === 'Wrong phone number or password.', {
        what: 'the same message for an unknown phone',
      });

      await logIn(page, PHONE, PASSWORD);
      await page.waitForURL(`${gateway.base}/documents/actions`);
      await page.locator('[data-section="mf-documents"] tbody tr').first().waitFor();
    });
  });

  it('shows the FAQ in every language, takes a registration request, and says when a page does not exist', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-test="admin-menu"] > button');
      await page.click('[data-test="logout"]');
      await page.waitForURL(/\/login/);
      await page.click('a[href="/faq"]');
      assert.equal(await page.locator('details').count(), 8);
      assert.match(await page.locator('details summary').first().textContent(), /several companies/);
      await page.click('button[data-language="kk"]');
      await page.locator('details summary', { hasText: 'бірнеше ұйымды' }).waitFor();
      await page.click('button[data-language="ru"]');
      await page.locator('details summary', { hasText: 'несколькими организациями' }).waitFor();
      await screenshot(page, 'faq-ru');
      await page.click('button[data-language="en"]');

      await page.goto(`${gateway.base}/register`);
      await page.click('form button[type="submit"]');
      for (const field of ['bin', 'name', 'phone', 'email']) {
        assert.equal(await page.getAttribute(`#register-${field}`, 'aria-invalid'), 'true', `${field} is marked at once`);
      }
      const fillRegistration = async (bin) => {
        await page.fill('#register-bin', bin);
        await page.fill('#register-name', 'Сейітов Нұрлан');
        await page.fill('#register-phone', '+7 701 555 44 33');
        await page.fill('#register-email', 'nurlan@example.kz');
        await page.click('form button[type="submit"]');
      };
      await fillRegistration('990140000123');
      await eventually(async () => /last digit/.test(await page.textContent('[data-test="register-bin-hint"]')), { what: 'the control digit refused' });
      assert.equal(await page.getAttribute('#register-name', 'aria-invalid'), null);
      await fillRegistration('990140000126');
      await page.locator('[data-test="registration-sent"]').waitFor();
      await page.reload();
      await fillRegistration('990140000126');
      await page.locator('[role="alert"]', { hasText: 'already waiting' }).waitFor();

      const missing = await page.goto(`${gateway.base}/no/such/page`);
      assert.equal(missing.status(), 404);
      await page.locator('h1', { hasText: 'Page not found' }).waitFor();
    });
  });
});
