import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, startE2E, type E2E } from './support.ts';

/**
 * The public ledger in a real browser: a donor opens the trace page with the code from the receipt
 * and sees each step of the gift marked 已验证 — the checkpoint's Ed25519 signature checked with
 * WebCrypto and each step's inclusion proof recomputed in the page. The demo gifts are on the log
 * from the start, and the server's scheduled signer signs them a second after it starts listening.
 */
let e2e: E2E | undefined;
let page: Page;
let base = '';

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('the public ledger in the browser', { timeout: 120_000 }, () => {
  test('a donor sees each step of the gift verified in the page', async () => {
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    const list = await page.request.get(`${base}/api/donations?status=confirmed&limit=5`);
    expect(list.status()).toBe(200);
    const first = ((await list.json()) as { items: { id: string }[] }).items[0]!;
    const code = ((await (await page.request.get(`${base}/api/donations/${first.id}/lookup-code`)).json()) as { lookupCode: string }).lookupCode;
    // The checkpoint is public, plain text, signed by the key the server publishes.
    await poll(async () => (await page.request.get(`${base}/api/ledger/checkpoint`)).status()).toBe(200);
    const key = (await (await page.request.get(`${base}/api/ledger/key`)).text()).trim();
    expect((await (await page.request.get(`${base}/api/ledger/checkpoint`)).text()).startsWith(`${key.split('+')[0]}\n`)).toBe(true);

    const { context, page: phone } = await e2e!.newSession();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${base}/trace?code=${code}`);
      await poll(() => phone.getByTestId('trace-summary').isVisible()).toBe(true);
      const card = phone.getByTestId('ledger-proof');
      await poll(() => card.innerText()).toContain('已验证');
      const steps = phone.getByTestId('ledger-step');
      expect(await steps.count()).toBeGreaterThan(0);
      for (let i = 0; i < (await steps.count()); i++) {
        expect(await steps.nth(i).getAttribute('data-ok')).toBe('true');
        expect(await steps.nth(i).innerText()).toContain('已验证');
      }
      expect(await card.innerText()).toContain('账本检查点签名有效');
      expect(await card.innerText()).toContain('收到捐赠');
      await e2e!.shot('ledger-public-trace-verified', phone);
    } finally {
      await context.close();
    }
    expect(e2e!.problems).toEqual([]);
  });
});
