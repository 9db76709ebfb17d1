// Documents and reports in Chromium against the built gateway: files downloaded from the screens are opened and
// read, e-mailed reports are read back from the gateway's outbox, and a report's progress is watched on screen.
// Build first: npm run build -w gateway && npm run build -w mf-shell -w mf-documents
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { ARTIFACTS, screenshot, step } from './browser.mjs';
import { eventually } from './gateway.mjs';
import { openPortal, pdfText } from './portal.mjs';

const HEAD_CREDIT_ACCOUNTS = ['25060831', '25060830'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let portal;
let gateway;
let page;
/** Account numbers of the selected company's Credit accounts, asked of the API with the page's session. */
let creditAccounts;

const section = (selector) => page.locator(`[data-section="mf-documents"] ${selector}`);

// pdf-parse misreads a Node Buffer (its offsets shift); a plain Uint8Array of the same bytes reads correctly.

/** The shown toast hides no control at the end of the page, at 1440 and 390 px: the page keeps room under its end. */
async function assertToastCoversNoControl(name) {
  const covered = () =>
    page.evaluate(() => {
      const toasts = [...document.querySelectorAll('.k-toast')].map((toast) => toast.getBoundingClientRect());
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return [...document.querySelectorAll('a[href], button, input, select, textarea, [role="tab"]')]
        .filter((control) => !control.closest('.k-toasts') && control.checkVisibility())
        .filter((control) => toasts.some((toast) => hit(toast, control.getBoundingClientRect())))
        .map((control) => control.outerHTML.slice(0, 120));
    });
  await mkdir(ARTIFACTS, { recursive: true });
  try {
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      assert.ok((await page.locator('.k-toast').count()) > 0, 'a toast is shown');
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`) });
      assert.deepEqual(await covered(), [], `at ${width} px the toast covers no control`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
    // The step's accessibility check reads the page as laid out again at the usual width.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
}

async function graphql(query, variables = {}) {
  const response = await page.request.post(`${gateway.base}/graphql`, { data: { query, variables } });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** Every row of the first worksheet as an array of cell values (strings and numbers). */
async function sheetRows(buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer);
  const rows = [];
  workbook.worksheets[0].eachRow((row) =>
    rows.push(row.values.slice(1).map((cell) => (cell && typeof cell === 'object' && 'richText' in cell ? cell.richText.map((r) => r.text).join('') : cell))),
  );
  return rows;
}

/** Clicks what starts a download and returns the file the browser saved. */
async function downloadBy(click) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), content: await readFile(path) };
}

/** The messages the gateway wrote to its outbox (no SMTP_URL), parsed. */
async function outbox() {
  const dir = join(gateway.dataDir, 'outbox');
  const files = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.eml'));
  return Promise.all(files.map(async (name) => simpleParser(await readFile(join(dir, name)))));
}

const mailTo = (address) =>
  eventually(async () => (await outbox()).find((mail) => mail.to?.text === address), { timeout: 60_000, what: `an e-mail to ${address} in the outbox` });

/** Records every status each report row of the page shows, in order, and marks the page to tell a reload. */
async function watchReportRows() {
  await page.evaluate(() => {
    window.__documentsPage = 'not reloaded';
    window.__reportStatuses = [];
    const record = () => {
      for (const row of document.querySelectorAll('tr[data-report]')) {
        const seen = `${row.dataset.report}:${row.dataset.status}`;
        if (!window.__reportStatuses.includes(seen)) window.__reportStatuses.push(seen);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

describe('documents and reports in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    portal = await openPortal();
    ({ gateway, page } = portal);
    const { me } = await graphql('{ me { companies { id bin } } }');
    const head = me.companies.find((company) => company.bin === '750750750750');
    const { company } = await graphql('query($id: ID!) { company(id: $id) { accounts(first: 100) { edges { node { accountNo paymentMethod } } } } }', {
      id: head.id,
    });
    creditAccounts = company.accounts.edges
      .map((edge) => edge.node)
      .filter((account) => account.paymentMethod === 'CREDIT')
      .map((account) => account.accountNo);
    for (const account of HEAD_CREDIT_ACCOUNTS) assert.ok(creditAccounts.includes(account), `${account} is a Credit account of TOO Кабинет`);
  });

  after(() => portal?.close());

  it('shows the credit accounts’ payments of a period and downloads the same rows as XLSX', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/documents`);
      await page.waitForURL(/\/documents\/payments$/);
      await section('.k-alert--info').waitFor();
      assert.match(await section('.k-alert--info').textContent(), /advance payment method.*Number management/);
      await section('form[data-form="credit-payments"] button[type="submit"]').click();
      const rows = section('table[data-table="credit-payments"] tbody tr');
      await rows.first().waitFor();
      const read = () => rows.evaluateAll((trs) => trs.map((tr) => ({ account: tr.dataset.account, cells: [...tr.cells].map((td) => td.textContent.trim()) })));
      // Every number of a credit account is charged on its own: the period takes more than one page.
      const onScreen = await read();
      const next = section('.k-pager button:last-of-type');
      while ((await next.count()) > 0 && (await next.isEnabled())) {
        const first = await rows.first().textContent();
        await next.click();
        await page.waitForFunction((before) => document.querySelector('table[data-table="credit-payments"] tbody tr')?.textContent !== before, first);
        onScreen.push(...(await read()));
      }
      assert.ok(onScreen.length > 0, 'payments are listed');
      for (const row of onScreen) assert.ok(creditAccounts.includes(row.account), `only credit accounts: ${row.account}`);
      assert.ok(
        onScreen.every((row) => /₸$/.test(row.cells[4])),
        'sums in tenge',
      );
      await screenshot(page, 'documents-payments-en');

      const file = await downloadBy(() => section('[data-action="download-xlsx"]').click());
      assert.match(file.name, /\.xlsx$/);
      const sheet = await sheetRows(file.content);
      const paymentRows = sheet.filter((row) => row.some((cell) => creditAccounts.includes(String(cell))));
      assert.equal(paymentRows.length, onScreen.length, 'the XLSX has the rows shown on screen');
      assert.deepEqual(
        new Set(paymentRows.map((row) => String(row.find((cell) => creditAccounts.includes(String(cell)))))),
        new Set(onScreen.map((row) => row.account)),
      );
      await page.locator('.k-toast', { hasText: 'is downloaded' }).first().waitFor();
      await assertToastCoversNoControl('documents-toast');
    });
  });

  it('requests the list of numbers report, sees it go from being prepared to sent without a reload, and finds the XLSX in the mail', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-section="mf-documents"] nav a[href="/documents/numbers-report"]');
      await page.waitForURL(/\/documents\/numbers-report$/);
      const email = section('input[type="email"]');
      assert.equal(await email.inputValue(), 'petrov.ivan@kcell.kz', "the administrator's e-mail by default");

      await email.fill('petrov.ivan@kcell');
      await section('form[data-form="numbers-report"] button[type="submit"]').click();
      assert.equal(await section('[data-error="email"]').textContent(), 'Enter one e-mail address, for example name@company.kz.');

      const address = 'accounting@example.kz';
      await email.fill(address);
      await watchReportRows();
      await section('form[data-form="numbers-report"] button[type="submit"]').click();
      await section('[data-test="report-requested"]').waitFor();
      assert.match(await section('[data-test="report-requested"]').textContent(), /accounting@example\.kz/);
      const row = section('tr[data-report]').filter({ hasText: address }).first();
      await row.waitFor();
      const id = await row.getAttribute('data-report');
      await screenshot(page, 'documents-numbers-report-requested');
      await section(`tr[data-report="${id}"][data-status="SUCCESS"]`).waitFor({ timeout: 60_000 });
      const seen = await page.evaluate(() => ({ statuses: window.__reportStatuses, marker: window.__documentsPage }));
      assert.equal(seen.marker, 'not reloaded');
      const mine = seen.statuses.filter((s) => s.startsWith(`${id}:`));
      assert.deepEqual(mine, [`${id}:IN_PROCESS`, `${id}:SUCCESS`], 'In process, then Sent, pushed to the page');
      const sentRow = await section(`tr[data-report="${id}"]`).textContent();
      assert.match(sentRow, /Sent/);
      assert.match(sentRow, /Data as of \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d/);
      const rowsStated = Number(/Rows: ([\d,]+)/.exec(sentRow)[1].replace(/,/g, ''));
      await screenshot(page, 'documents-numbers-report-sent');

      const mail = await mailTo(address);
      assert.equal(mail.attachments.length, 1);
      const [attachment] = mail.attachments;
      assert.equal(attachment.contentType, XLSX);
      const sheet = await sheetRows(attachment.content);
      const header = sheet.findIndex((line) => line[0] === 'Number');
      assert.ok(header > 0, 'the report has its header row under the heading');
      const numbers = sheet.slice(header + 1).filter((line) => /^7\d{10}$/.test(String(line[0])));
      assert.equal(numbers.length, rowsStated, 'as many numbers as the screen says');
      const demo = numbers.find((line) => line[0] === '77010542006');
      assert.equal(demo[1], '25060831');
      assert.equal(demo[2], 'Credit');
      assert.ok(
        sheet.flat().some((cell) => /^Data valid as of /.test(String(cell))),
        'the report states the time its data are valid for',
      );
    });
  });

  it('downloads the act of completed works with Appendix No. 1 of a personal account, and of the account of a phone number', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-section="mf-documents"] nav a[href="/documents/acts"]');
      await page.waitForURL(/\/documents\/acts$/);
      const option = section('select[name="accountId"] option[data-account-no="25060831"]');
      await option.waitFor({ state: 'attached' });
      await section('select[name="accountId"]').selectOption(await option.getAttribute('value'));
      const offered = await section('select[name="month"] option').evaluateAll((options) => options.map((o) => o.value));
      const now = new Date(Date.now() + 5 * 3_600_000);
      const thisMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      assert.ok(offered.length > 0 && offered.every((m) => m < thisMonth), `only ended months are offered: ${offered}`);
      const chosen = await section('select[name="month"]').inputValue();
      assert.equal(chosen, offered[0], 'the newest month that can be issued comes first');
      await screenshot(page, 'documents-acts-en');
      const act = await downloadBy(() => section('form[data-form="completed-works-act"] button[type="submit"]').click());
      assert.match(act.name, /\.pdf$/);
      assert.equal(act.content.subarray(0, 5).toString(), '%PDF-');
      const text = await pdfText(act.content);
      assert.match(text, /Act of completed works/);
      assert.match(text, /Appendix No\. 1/);
      assert.match(text, /25060831/);
      assert.match(text, /Customer: TOO Кабинет, BIN 750750750750/);
      const [year, month] = chosen.split('-').map(Number);
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
      assert.match(text, new RegExp(`Date of the act: ${lastDay}\\.${String(month).padStart(2, '0')}\\.${year}`), 'dated the last day of the month');

      await section('input[type="radio"][value="phone"]').check();
      await section('input[name="msisdn"]').fill('7010542006');
      const byPhone = await downloadBy(() => section('form[data-form="completed-works-act"] button[type="submit"]').click());
      assert.match(await pdfText(byPhone.content), /25060831/, 'the account of 77010542006');

      await section('input[name="msisdn"]').fill('77770000000');
      await section('form[data-form="completed-works-act"] button[type="submit"]').click();
      await section('.k-alert--error').waitFor();
      assert.match(await section('.k-alert--error').textContent(), /Nothing of the company matches/);
    });
  });

  it('downloads the invoice register of a range of months, and explains the 12-month limit', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-section="mf-documents"] nav a[href="/documents/invoices"]');
      await page.waitForURL(/\/documents\/invoices$/);
      const toYear = Number(await section('select[name="toYear"]').inputValue());
      const toMonth = Number(await section('select[name="toMonth"]').inputValue());

      await section('select[name="fromYear"]').selectOption(String(toYear - 1));
      await section('form[data-form="invoice-register"] button[type="submit"]').click();
      assert.equal(await section('[data-error="from"]').textContent(), 'The register covers at most 12 months.');
      await screenshot(page, 'documents-invoices-span');

      // Three months ending with the current one.
      const first = new Date(Date.UTC(toYear, toMonth - 3, 1));
      await section('select[name="fromYear"]').selectOption(String(first.getUTCFullYear()));
      await section('select[name="fromMonth"]').selectOption(String(first.getUTCMonth() + 1));
      assert.equal(await section('[data-error="from"]').count(), 0);
      const register = await downloadBy(() => section('form[data-form="invoice-register"] button[type="submit"]').click());
      assert.match(register.name, /\.xlsx$/);
      const sheet = await sheetRows(register.content);
      const accounts = new Set(
        sheet
          .flat()
          .map(String)
          .filter((cell) => /^250\d{5}$/.test(cell)),
      );
      for (const account of HEAD_CREDIT_ACCOUNTS) assert.ok(accounts.has(account), `the register lists ${account}`);
    });
  });

  it('sends the reconciliation act within 12 months back and refuses a longer period in the form', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-section="mf-documents"] nav a[href="/documents/reconciliation"]');
      await page.waitForURL(/\/documents\/reconciliation$/);
      const from = section('input[name="from"]');
      const earliest = await from.getAttribute('data-min');
      assert.match(await section('form[data-form="reconciliation"]').textContent(), /12 months back from today/);
      const dayBefore = new Date(`${earliest}T00:00:00Z`);
      dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
      await from.fill(dayBefore.toISOString().slice(0, 10).split('-').reverse().join('/'));
      await section('form[data-form="reconciliation"] button[type="submit"]').click();
      assert.match(await section('[data-error="from"]').textContent(), /at most 12 months back from today/);
      await screenshot(page, 'documents-reconciliation-window');

      await from.fill(earliest.split('-').reverse().join('/'));
      await section('input[type="email"]').fill('reconciliation@example.kz');
      await section('form[data-form="reconciliation"] button[type="submit"]').click();
      await section('[data-test="report-requested"]').waitFor();
      await section('tr[data-report][data-status="SUCCESS"]').filter({ hasText: 'reconciliation@example.kz' }).waitFor({ timeout: 60_000 });
      const mail = await mailTo('reconciliation@example.kz');
      const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
      assert.ok(pdf, 'the act is attached as PDF');
      assert.match(await pdfText(pdf.content), /TOO Кабинет/);
    });
  });

  it('filters the actions history by action and status', async (t) => {
    await step(t, page, async () => {
      await page.click('[data-section="mf-documents"] nav a[href="/documents/actions"]');
      await page.waitForURL(/\/documents\/actions$/);
      await section('table[data-table="actions"] tbody tr').first().waitFor();
      await section('select[name="action"]').selectOption('REQUEST_NUMBERS_REPORT');
      await section('select[name="status"]').selectOption('SUCCESS');
      await section('form[data-form="actions-filters"] button[type="submit"]').click();
      await eventually(
        async () => {
          const actions = await section('table[data-table="actions"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
          return actions.length > 0 && actions.every((a) => a === 'REQUEST_NUMBERS_REPORT');
        },
        { what: 'only list of numbers reports' },
      );
      const text = await section('table[data-table="actions"] tbody').textContent();
      assert.match(text, /accounting@example\.kz/, 'the report requested in this test is in the history');

      await section('input[name="msisdn"]').fill('7701');
      await section('form[data-form="actions-filters"] button[type="submit"]').click();
      assert.equal(await section('[data-error="msisdn"]').textContent(), 'Enter a number of 11 digits starting with 7.');
      await screenshot(page, 'documents-actions-filters');
    });
  });

  it('writes one entry per view, names services and conditions, gives failure reasons and offers every administrator who acted', async (t) => {
    await step(t, page, async () => {
      const { me } = await graphql('{ me { companies { id } } }');
      const companyId = me.companies[0].id;
      const { numbers } = await graphql('query($c: ID!) { numbers(companyId: $c, search: "77010542006") { edges { node { id } } } }', { c: companyId });
      const numberId = numbers.edges[0].node.id;
      const views = async () =>
        (
          await graphql('query($c: ID!) { company(id: $c) { actions(action: VIEW_USAGE, msisdn: "77010542006", first: 100) { edges { node { id } } } } }', {
            c: companyId,
          })
        ).company.actions.edges.length;
      const before = await views();
      await page.goto(`${gateway.base}/numbers/${encodeURIComponent(numberId)}/usage`);
      await page.locator('[data-section="mf-numbers"] [data-test="usage-records"], [data-section="mf-numbers"] [role="status"]').first().waitFor();
      await page.locator('[data-section="mf-numbers"] [data-total="cost"]').waitFor();
      assert.equal(await views(), before + 1, 'opening the usage page once writes one "View usage details" entry');

      await page.goto(`${gateway.base}/documents/actions`);
      await section('table[data-table="actions"] tbody tr').first().waitFor();
      const actionOptions = await section('select[name="action"] option').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
      assert.ok(
        actionOptions.includes('CONNECT_SERVICE') && !actionOptions.includes('LOGIN') && !actionOptions.includes('LOGOUT'),
        'no sign-in options: they are not per company',
      );
      const administrators = await section('select[name="administratorId"] option').evaluateAll((options) =>
        options.map((o) => o.textContent.trim()).filter(Boolean),
      );
      assert.ok(
        administrators.some((label) => label.startsWith('Иванов Иван')),
        `the manual's other administrator is offered: ${administrators.join(' | ')}`,
      );

      await section('select[name="action"]').selectOption('CONNECT_SERVICE');
      await section('form[data-form="actions-filters"] button[type="submit"]').click();
      await eventually(
        async () => {
          const actions = await section('table[data-table="actions"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
          return actions.length > 0 && actions.every((a) => a === 'CONNECT_SERVICE');
        },
        { what: 'only service connections' },
      );
      const described = await section('table[data-table="actions"] tbody').textContent();
      assert.doesNotMatch(described, /INTERNET_ROAMING|INTERNET_\d|SMART_ROAMING/, 'services are named, not coded');
      assert.match(described, /[“«][^”»]+[”»].*77010542003|77010542003.*[“«][^”»]+[”»]/, 'the service is named in quotes');

      await section('select[name="action"]').selectOption('REPLACE_SIM');
      await section('select[name="status"]').selectOption('FAILURE');
      await section('form[data-form="actions-filters"] button[type="submit"]').click();
      // The table of the previous filter (service connections, one of them failed) stays until the new one comes.
      await eventually(
        async () => {
          const actions = await section('table[data-table="actions"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
          return actions.length > 0 && actions.every((a) => a === 'REPLACE_SIM');
        },
        { what: 'only failed SIM replacements' },
      );
      const reasons = await section('table[data-table="actions"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => tr.querySelector('[data-failure-reason]')?.textContent.trim() ?? ''),
      );
      assert.ok(reasons.length > 0 && reasons.every(Boolean), `every failure says why: ${reasons.join(' | ')}`);
      await screenshot(page, 'documents-actions-failure', { always: true });
    });
  });

  it('speaks Russian and Kazakh on every tab', async (t) => {
    await step(t, page, async () => {
      const tabs = ['payments', 'actions', 'numbers-report', 'acts', 'invoices', 'reconciliation'];
      for (const [lang, title] of [
        ['ru', 'Документы и отчеты'],
        ['kk', 'Құжаттар мен есептер'],
      ]) {
        await page.click(`button[data-language="${lang}"]`);
        await page.locator('[data-section="mf-documents"] h1', { hasText: title }).waitFor();
        for (const tab of tabs) {
          await page.click(`[data-section="mf-documents"] nav a[href="/documents/${tab}"]`);
          await page.waitForURL(new RegExp(`/documents/${tab}$`));
          await section('h2').waitFor();
          await screenshot(page, `documents-${tab}-${lang}`);
        }
      }
      assert.match(await section('form[data-form="reconciliation"]').textContent(), /бета-режим/);
      await page.click('button[data-language="en"]');
    });
  });
});
