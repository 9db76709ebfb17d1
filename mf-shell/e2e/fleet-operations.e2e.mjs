// Fleet operations in Chromium against the built gateway: a bulk block of a filtered selection watched live on the
// numbers list and the jobs page, an upload with refused lines, an unblock scheduled from the profile then
// rescheduled and cancelled, and an operation approved by a second administrator of the company.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { screenshot, step } from './browser.mjs';
import { eventually, ROOT } from './gateway.mjs';
import { newContext, newPage, openPortal } from './portal.mjs';
import { signInFirstTime } from './sign-in.mjs';

const BILLING_DELAY_MS = 2500;
/** A second administrator of TOO Кабинет (the demo's actions history names him), granted the company by the operator. */
const SECOND_PHONE = '77010542001';
const SECOND_PASSWORD = 'a second administrator reads the list twice';
const DEMO_BIN = '750750750750';

let portal;
let gateway;
let page;

const section = (p = page) => p.locator('[data-section="mf-numbers"]');
const dialog = (p = page) => p.locator('dialog[open]');

/** The day after today in Asia/Almaty, as YYYY-MM-DD (the day fields read it in every language). */
function almatyDay(daysAhead) {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' }).format(day);
}

async function schedule(p, day, time) {
  await dialog(p).locator('[data-test="schedule-later"]').check();
  const fields = dialog(p).locator('[data-test="schedule"]');
  await fields.locator('input.k-input').first().fill(day);
  await fields.locator('[data-test="schedule-time"]').fill(time);
  await fields.locator('[data-test="schedule-time"]').blur();
}

async function openJobs(p = page) {
  await p.goto(`${gateway.base}/numbers/operations`);
  await section(p).locator('[data-test="bulk-operations-page"]').waitFor();
  await section(p).locator('[data-test="approval-policy"] [data-test="policy-save"]').waitFor();
}

