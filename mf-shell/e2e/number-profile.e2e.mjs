// The number profile and the operations on a number, in Chromium against the built gateway (the billing system
// answers after BILLING_DELAY_MS, long enough to see "In process"), with a second page of the same administrator
// watching the changes arrive live.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshot, step } from './browser.mjs';
import { eventually } from './gateway.mjs';
import { newPage, openPortal } from './portal.mjs';

const FREE_ICCID = '89997021000000000014';
/** A valid ICCID, but of the card in service on 77010542006: not a free card of the stock. */
const TAKEN_ICCID = '89997020056483061023';
const BILLING_DELAY_MS = 2000;

let portal;
let gateway;
let context;
let page;
let watcher;

const section = (p = page) => p.locator('[data-section="mf-numbers"]');
const stateOf = (p = page) => section(p).locator('[data-test="number-state"] [data-state]');

async function openProfile(p, msisdn) {
  await p.goto(`${gateway.base}/numbers`);
  await section(p).locator(`tr[data-msisdn="${msisdn}"] th a`).click();
  await section(p).locator(`header[data-msisdn="${msisdn}"]`).waitFor();
}

async function confirm(p = page) {
  await p.locator('dialog[open] [data-test="confirm-operation"]').click();
  await p
    .locator('dialog[open]')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await eventually(async () => (await p.locator('dialog[open]').count()) === 0, { what: 'the dialog closed' });
}

