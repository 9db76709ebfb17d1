// Changing a number's tariff plan from its profile, in Chromium against the built gateway: the billing system answers
// after BILLING_DELAY_MS, and a second page of the same administrator sees the new plan arrive live.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot, step } from './browser.mjs';
import { eventually } from './gateway.mjs';
import { newPage, openPortal } from './portal.mjs';

const BILLING_DELAY_MS = 2000;

let portal;
let gateway;
let context;
let page;

const section = (p = page) => p.locator('[data-section="mf-numbers"]');
const tariffOf = async (p = page) => (await section(p).locator('[data-test="tariff"] strong').textContent()).trim();

async function openProfile(p, msisdn) {
  await p.goto(`${gateway.base}/numbers`);
  await section(p).locator(`tr[data-msisdn="${msisdn}"] th a`).click();
  await section(p).locator(`header[data-msisdn="${msisdn}"]`).waitFor();
}

describe('changing the tariff plan of a number', { timeout: 300_000 }, () => {
  before(async () => {
    portal = await openPortal({ gatewayEnv: { BILLING_DELAY_MS: String(BILLING_DELAY_MS) } });
    ({ gateway, context, page } = portal);
  });

  after(() => portal?.close());

  it('moves an Active number to a plan of the list: In process, then the new plan and its allowances, live on another page', async (t) => {
    await step(t, page, async () => {
      const watcher = await newPage(context);
      await openProfile(watcher, '77010542006');
      await watcher.evaluate(() => {
        window.notReloaded = true;
      });
      await openProfile(page, '77010542006');
      assert.equal(await tariffOf(), 'Business Class Junior');
      const choices = section().locator('[data-test="tariff-choices"]');
      const director = choices.locator('[data-tariff="BUSINESS_CLASS_DIRECTOR"]');
      assert.match(await director.textContent(), /Business Class Director\s*·\s*12,900\s*₸/);
      assert.equal(await choices.locator('[data-tariff="BUSINESS_CLASS_JUNIOR"]').count(), 0, 'not the number’s own plan');
      assert.equal(await choices.locator('[data-tariff="M2M"]').count(), 0, 'not a plan the company is not offered');
      await director.locator('[data-test="change-tariff"]').click();
      const dialog = page.locator('dialog[open]');
      assert.match(await dialog.textContent(), /Business Class Director/);
      await screenshot(page, 'tariff-change-confirm');
      await page.locator('dialog[open] [data-test="confirm-operation"]').click();
      await eventually(async () => (await page.locator('dialog[open]').count()) === 0, { what: 'the dialog closed' });
      await director.locator('.k-badge').waitFor();
      await eventually(async () => (await tariffOf(watcher)) === 'Business Class Director', { what: 'the new plan on the other page' });
      await eventually(async () => (await tariffOf()) === 'Business Class Director', { what: 'the new plan on the page that asked' });
      assert.equal(await watcher.evaluate(() => window.notReloaded), true, 'the other page was not reloaded');
      // The plan's bonuses replace the old ones: Business Class Director grants 51,200 MB.
      await eventually(async () => /51,?200/.test(await section().locator('[data-test="bonuses"]').textContent()), { what: 'the new plan’s data allowance' });
      await section().locator('[data-kind="CHANGE_TARIFF"][data-status="SUCCESS"]').first().waitFor();
      await section().locator('[data-test="tariff-choices"] [data-tariff="BUSINESS_CLASS_JUNIOR"]').waitFor();
      await eventually(async () => /Change tariff plan for \+7\u00a0701\u00a0054\u00a020\u00a006: done/.test(await page.locator('.k-toasts').textContent()), {
        what: 'the success toast',
      });
      await screenshot(page, 'tariff-change-done');
      await watcher.close();
    });
  });

  it('tells why the billing system refused a plan the balance cannot pay for', async (t) => {
    await step(t, page, async () => {
      await openProfile(page, '77010542003');
      const before = await tariffOf();
      await section().locator('[data-test="tariff-choices"] [data-test="change-tariff"]').first().click();
      await page.locator('dialog[open] [data-test="confirm-operation"]').click();
      await eventually(async () => /first monthly fee of the new tariff plan/.test(await page.locator('.k-toasts').textContent()), {
        what: 'the refusal toast',
      });
      await section().locator('[data-kind="CHANGE_TARIFF"][data-status="FAILURE"]').first().waitFor();
      assert.equal(await tariffOf(), before);
    });
  });
});
