// Usage details (F18) and payment history (F19) of a number in Chromium: the period form, the records on screen
// with their totals, and the PDF / XLSX files checked row by row against what the page showed.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { screenshot, step } from './browser.mjs';
import { eventually } from './gateway.mjs';
import { openPortal, pdfText } from './portal.mjs';

const CREDIT_NUMBER = '77010542006';
const ADVANCE_NUMBER = '77780625084';

let portal;
let gateway;
let page;
let downloads;

const section = (selector) => page.locator(`[data-section="mf-numbers"] ${selector}`);
const almatyDay = (date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
const addDays = (day, days) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};
const dotted = (day) => day.split('-').reverse().join('.');
const slashed = (day) => day.split('-').reverse().join('/');
/** Tenge in the file (a number) and on the page (a decimal string) compared in tiyn. */
const tiyn = (value) => Math.round(Number(value) * 100);

/** The global ID of a number of the demo administrator's companies, asked through the page's session. */
async function numberId(msisdn) {
  return page.evaluate(async (wanted) => {
    const ask = async (query, variables) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()).data;
    };
    const { companies } = await ask('{ companies { id } }');
    for (const company of companies) {
      const { numbers } = await ask('query($c: ID!, $s: String) { numbers(companyId: $c, search: $s, first: 5) { edges { node { id msisdn } } } }', {
        c: company.id,
        s: wanted,
      });
      const found = numbers.edges.find((edge) => edge.node.msisdn === wanted);
      if (found) return found.node.id;
    }
    return null;
  }, msisdn);
}

/** Clicks a download button and saves the file the browser receives. */
async function download(selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), section(selector).click()]);
  const path = join(downloads, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

/** The table of an XLSX the gateway wrote: heading lines, the rows under the header, and the totals after them. */
async function readXlsx(path) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  const values = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    values[number - 1] = row.values.slice(1);
  });
  const header = values.findIndex((row) => row?.[0] === 'Date/Time');
  assert.ok(header > 0, 'the XLSX has a header row');
  const rows = [];
  let index = header + 1;
  for (; index < values.length && values[index]?.some((v) => v !== null && v !== undefined && v !== ''); index++) rows.push(values[index]);
  const totals = Object.fromEntries(
    values
      .slice(index)
      .filter((row) => row?.[0])
      .map((row) => [row[0], row]),
  );
  return {
    heading: values
      .slice(0, header)
      .map((row) => row?.[0])
      .filter(Boolean),
    columns: values[header],
    rows,
    totals,
  };
}

/** An Excel date cell holds the Almaty wall-clock time: shown as the page shows it in English. */
const cellDateTime = (date) => {
  const two = (n) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}, ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
};

/** Every row of a paged table, walking the pager to the last page. */
async function allRows(table, read) {
  const rows = [];
  for (let pages = 1; ; pages++) {
    await section(`${table} tbody tr`).first().waitFor();
    rows.push(...(await section(`${table} tbody tr`).evaluateAll(read)));
    const nextButton = section('.k-pager button').last();
    if (await nextButton.isDisabled()) return { rows, pages };
    const first = await section(`${table} tbody tr`).first().innerHTML();
    await nextButton.click();
    await eventually(async () => (await section(`${table} tbody tr`).first().innerHTML()) !== first, { what: `page ${pages + 1}` });
    await eventually(async () => (await section(`${table}`).getAttribute('aria-busy')) !== 'true', { what: 'the page loaded' });
  }
}

const readUsageRows = (trs) =>
  trs.map((tr) => ({ startedAt: tr.dataset.startedAt, when: tr.cells[0].textContent.trim(), type: tr.cells[1].textContent.trim(), cost: tr.dataset.cost }));
const readPaymentRows = (trs) =>
  trs.map((tr) => ({
    when: tr.cells[0].textContent.trim(),
    type: tr.cells[1].textContent.trim(),
    comment: tr.cells[2].textContent.trim(),
    amount: tr.dataset.amount,
  }));

