import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, SHOTS, startE2E, type E2E } from './support.ts';

/**
 * 捐赠公示 in a real browser: city staff record two gifts this month (one donor who agreed to be
 * named, one who did not), draft the month's report, see every blocking check pass, publish it
 * (irreversible, frozen with its SHA-256) and print it on A4; then anyone, without signing in, on a
 * phone, sees the month's gifts — the one donor named, the other as 爱心单位 — and the published
 * report with the same hash.
 */

let e2e: E2E | undefined;
let page: Page;
let base = '';
const printDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boai-disclosure-print-'));

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const month = today.slice(0, 7);
const NAMED = '衢州公示测试具名有限公司';
const UNNAMED = '衢州公示测试匿名偏好有限公司';
const state = { named: '', unnamed: '', reportId: '', hash: '' };

type Gift = { number: string };

/** Records and confirms a gift through the API, as the signed-in user (the page's session and CSRF token). */
async function recordGift(orgName: string, publicConsent: boolean, amountFen: number, receiptNo: string): Promise<Gift> {
  return page.evaluate(
    async ({ orgName, publicConsent, amountFen, receiptNo, today }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const post = async <T,>(url: string, body: unknown): Promise<T> => {
        const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken }, body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      const donor = await post<{ id: string }>('/api/donations/donors', { kind: 'organisation', orgName, publicConsent });
      const d = await post<{ id: string; version: number; number: string }>('/api/donations', { donorId: donor.id, receivedOn: today, channel: 'bank_transfer', amountFen, designation: 'unrestricted', receiptNo });
      await post(`/api/donations/${d.id}/confirm`, { version: d.version });
      return { number: d.number };
    },
    { orgName, publicConsent, amountFen, receiptNo, today },
  );
}

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('public disclosure in the browser', { timeout: 120_000 }, () => {
  test('staff draft this month’s report: every blocking check passes, the gifts are listed', async () => {
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    state.named = (await recordGift(NAMED, true, 1_888_800, '浙财捐 2026-0900001')).number;
    state.unnamed = (await recordGift(UNNAMED, false, 66_666, '浙财捐 2026-0900002')).number;

    await page.getByTestId('side-menu').getByRole('menuitem', { name: '捐赠公示' }).click();
    await page.waitForURL(`${base}/donations/disclosures`);
    await poll(() => page.getByTestId('disclosures-table').isVisible()).toBe(true);

    await page.getByTestId('new-disclosure').click();
    const modal = page.getByTestId('new-disclosure-modal');
    await poll(() => modal.getByText('公示单位：').isVisible()).toBe(true);
    // Last month is offered; this month is typed in.
    const picker = modal.getByTestId('period-month').locator('xpath=descendant-or-self::input').first();
    const [y, mo] = month.split('-').map(Number) as [number, number];
    const last = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
    expect(await picker.inputValue()).toBe(last);
    await picker.click();
    await picker.fill(month);
    await picker.press('Enter');
    await poll(() => picker.inputValue()).toBe(month);
    await modal.getByRole('button', { name: /新\s*建/ }).click();

    await page.waitForURL(/\/donations\/disclosures\/[0-9a-f-]{36}$/);
    state.reportId = page.url().split('/').pop()!;
    const report = page.getByTestId('disclosure-page');
    await poll(() => report.getAttribute('data-status')).toBe('draft');
    await poll(() => page.getByTestId('gate-verdict').getAttribute('data-ok')).toBe('true');
    const checks = page.getByTestId('gate-check');
    const codes = await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual(['journal_matches_records', 'fund_balances_match_journal', 'units_sum_to_total', 'list_matches_summary', 'goods_specification', 'management_ratio', 'receipts_overdue', 'use_overdue']);
    for (const c of await checks.all()) {
      if ((await c.getAttribute('data-blocking')) === 'true') expect(await c.getAttribute('data-ok'), (await c.getAttribute('data-code')) ?? '').toBe('true');
    }
    // This month's gifts wait for disclosure, each with its countdown.
    const pending = page.locator('[data-testid="gate-check"][data-code="receipts_overdue"]');
    await pending.locator('summary').click();
    await poll(() => pending.getByTestId('gate-item').filter({ hasText: state.named }).getByTestId('countdown').isVisible()).toBe(true);

    const table = page.getByTestId('donations-table');
    await poll(() => table.innerText()).toContain(state.named);
    const text = await table.innerText();
    expect(text).toContain(NAMED);
    expect(text).toContain('¥18,888.00');
    expect(text).toContain('爱心单位');
    expect(text).not.toContain(UNNAMED);
    expect(await page.getByTestId('total-received').innerText()).toBe('¥19,554.66');
    expect(await page.getByTestId('publish').isEnabled()).toBe(true);
    await page.waitForTimeout(300);
    await e2e!.shot('disclosure-report-draft');
  });

  test('published after confirming: frozen, with its SHA-256 shown; printed on A4', async () => {
    await page.getByTestId('publish').click();
    const confirm = page.locator('.ant-modal-confirm').filter({ hasText: '发布公示报告？' });
    await poll(() => confirm.isVisible()).toBe(true);
    expect(await confirm.innerText()).toContain('不可撤销');
    await confirm.getByTestId('publish-ok').click();
    const hash = page.getByTestId('published-hash').getByTestId('content-hash');
    await poll(() => hash.isVisible()).toBe(true);
    state.hash = (await hash.innerText()).trim();
    expect(state.hash).toMatch(/^[0-9a-f]{64}$/);
    await poll(() => page.getByTestId('disclosure-page').getAttribute('data-status')).toBe('published');
    expect(await page.getByTestId('publish').count()).toBe(0);
    expect(await page.getByTestId('correct').isVisible()).toBe(true);
    await page.waitForTimeout(400);
    await e2e!.shot('disclosure-report-published');

    // A mistake found later is put right by a correcting report of the same period, never by an edit.
    await page.getByTestId('correct').click();
    const correct = page.locator('.ant-modal-confirm').filter({ hasText: '发布更正报告？' });
    await correct.getByTestId('correct-ok').click();
    await page.waitForURL((u) => /\/donations\/disclosures\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(state.reportId));
    await poll(() => page.getByTestId('disclosure-page').getAttribute('data-status')).toBe('draft');
    expect(await page.getByText('本报告为更正报告').isVisible()).toBe(true);
    expect(await page.getByTestId('report-title').innerText()).toContain('（更正）');

    // The list shows it published, with the start of its hash.
    await e2e!.fromMenu('捐赠公示', '/donations/disclosures');
    const row = page.getByTestId('disclosures-table').locator('tbody tr').filter({ has: page.locator(`[data-testid="list-hash"]`) });
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('disclosure-status').innerText()).toBe('已发布');
    expect(await row.getByTestId('list-hash').innerText()).toContain(state.hash.slice(0, 16));

    const print = await e2e!.context.newPage();
    try {
      await print.setViewportSize({ width: 794, height: 1123 });
      await print.goto(`${base}/donations/disclosures/${state.reportId}`);
      await poll(() => print.getByTestId('report-title').isVisible()).toBe(true);
      await print.emulateMedia({ media: 'print' });
      expect(await print.locator('.boai-sider').isVisible()).toBe(false);
      expect(await print.getByTestId('print-button').isVisible()).toBe(false);
      const pdf = await print.pdf({ path: path.join(printDir, 'disclosure.pdf'), preferCSSPageSize: true, printBackground: true });
      const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((x) => [Math.round(Number(x[1])), Math.round(Number(x[2]))]);
      expect(boxes.length, JSON.stringify(boxes)).toBeGreaterThanOrEqual(1);
      for (const [w, h] of boxes) expect([Math.abs(w! - 595) <= 1, Math.abs(h! - 842) <= 1], JSON.stringify(boxes)).toEqual([true, true]);
      await print.screenshot({ path: path.join(SHOTS, 'disclosure-report-print.png'), fullPage: true });
    } finally {
      await print.close();
    }
  });

  test('anyone, without signing in, on a phone: the month’s gifts (named only with consent) and the published report', async () => {
    const { context, page: phone } = await e2e!.newSession();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${base}/disclosure`);
      await poll(() => phone.getByText('捐赠款物公示').first().isVisible()).toBe(true);
      // This month by default, the whole city.
      expect(await phone.getByTestId('public-month').innerText()).toContain(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
      const gifts = phone.getByTestId('public-donations');
      await poll(() => gifts.innerText()).toContain(NAMED);
      const named = gifts.getByTestId('public-donation').filter({ hasText: NAMED });
      expect(await named.innerText()).toContain('¥18,888.00');
      const unnamed = gifts.getByTestId('public-donation').filter({ hasText: '¥666.66' });
      expect(await unnamed.innerText()).toContain('爱心单位');
      expect(await gifts.innerText()).not.toContain(UNNAMED);
      expect(await phone.getByTestId('public-summary').getByTestId('total-received').innerText()).toBe('¥19,554.66');
      expect(await phone.getByTestId('download-donations').getAttribute('href')).toContain(`/api/public/disclosure/donations.xlsx?from=${month}-01`);

      const reports = phone.getByTestId('public-reports');
      await poll(() => reports.innerText()).toContain(state.hash);
      expect(await phone.locator('.boai-sider').count()).toBe(0);
      await phone.waitForTimeout(300);
      await e2e!.shot('disclosure-public-phone', phone);

      // An earlier month of the demo, its gifts two at a time (the page size cut down to walk the keyset cursor).
      await phone.route('**/api/public/disclosure/donations?*', (route) => route.continue({ url: route.request().url().replace(/limit=\d+/, 'limit=2') }));
      await phone.goto(`${base}/disclosure?month=2026-03`);
      const count = phone.getByTestId('public-summary').getByTestId('total-count');
      await poll(() => count.innerText()).toMatch(/^\d+ 笔$/);
      const total = Number((await count.innerText()).replace(/\D/g, ''));
      expect(total).toBeGreaterThan(2);
      await poll(() => phone.getByTestId('public-donation').count()).toBe(2);
      while (await phone.getByTestId('load-more').isVisible()) {
        const before = await phone.getByTestId('public-donation').count();
        await phone.getByTestId('load-more').click();
        await poll(() => phone.getByTestId('public-donation').count()).toBeGreaterThan(before);
      }
      expect(await phone.getByTestId('public-donation').count()).toBe(total);
      expect(await phone.getByTestId('public-loaded').innerText()).toBe(`已全部显示（共 ${total} 笔）`);
      await phone.unroute('**/api/public/disclosure/donations?*');

      // The published report, frozen, with the same hash.
      await phone.goto(`${base}/disclosure`);
      await reports.getByTestId('public-report-link').first().click();
      const frozen = phone.getByTestId('public-report');
      await poll(() => frozen.getByTestId('content-hash').innerText()).toBe(state.hash);
      expect(await frozen.innerText()).toContain(NAMED);
      await phone.waitForTimeout(300);
      await e2e!.shot('disclosure-public-report-phone', phone);
    } finally {
      await context.close();
    }
  });

  test('no script errors along the way', () => {
    expect(e2e!.problems).toEqual([]);
  });
});