describe('fleet operations', { timeout: 600_000 }, () => {
  before(async () => {
    portal = await openPortal({ gatewayEnv: { BILLING_DELAY_MS: String(BILLING_DELAY_MS), BILLING_MAX_RATE: '4', BILLING_CONCURRENCY: '1' } });
    ({ gateway, page } = portal);
  });

  after(() => portal?.close());

  it('blocks every Active number matching a search, shown in a dry run first, with live progress on the list and the jobs page', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers?q=770105420&state=ACTIVE`);
      const rows = section().locator('tbody tr[data-msisdn]');
      await rows.first().waitFor();
      const shown = await rows.count();
      assert.ok(shown >= 3, `Active numbers matching 770105420: ${shown}`);
      // One row picked, then every number the search and filter match (sent as the filter, not as rows).
      await section().locator('[data-test="select-row"]').first().check();
      assert.equal((await section().locator('[data-test="bulk-count"]').textContent()).trim(), 'Numbers selected: 1');
      await section().locator('[data-test="select-all-matching"]').click();
      assert.equal((await section().locator('[data-test="bulk-count"]').textContent()).trim(), 'All numbers of the list');
      assert.equal(await section().locator('[data-test="select-page"]').isChecked(), true);
      await section().locator('[data-test="bulk-kind"]').selectOption('BLOCK_NUMBER');
      await section().locator('[data-test="bulk-next"]').click();
      await dialog().locator('[data-test="bulk-check"]').click();
      const plan = dialog().locator('[data-test="bulk-plan"]');
      await plan.waitFor();
      const change = plan.locator('[data-outcome="CHANGE"]');
      await change.waitFor();
      const changes = Number((await change.locator('.count').textContent()).replace(/\D/g, ''));
      assert.equal(changes, shown, 'every Active number matching the search will change');
      assert.match(await plan.locator('[data-test="plan-total"]').textContent(), new RegExp(`: ${shown}$`));
      await screenshot(page, 'fleet-dry-run');
      // A second page of the same administrator watches the jobs page while the list page confirms.
      const watcher = await newPage(page.context());
      await openJobs(watcher);
      await page.evaluate(() => (window.notReloaded = true));
      await dialog().locator('[data-test="bulk-confirm"]').click();
      await eventually(async () => (await dialog().count()) === 0, { what: 'the dialog closed' });
      const job = section(watcher).locator('[data-test="bulk-operation"][data-kind="BLOCK_NUMBER"]').first();
      await job.waitFor();
      const progress = job.locator('[data-test="bulk-progress"]');
      const seen = new Set();
      await eventually(
        async () => {
          // The status first: once it says FINISHED, the progress read after it is the final one.
          const finished = (await job.getAttribute('data-status')) === 'FINISHED';
          if ((await progress.count()) > 0) seen.add(await progress.getAttribute('aria-valuenow'));
          return finished;
        },
        { timeout: 60_000, what: 'the block job finished' },
      );
      assert.ok(seen.size >= 3, `progress values seen live: ${[...seen].join(', ')}`);
      assert.equal(await progress.getAttribute('aria-valuenow'), String(changes));
      assert.equal((await job.locator('[data-count="success"] strong').textContent()).trim(), String(changes));
      // Without a reload the list page refetched as the job went: its numbers are no longer Active.
      await eventually(async () => (await rows.count()) === 0, { timeout: 20_000, what: 'the blocked numbers gone from the Active list' });
      assert.equal(await page.evaluate(() => window.notReloaded), true, 'the list page was not reloaded');
      await screenshot(watcher, 'fleet-jobs-finished');
      await step(t, watcher, async () => undefined);
      await watcher.close();
      await openJobs();
      await section().locator('[data-test="bulk-operation"][data-kind="BLOCK_NUMBER"] [data-test="bulk-results"]').first().click();
      await section().locator('[data-test="bulk-items"] tr[data-status="SUCCESS"]').first().waitFor();
      const download = page.waitForEvent('download');
      await section().locator('button[data-format="CSV"]').click();
      const file = await download;
      assert.match(file.suggestedFilename(), /\.csv$/);
      await page.goto(`${gateway.base}/numbers?q=770105420&state=BLOCKED`);
      await section().locator('tbody tr[data-msisdn]').first().waitFor();
      assert.ok((await section().locator('tbody tr[data-msisdn]').count()) >= changes);
    });
  });

  it('keeps the bulk bar and the jobs page within a 390 px screen in Kazakh, whose labels are the longest', async (t) => {
    await step(t, page, async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await page.goto(`${gateway.base}/numbers`);
        await page.click('button[data-language="kk"]');
        await section().locator('[data-test="select-row"]').first().check();
        const bar = await section()
          .locator('[data-test="bulk-kind"]')
          .evaluate((select) => {
            const frame = select.closest('.bulk-bar').getBoundingClientRect();
            const box = select.getBoundingClientRect();
            return { right: Math.round(box.right), frame: Math.round(frame.right) };
          });
        assert.ok(bar.right <= bar.frame, `the operation's choice ends inside the bulk bar: ${JSON.stringify(bar)}`);
        await screenshot(page, 'fleet-bar-390-kk', { always: true });
        await openJobs();
        const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(scroll <= client, `the jobs page is ${scroll} px wide on a ${client} px screen`);
        await screenshot(page, 'fleet-jobs-390-kk', { always: true });
      } finally {
        await page.click('button[data-language="en"]');
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });
  });

  it('uploads a list with refused lines and shows them with their line numbers in the dry run', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await section().locator('[data-test="upload-open"]').click();
      await dialog().locator('[data-test="upload-kind"]').selectOption('UNBLOCK_NUMBER');
      const csv = ['MSISDN', '87010542001', '+7 701 054 20 03', '12345', '77010542001', '77010542030', ''].join('\n');
      await dialog()
        .locator('[data-test="upload-file"]')
        .setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await dialog().locator('[data-test="upload-send"]').click();
      await dialog().locator('[data-test="bulk-dialog"]').waitFor();
      assert.match(await dialog().locator('[data-test="bulk-described"]').textContent(), /lines: 5/);
      await dialog().locator('[data-test="bulk-check"]').click();
      const lines = dialog().locator('[data-test="plan-invalid-lines"]');
      await lines.waitFor();
      assert.equal(await lines.locator('tr[data-line="4"]').getAttribute('data-code'), 'INVALID_PHONE');
      assert.equal(await lines.locator('tr[data-line="5"]').getAttribute('data-code'), 'DUPLICATE_LINE');
      assert.equal(await lines.locator('tr[data-line="6"]').getAttribute('data-code'), 'FOREIGN_NUMBER');
      await screenshot(page, 'fleet-upload-dry-run');
      await dialog().locator('[data-test="bulk-back"]').click();
      await dialog().locator('button', { hasText: 'Cancel' }).first().click();
      await eventually(async () => (await dialog().count()) === 0, { what: 'the dialog closed' });
    });
  });

  it('schedules an unblock from the profile, lists it there and on the jobs page, reschedules and cancels it', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers?q=77010542001`);
      await section().locator('tr[data-msisdn="77010542001"] th a').click();
      await section().locator('header[data-msisdn="77010542001"]').waitFor();
      await section().locator('[data-test="scheduled-operations"]').waitFor();
      await section().locator('header [data-test="operations-menu"]').click();
      await section().locator('header [data-action="UNBLOCK_NUMBER"]').click();
      await schedule(page, almatyDay(1), '10:00');
      await dialog().locator('[data-test="confirm-operation"]').click();
      await dialog().locator('[data-test="bulk-plan"]').waitFor();
      assert.match(await dialog().locator('[data-test="plan-start"]').textContent(), /10:00:00/);
      await dialog().locator('[data-test="confirm-operation"]').click();
      await eventually(async () => (await dialog().count()) === 0, { what: 'the dialog closed' });
      const panel = section().locator('[data-test="scheduled-operations"]');
      const job = panel.locator('[data-test="bulk-operation"][data-status="SCHEDULED"]');
      await job.waitFor();
      assert.match(await job.locator('[data-test="bulk-start-at"]').textContent(), /10:00:00/);
      await openJobs();
      const listed = section().locator('[data-group="scheduled"] [data-test="bulk-operation"][data-kind="UNBLOCK_NUMBER"]');
      await listed.waitFor();
      await listed.locator('[data-test="bulk-reschedule"]').click();
      await dialog().locator('[data-test="schedule-time"]').fill('11:30');
      await dialog().locator('[data-test="bulk-reschedule-save"]').click();
      await eventually(async () => /11:30:00/.test(await listed.locator('[data-test="bulk-start-at"]').textContent()), { what: 'the new start time' });
      await page.goBack();
      await eventually(async () => /11:30:00/.test(await job.locator('[data-test="bulk-start-at"]').textContent()), { what: 'the new time on the profile' });
      await job.locator('[data-test="bulk-cancel"]').click();
      await dialog().locator('[data-test="bulk-cancel-confirm"]').click();
      await eventually(async () => (await panel.locator('[data-test="bulk-operation"]').count()) === 0, {
        what: 'the cancelled operation gone from the profile',
      });
      await openJobs();
      await section().locator('[data-group="finished"] [data-test="bulk-operation"][data-status="CANCELLED"][data-kind="UNBLOCK_NUMBER"]').waitFor();
    });
  });

  it('sends an operation above the company’s threshold for approval, which a second administrator gives', async (t) => {
    await step(t, page, async () => {
      const granted = spawnSync(
        process.execPath,
        [join(ROOT, 'gateway', 'dist', 'operator', 'operator.cli.js'), 'grant', '--phone', SECOND_PHONE, '--bin', DEMO_BIN],
        {
          env: gateway.env,
          encoding: 'utf8',
        },
      );
      assert.equal(granted.status, 0, granted.stderr);
      await openJobs();
      const policy = section().locator('[data-test="approval-policy"]');
      await policy.locator('[data-test="policy-bulk"]').check();
      await policy.locator('[data-test="policy-threshold"]').fill('1');
      await policy.locator('[data-test="policy-save"]').click();
      await eventually(async () => /approval rules are saved/.test(await page.locator('.k-toasts').textContent()), { what: 'the policy saved' });

      await page.goto(`${gateway.base}/numbers?q=770105420&state=BLOCKED`);
      await section().locator('tbody tr[data-msisdn]').nth(1).waitFor();
      await section().locator('[data-test="select-row"]').nth(0).check();
      await section().locator('[data-test="select-row"]').nth(1).check();
      await section().locator('[data-test="bulk-kind"]').selectOption('UNBLOCK_NUMBER');
      await section().locator('[data-test="bulk-next"]').click();
      await dialog().locator('[data-test="bulk-check"]').click();
      await dialog().locator('[data-test="plan-approval"]').waitFor();
      await dialog().locator('[data-test="bulk-confirm"]').click();
      await eventually(async () => (await dialog().count()) === 0, { what: 'the dialog closed' });
      await openJobs();
      const mine = section().locator('[data-group="awaiting"] [data-test="bulk-operation"][data-kind="UNBLOCK_NUMBER"]');
      await mine.waitFor();
      await mine.locator('[data-test="bulk-waiting"]').waitFor();
      assert.equal(await mine.locator('[data-test="bulk-decide"]').count(), 0, 'the requester cannot approve');
      assert.match(await mine.locator('[data-test="bulk-expires"]').textContent(), /Approval needed by/);

      const other = await newContext(portal.browser);
      const second = await newPage(other);
      try {
        await signInFirstTime(second, gateway, { phone: SECOND_PHONE, password: SECOND_PASSWORD });
        await openJobs(second);
        const waiting = section(second).locator('[data-group="awaiting"] [data-test="bulk-operation"][data-kind="UNBLOCK_NUMBER"]');
        await waiting.waitFor();
        await waiting.locator('[data-test="bulk-decide"]').click();
        await dialog(second).locator('[data-test="bulk-comment"]').fill('Agreed with the branch');
        await dialog(second).locator('[data-test="bulk-approve"]').click();
        await eventually(async () => (await dialog(second).count()) === 0, { what: 'the decision dialog closed' });
        await step(t, second, async () => undefined);
      } finally {
        await other.close();
      }
      // The requester's page follows live: approved, then run to the end.
      const approved = section().locator('[data-test="bulk-operation"][data-kind="UNBLOCK_NUMBER"] [data-test="bulk-decision"]').first();
      await eventually(async () => (await approved.count()) > 0 && /Approved by Иванов Иван/.test(await approved.textContent()), {
        timeout: 20_000,
        what: 'the approval on the requester’s page',
      });
      await section()
        .locator('[data-group="finished"] [data-test="bulk-operation"][data-kind="UNBLOCK_NUMBER"][data-status="FINISHED"]')
        .waitFor({ timeout: 60_000 });
    });
  });
});
