// The portal with TRUSTED_DOCUMENTS=true, in Chromium against the built gateway: the pages send their documents by
// hash alone and work as usual, live updates included, while a document of the page's own making is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { step } from './browser.mjs';
import { openPortal } from './portal.mjs';

let portal;
let gateway;
let page;

describe('the portal with trusted documents only', { timeout: 180_000 }, () => {
  const bodies = [];

  before(async () => {
    // Signing in for the first time (recovery by SMS code, a new password) already runs on trusted documents only.
    portal = await openPortal({ gatewayEnv: { TRUSTED_DOCUMENTS: 'true' } });
    ({ gateway, page } = portal);
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST') bodies.push(JSON.parse(request.postData() ?? '{}'));
    });
  });

  after(() => portal?.close());

  it('shows the numbers and a number’s profile, every request naming its document by hash alone', async (t) => {
    await step(t, page, async () => {
      await page.goto(`${gateway.base}/numbers`);
      const section = page.locator('[data-section="mf-numbers"]');
      await section.locator('tr[data-msisdn="77010542006"]').waitFor();
      await section.locator('tr[data-msisdn="77010542006"] th a').click();
      await section.locator('header[data-msisdn="77010542006"]').waitFor();
      await page.locator('[data-section="mf-numbers"] [data-test="tariff"]').waitFor();
      assert.ok(bodies.length >= 4, `${bodies.length} GraphQL requests`);
      for (const body of bodies) {
        assert.equal(body.query, undefined, `${body.operationName} sent its text`);
        assert.match(body.extensions?.persistedQuery?.sha256Hash ?? '', /^sha256:[0-9a-f]{64}$/, `${body.operationName} named no document`);
      }
    });
  });

  it('refuses a document the portal does not publish, sent with the page’s own session', async (t) => {
    await step(t, page, async () => {
      const answer = await page.evaluate(async () => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({ query: '{ me { id phone email } }' }),
        });
        return { status: response.status, body: await response.json() };
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.errors[0].extensions.code, 'TRUSTED_DOCUMENT_REQUIRED');
    });
  });
});