describe('usage details and payment history of a number in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    downloads = await mkdtemp(join(tmpdir(), 'cabinet-downloads-'));
    portal = await openPortal();
    ({ gateway, page } = portal);
  });

  after(async () => {
    await portal?.close();
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  it('keeps the period inside the last 90 days, says why, and warns that today may be incomplete', async (t) => {
    const id = await numberId(CREDIT_NUMBER);
    assert.ok(id, `the ID of ${CREDIT_NUMBER}`);
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers/${encodeURIComponent(id)}/usage`);
      await section('[data-test="history-msisdn"]').filter({ hasText: '+7 701 054 20 06' }).waitFor();
      const today = almatyDay(new Date());
      const earliest = addDays(today, -89);
      assert.equal(await section('#usage-period-from').getAttribute('data-min'), earliest);
      assert.equal(await section('#usage-period-to').getAttribute('data-max'), today);
      assert.equal(await section('#usage-period-to').inputValue(), slashed(today), 'the day is shown as the page writes days, day first');
      assert.match(await section('#usage-period-hint').textContent(), new RegExp(`kept for 90 days.*${slashed(earliest)} to ${slashed(today)}`));
      await section('[role="status"], .k-alert--warning').filter({ hasText: 'Today’s records may be incomplete' }).waitFor();
      await section('[data-test="usage-records"] tbody tr').first().waitFor();
      const shown = await section('[data-test="period-shown"]').textContent();

      await section('#usage-period-from').fill(slashed(addDays(today, -95)));
      await section('#usage-period-from-error[data-problem="beforeWindow"]').waitFor();
      assert.equal(await section('#usage-period-from').getAttribute('aria-invalid'), 'true');
      await section('form button[type="submit"]').click();
      assert.equal(await section('[data-test="period-shown"]').textContent(), shown, 'a period outside the window is not shown');
      await screenshot(page, 'usage-out-of-window');

      await section('#usage-period-from').fill(slashed(today));
      await section('#usage-period-to').fill(slashed(addDays(today, -1)));
      await section('#usage-period-from-error[data-problem="afterTo"]').waitFor();
    });
  });

  it('shows usage records a page at a time with totals, and the PDF and XLSX hold the same rows and totals', async (t) => {
    const today = almatyDay(new Date());
    const from = addDays(today, -30);
    const to = addDays(today, -1);
    await step(t, page, async () => {
      await section('#usage-period-from').fill(slashed(from));
      await section('#usage-period-to').fill(slashed(to));
      await section('form button[type="submit"]').click();
      await section('[data-test="period-shown"]')
        .filter({ hasText: `${slashed(from)} – ${slashed(to)}` })
        .waitFor();
      assert.equal(await section('.k-alert--warning').count(), 0, 'no incomplete-day warning for a period that ends yesterday');
      await eventually(async () => (await section('[data-test="usage-records"]').getAttribute('aria-busy')) !== 'true', { what: 'the records of the period' });
      const totals = {};
      for (const key of ['calls', 'callTime', 'sms', 'data', 'cost']) totals[key] = await section(`[data-total="${key}"]`).getAttribute('data-value');
      await screenshot(page, 'usage-period');

      const xlsx = await download('button[data-format="XLSX"]');
      assert.equal(xlsx.name, `usage-${CREDIT_NUMBER}-${from}-${to}.xlsx`);
      const pdf = await download('button[data-format="PDF"]');
      assert.equal(pdf.name, `usage-${CREDIT_NUMBER}-${from}-${to}.pdf`);

      const { rows: screen, pages } = await allRows('[data-test="usage-records"]', readUsageRows);
      assert.ok(screen.length > 0, 'the demo number has usage in the last 30 days');
      t.diagnostic(`${screen.length} records on ${pages} page(s)`);
      const ordered = screen.map((row) => row.startedAt);
      assert.deepEqual(ordered, [...ordered].sort().reverse(), 'newest first on screen');

      const sheet = await readXlsx(xlsx.path);
      assert.ok(sheet.heading.includes(`Number: ${CREDIT_NUMBER}`));
      assert.ok(sheet.heading.includes(`Period: ${dotted(from)} – ${dotted(to)}`));
      assert.equal(sheet.rows.length, screen.length, 'the XLSX has as many rows as the pages showed');
      const fileRows = sheet.rows;
      screen.forEach((row, i) => {
        assert.equal(cellDateTime(fileRows[i][0]), row.when, `row ${i + 1}: date/time`);
        assert.equal(fileRows[i][1], row.type, `row ${i + 1}: type`);
        assert.equal(tiyn(fileRows[i][6]), tiyn(row.cost), `row ${i + 1}: cost`);
      });
      const sumOnScreen = screen.reduce((sum, row) => sum + tiyn(row.cost), 0);
      assert.equal(tiyn(totals.cost), sumOnScreen, 'the total cost is the sum of the rows shown');
      assert.equal(tiyn(sheet.totals['Total cost'][6]), tiyn(totals.cost), 'XLSX total cost');
      assert.equal(Number(sheet.totals.Calls[1]), Number(totals.calls), 'XLSX number of calls');
      assert.equal(Number(sheet.totals.Calls[4]), Number(totals.callTime), 'XLSX call time');
      assert.equal(Number(sheet.totals.SMS[1]), Number(totals.sms), 'XLSX number of SMS');
      assert.equal(Number(sheet.totals.Internet[5]), Number(totals.data), 'XLSX data volume');
      assert.equal(screen.filter((row) => row.type === 'Call').length, Number(totals.calls), 'calls on screen match the totals');

      const text = await pdfText(await readFile(pdf.path));
      assert.match(text, /Usage details/);
      assert.ok(text.includes(`Number: ${CREDIT_NUMBER}`), 'the PDF names the number');
      assert.ok(text.includes(`Period: ${dotted(from)} – ${dotted(to)}`), 'the PDF names the period');
      const [whole, cents] = String(totals.cost).split('.');
      const pdfCost = `${Number(whole).toLocaleString('en-US')}.${(cents ?? '').padEnd(2, '0')}\u00a0₸`;
      assert.ok(text.includes(`Total cost`) && text.includes(pdfCost), `the PDF's total cost is ${pdfCost}`);
      const times = text.match(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/g) ?? [];
      assert.equal(times.length - 1, screen.length, 'the PDF has a line per record (plus the time its data is valid for)');
    });
  });

  it('shows the payment history of an Advance number on screen and in its XLSX', async (t) => {
    const id = await numberId(ADVANCE_NUMBER);
    assert.ok(id, `the ID of ${ADVANCE_NUMBER}`);
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers/${encodeURIComponent(id)}/payments`);
      await section('[data-test="history-msisdn"]').filter({ hasText: '+7 778 062 50 84' }).waitFor();
      assert.equal(await section('#payments-period-from').getAttribute('data-min'), null, 'payments have no 90-day window');
      const { rows: screen } = await allRows('[data-test="payments"]', readPaymentRows);
      assert.ok(
        screen.some((row) => row.comment === 'Kaspi 200032044427' && tiyn(row.amount) === 5_000),
        'the demo top-up six days ago (5,000 tiyn) is listed',
      );
      const today = almatyDay(new Date());
      const shown = await section('[data-test="period-shown"]').textContent();
      const from = /(\d{2})\/(\d{2})\/(\d{4}) –/.exec(shown).slice(1).reverse().join('-');

      const xlsx = await download('button[data-format="XLSX"]');
      assert.equal(xlsx.name, `payments-${ADVANCE_NUMBER}-${from}-${today}.xlsx`);
      const sheet = await readXlsx(xlsx.path);
      assert.ok(sheet.heading.includes(`Number: ${ADVANCE_NUMBER}`));
      assert.equal(sheet.rows.length, screen.length, 'the XLSX has as many payments as the page');
      const fileRows = sheet.rows;
      screen.forEach((row, i) => {
        assert.equal(cellDateTime(fileRows[i][0]), row.when, `payment ${i + 1}: date/time`);
        assert.equal(fileRows[i][1], row.type, `payment ${i + 1}: type`);
        assert.equal(fileRows[i][2], row.comment, `payment ${i + 1}: comment`);
        assert.equal(tiyn(fileRows[i][3]), tiyn(row.amount), `payment ${i + 1}: sum`);
      });
      const received = screen.filter((row) => tiyn(row.amount) > 0).reduce((sum, row) => sum + tiyn(row.amount), 0);
      assert.equal(tiyn(sheet.totals.Received[3]), received, 'XLSX total received');
    });
  });

  it('speaks Russian and Kazakh on both pages', async (t) => {
    await step(t, page, async () => {
      await page.click('button[data-language="ru"]');
      await section('h1').filter({ hasText: 'История платежей' }).waitFor();
      await section('#payments-period-hint').filter({ hasText: 'Любой период' }).waitFor();
      await screenshot(page, 'payments-ru');
      await section('.k-tabs a').first().click();
      await section('h1').filter({ hasText: 'Детализация' }).waitFor();
      await section('[data-test="usage-records"] tbody tr').first().waitFor();
      await screenshot(page, 'usage-ru');
      await page.click('button[data-language="kk"]');
      await section('h1').filter({ hasText: 'Шығыс толығы' }).waitFor();
      await section('#usage-period-hint').filter({ hasText: '90 күн' }).waitFor();
      await screenshot(page, 'usage-kk');
      await page.click('button[data-language="en"]');
      await section('h1').filter({ hasText: 'Usage details' }).waitFor();
    });
  });
});