describe('the number profile and operations', { timeout: 600_000 }, () => {
  before(async () => {
    portal = await openPortal({ gatewayEnv: { BILLING_DELAY_MS: String(BILLING_DELAY_MS) } });
    ({ gateway, context, page } = portal);
  });

  after(() => portal?.close());

  it('shows the profile of a Credit number: tariff, funds, credit limit, general information, SIM and device, allowances, services', async (t) => {
    await step(t, page, async () => {
      await openProfile(page, '77010542006');
      const text = await section().textContent();
      assert.match(text, /\+7 701 054 20 06/);
      assert.match(text, /Business Class/);
      assert.match(await section().locator('[data-test="available-funds"]').textContent(), /9,793\.33/);
      assert.match(text, /Credit limit/);
      assert.match(text, /300014697190-132/);
      assert.equal((await section().locator('[data-test="iccid"]').textContent()).trim(), '8999 7020 0564 8306 1023');
      assert.match(await section().locator('[data-test="imei"]').textContent(), /35367807651155\d\s*Registered/);
      await section().locator('[data-allowance="ONNET_CALLS"]').first().waitFor();
      assert.match(await section().locator('[data-allowance="ONNET_CALLS"]').first().textContent(), /Unlimited/);
      assert.equal(await stateOf().getAttribute('data-state'), 'ACTIVE');
      await section().locator('[data-test="reveal-codes"]').click();
      await eventually(async () => (await section().locator('[data-test="pin1"]').textContent()) === '0000', { what: 'the PIN1 revealed' });
      // The reveal is in the number's actions history.
      const numberId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
      const latest = await page.evaluate(async (id) => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({ query: 'query($id: ID!) { number(id: $id) { actions(first: 1) { edges { node { action status } } } } }', variables: { id } }),
        });
        return (await response.json()).data.number.actions.edges[0].node;
      }, numberId);
      assert.deepEqual(latest, { action: 'REVEAL_SIM_CODES', status: 'SUCCESS' });
    });
  });

  it('blocks a number after confirmation: In process, then Blocked, pushed to another open page; then unblocks it', async (t) => {
    await step(t, page, async () => {
      watcher = await newPage(context);
      await openProfile(watcher, '77010542006');
      // Marks the watcher's document: a reload would lose the mark.
      await watcher.evaluate(() => {
        window.notReloaded = true;
      });
      await page.click('[data-test="block"]');
      const dialog = page.locator('dialog[open]');
      assert.match(await dialog.textContent(), /Are you sure you want to block this number\?/);
      await screenshot(page, 'number-profile-block-confirm');
      await confirm();
      await eventually(async () => (await stateOf(watcher).getAttribute('data-state')) === 'IN_PROCESS', { what: 'In process on the other page' });
      assert.equal(await stateOf().getAttribute('data-state'), 'IN_PROCESS', 'In process on the page that asked');
      assert.equal((await stateOf(watcher).textContent()).trim(), 'In process');
      await eventually(async () => (await stateOf(watcher).getAttribute('data-state')) === 'BLOCKED', { what: 'Blocked on the other page' });
      assert.equal((await stateOf(watcher).textContent()).trim(), 'Blocked');
      await eventually(async () => (await stateOf().getAttribute('data-state')) === 'BLOCKED', { what: 'Blocked on the page that asked' });
      assert.equal(await watcher.evaluate(() => window.notReloaded), true, 'the other page was not reloaded');
      await section().locator('[data-test="unblock"]').waitFor();
      await eventually(async () => /Block number for \+7\u00a0701\u00a0054\u00a020\u00a006: done/.test(await page.locator('.k-toasts').textContent()), {
        what: 'the success toast',
      });
      await screenshot(page, 'number-profile-blocked');

      await page.click('[data-test="unblock"]');
      await confirm();
      await eventually(async () => (await stateOf(watcher).getAttribute('data-state')) === 'ACTIVE', { what: 'Active again on the other page' });
      await watcher.close();
    });
  });

  it('offers no unblock for a number Blocked / Debt and says why', async (t) => {
    await step(t, page, async () => {
      await openProfile(page, '77010542007');
      assert.equal(await stateOf().getAttribute('data-state'), 'BLOCKED_DEBT');
      await section().locator('[data-test="debt-explanation"]').waitFor();
      assert.equal(await section().locator('[data-test="unblock"]').count(), 0);
      await section().locator('[data-test="operations-menu"]').click();
      assert.equal(await section().locator('[data-action="UNBLOCK_NUMBER"]').count(), 0);
      assert.equal(await section().locator('[data-action="REPLACE_SIM"]').count(), 0);
      await page.keyboard.press('Escape');
    });
  });

  it('replaces a SIM card: checks the ICCID in the browser, then the new card shows once the billing system is done', async (t) => {
    await step(t, page, async () => {
      await openProfile(page, '77010542003');
      await section().locator('[data-test="operations-menu"]').click();
      await section().locator('[data-action="REPLACE_SIM"]').click();
      const input = page.locator('dialog[open] input');
      await input.fill('89997021000000000015');
      assert.equal(await input.inputValue(), '8999 7021 0000 0000 0015');
      await page.click('dialog[open] [data-test="confirm-operation"]');
      await eventually(async () => /wrong check digit/.test(await page.locator('dialog[open]').textContent()), { what: 'the check digit refused' });
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      await screenshot(page, 'number-profile-sim-invalid');
      // A well-formed ICCID that the gateway refuses: the card is in service on another number.
      await input.fill(TAKEN_ICCID);
      await page.click('dialog[open] [data-test="confirm-operation"]');
      await eventually(async () => /not a free card of the operator's stock/.test(await page.locator('dialog[open]').textContent()), {
        what: 'SIM_NOT_IN_STOCK explained',
      });
      await input.fill(FREE_ICCID);
      await confirm();
      await eventually(async () => (await section().locator('[data-test="iccid"]').textContent()).trim() === '8999 7021 0000 0000 0014', {
        what: 'the new ICCID',
      });
      await section().locator('[data-kind="REPLACE_SIM"][data-status="SUCCESS"]').first().waitFor();
    });
  });

  it('connects a service after confirmation and lists it as connected, then disconnects it', async (t) => {
    await step(t, page, async () => {
      await openProfile(page, '77010542006');
      const available = section().locator('#available-services ~ section li[data-service]').first();
      const code = await available.getAttribute('data-service');
      await available.locator('button').click();
      assert.match(await page.locator('dialog[open]').textContent(), /Connect the service/);
      await confirm();
      await eventually(async () => (await section().locator(`#connected-services ~ ul li[data-service="${code}"]`).count()) === 1, {
        what: `${code} connected`,
      });

      await section().locator(`#connected-services ~ ul li[data-service="${code}"] button`).last().click();
      assert.match(await page.locator('dialog[open]').textContent(), /Disconnect the service/);
      await confirm();
      await eventually(async () => (await section().locator(`#connected-services ~ ul li[data-service="${code}"]`).count()) === 0, {
        what: `${code} disconnected`,
      });
      await section().locator(`#available-services ~ section li[data-service="${code}"]`).waitFor();
    });
  });

  it('sets call forwarding, refusing the number itself first', async (t) => {
    await step(t, page, async () => {
      await section().locator('[data-test="operations-menu"]').click();
      await section().locator('[data-action="CALL_FORWARDING"]').click();
      await page.selectOption('dialog[open] select', 'BUSY');
      await page.fill('dialog[open] input[type="tel"]', '+7 701 054 20 06');
      await page.click('dialog[open] [data-test="set-forwarding"]');
      await eventually(async () => /cannot be forwarded to the number itself/.test(await page.locator('dialog[open]').textContent()), {
        what: 'the number itself refused',
      });
      await page.fill('dialog[open] input[type="tel"]', '8 701 054 20 03');
      await page.click('dialog[open] [data-test="set-forwarding"]');
      await eventually(async () => (await page.locator('dialog[open] li[data-condition="BUSY"]').count()) === 1, { what: 'the rule listed in the dialog' });
      await screenshot(page, 'number-profile-forwarding');
      await page.keyboard.press('Escape');
      assert.match(await section().locator('[data-test="call-forwarding"]').textContent(), /When busy → \+7 701 054 20 03/);
    });
  });

  it('sends a secret code from the quick-operations menu of the numbers list', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      const row = section().locator('tr[data-msisdn="77010542001"]');
      await row.locator('[data-test="operations-menu"]').click();
      await row.locator('[data-action="SEND_SECRET_CODE"]').click();
      assert.match(await page.locator('dialog[open]').textContent(), /never lets them connect or disconnect services/);
      await confirm();
      await eventually(async () => /Send secret code for \+7\u00a0701\u00a0054\u00a020\u00a001: done/.test(await page.locator('.k-toasts').textContent()), {
        what: 'the secret code sent',
      });
    });
  });

  it('keeps the search, state filter and page of the numbers list in the URL, and reads 8… as 7…', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      await section().locator('tbody tr').first().waitFor();
      const placeholder = section().locator('input[name="q"]');
      assert.ok(await placeholder.evaluate((input) => input.scrollWidth <= input.clientWidth + 1), 'the placeholder is not cut off');
      await placeholder.fill('87010542006');
      await section().locator('form[role="search"] button[type="submit"]').click();
      await page.waitForURL(/[?&]q=77010542006/);
      await eventually(
        async () =>
          (
            await section()
              .locator('tbody tr')
              .evaluateAll((trs) => trs.map((tr) => tr.dataset.msisdn))
          ).join() === '77010542006',
        { what: 'the number found by 8…' },
      );
      await page.reload();
      await section().locator('tbody tr[data-msisdn="77010542006"]').waitFor();
      assert.equal(await section().locator('input[name="q"]').inputValue(), '77010542006', 'the search survives a reload');

      await section().locator('input[name="q"]').fill('abc');
      await section().locator('form[role="search"] button[type="submit"]').click();
      await section().locator('#numbers-search-error').waitFor();
      assert.equal(await section().locator('input[name="q"]').getAttribute('aria-invalid'), 'true');
      assert.equal(await section().locator('tbody tr').count(), 1, 'the list found before stays');

      await page.goto(`${gateway.base}/numbers?state=ACTIVE`);
      await section().locator('tbody tr').first().waitFor();
      await section().locator('nav.k-pager button:last-of-type').click();
      await page.waitForURL(/after=/);
      await eventually(async () => (await section().locator('.k-pager [aria-live]').textContent()).includes('2'), { what: 'page 2' });
      const secondPage = await section().locator('tbody tr').first().getAttribute('data-msisdn');
      await page.reload();
      await section().locator(`tbody tr[data-msisdn="${secondPage}"]`).first().waitFor();
      assert.equal(await section().locator('select[name="state"]').inputValue(), 'ACTIVE');
      await page.goBack();
      await page.waitForURL((url) => !url.search.includes('after='));
    });
  });

  it('puts the company of a branch number opened by its URL in the header', async (t) => {
    await step(t, page, async () => {
      const select = page.locator('.company__select');
      const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
      const head = options.find((o) => !o.text.includes('Филиал'));
      const branch = options.find((o) => o.text.includes('Филиал'));
      await select.selectOption(head.value);
      const id = await page.evaluate(async (companyId) => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({ query: 'query($c: ID!) { numbers(companyId: $c, first: 1) { edges { node { id } } } }', variables: { c: companyId } }),
        });
        return (await response.json()).data.numbers.edges[0].node.id;
      }, branch.value);
      await page.goto(`${gateway.base}/numbers/${encodeURIComponent(id)}`);
      await section().locator('header[data-msisdn]').waitFor();
      await eventually(async () => (await select.inputValue()) === branch.value, { what: 'the branch in the header' });
      await select.selectOption(head.value);
    });
  });

  it('does not pan sideways at 390 px: only a table scrolls in its frame, the row operations stay in reach', async (t) => {
    await step(t, page, async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        const noPan = async (what) => {
          const { scroll, client } = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }));
          assert.ok(scroll <= client, `${what}: the document is ${scroll} px wide on a ${client} px screen`);
        };
        await page.goto(`${gateway.base}/numbers`);
        await section().locator('tbody tr').first().waitFor();
        await noPan('numbers list');
        const menu = section().locator('tbody tr').first().locator('.row-menu button').first();
        const box = await menu.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the quick-operations button is on screen: ${JSON.stringify(box)}`);
        await screenshot(page, 'numbers-390', { always: true });
        await openProfile(page, '77010542006');
        await section().locator('[data-allowance="ONNET_CALLS"]').first().waitFor();
        await noPan('number profile');
        const allowances = section().locator('[data-allowance]').first();
        const frame = await allowances.evaluate((row) => {
          const wrap = row.closest('.k-table-wrap');
          return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
        });
        assert.ok(frame.scroll <= frame.client, `the tariff balances fit: ${JSON.stringify(frame)}`);
        assert.equal((await section().locator('[data-test="reveal-logged"]').textContent()).startsWith(' ('), true, 'a space before the note on the reveal');
        await screenshot(page, 'number-profile-390', { always: true });
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });
  });

  it('speaks Russian and Kazakh on the profile', async (t) => {
    await step(t, page, async () => {
      await openProfile(page, '77010542006');
      await page.click('button[data-language="ru"]');
      await section().locator('h2', { hasText: 'Общая информация' }).waitFor();
      await screenshot(page, 'number-profile-ru');
      await page.click('button[data-language="kk"]');
      await section().locator('h2', { hasText: 'Жалпы ақпарат' }).waitFor();
      await screenshot(page, 'number-profile-kk');
      await page.click('button[data-language="en"]');
    });
  });
});
