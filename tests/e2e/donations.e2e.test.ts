import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { usccCheckChar } from '../../src/platform/validators.ts';
import { poll, SHOTS, startE2E, type E2E } from './support.ts';

/**
 * Donations in a real browser: city staff record a bank transfer from a new organisation donor
 * (credit code checked as typed, amount in words) and confirm it with its receipt number, noting
 * the lookup code; record a gift designated to a library project; print the receipt on A4; submit a
 * disbursement from the project's fund, which they may not approve themselves; the leader approves
 * it; and the donor, without signing in, sees on a phone where the money went.
 */

let e2e: E2E | undefined;
let page: Page;
let base = '';
const printDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boai-donations-print-'));

const ORG = '衢州爱心智造科技有限公司';
const FIRST17 = '91330802MA2DK8Q7X';
const CREDIT_CODE = FIRST17 + usccCheckChar(FIRST17);
const BAD_CREDIT_CODE = FIRST17 + (usccCheckChar(FIRST17) === '1' ? '2' : '1');
const RECIPIENT = '柯城区府山街道困难家庭帮扶站';

const state = { orgDonationId: '', orgCode: '', projectDonationId: '', projectCode: '', projectName: '' };

const sideMenu = () => page.getByTestId('side-menu');
const drawer = () => page.locator('.ant-drawer-section');
const input = (l: Locator) => l.locator('xpath=descendant-or-self::input').first();

async function apiGet<T>(p: string): Promise<T> {
  const res = await page.request.get(`${base}${p}`);
  expect(res.status(), p).toBe(200);
  return (await res.json()) as T;
}

/** Picks an option of a searchable select by typing into it, and waits until the select shows it (retried once if a closing dropdown took the click). */
async function choose(select: Locator, typed: string | null, option: string) {
  for (let attempt = 0; ; attempt++) {
    await select.click();
    if (typed !== null) await input(select).fill(typed);
    const opt = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first();
    await poll(() => opt.isVisible()).toBe(true);
    await opt.click();
    try {
      await poll(() => select.innerText(), { timeout: 5_000 }).toContain(option);
      return;
    } catch (e) {
      if (attempt >= 1) throw e;
    }
  }
}

/** Confirms the draft on screen with a receipt number; returns the lookup code shown once. */
async function confirmOnPage(receiptNo: string | null) {
  await page.getByTestId('confirm-donation').click();
  const modal = page.locator('.ant-modal').filter({ hasText: '确认捐赠' });
  await poll(() => modal.isVisible()).toBe(true);
  if (receiptNo !== null) await modal.getByTestId('confirm-receipt-no').fill(receiptNo);
  await modal.getByRole('button', { name: '确认到账' }).click();
  await poll(() => page.getByTestId('lookup-code-alert').isVisible()).toBe(true);
  const code = (await page.getByTestId('lookup-code-alert').getByTestId('lookup-code').innerText()).trim();
  expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  await poll(() => page.getByTestId('donation-status').first().innerText()).toBe('已确认');
  return code;
}

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('donations in the browser', { timeout: 120_000 }, () => {
  test('a bank transfer from a new organisation donor, with its receipt number, confirmed: the lookup code is shown once', async () => {
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    await poll(() => sideMenu().getByText('募捐与项目').isVisible()).toBe(true);
    await sideMenu().getByRole('menuitem', { name: '捐赠登记' }).click();
    await page.waitForURL(`${base}/donations`);
    await poll(() => page.getByTestId('donations-list').isVisible()).toBe(true);

    await page.getByTestId('new-donation').click();
    await poll(() => drawer().getByText('登记捐赠').first().isVisible()).toBe(true);
    // Required fields are named in Chinese when left empty.
    await drawer().getByTestId('donation-save').click();
    await poll(() => drawer().getByText('请选择或新建捐赠人').isVisible()).toBe(true);
    await poll(() => drawer().getByText('请填写金额').isVisible()).toBe(true);

    // A new organisation donor, inline; its credit code checked as it is typed (GB 32100).
    await drawer().getByTestId('donor-new').click();
    const donor = drawer().getByTestId('donor-create');
    await donor.getByTestId('donor-org-name').fill(ORG);
    await donor.getByTestId('donor-credit-code').fill(BAD_CREDIT_CODE);
    await poll(() => donor.getByText('统一社会信用代码不正确').isVisible()).toBe(true);
    await donor.getByTestId('donor-credit-code').fill(CREDIT_CODE);
    await poll(() => donor.getByText('统一社会信用代码不正确').count()).toBe(0);
    await donor.getByTestId('donor-contact').fill('王敏');
    await donor.getByTestId('donor-save').click();
    await poll(() => drawer().getByTestId('donor-create').count()).toBe(0);
    await poll(() => drawer().getByTestId('donor-select').innerText()).toContain(ORG);

    // Yuan typed, fen sent: more than two decimals is refused, the amount in words follows.
    const amount = input(drawer().getByTestId('donation-amount'));
    await amount.fill('12345.678');
    await poll(() => drawer().getByText('金额最多两位小数（精确到分）').isVisible()).toBe(true);
    await amount.fill('12345.67');
    await poll(() => drawer().getByTestId('amount-words').innerText()).toContain('壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(await drawer().getByTestId('donation-channel').innerText()).toContain('银行转账');
    await drawer().getByTestId('donation-purpose').fill('支持困难群众救助');
    await input(drawer().getByTestId('donation-receipt-no')).fill('浙财捐 2026-0001234');
    // Let the messages of the first attempt fade before the picture.
    await page.waitForTimeout(600);
    await e2e!.shot('donations-create', page, { full: false });
    await drawer().getByTestId('donation-save').click();

    await page.waitForURL(/\/donations\/[0-9a-f-]{36}$/);
    state.orgDonationId = page.url().split('/').pop()!;
    await poll(() => page.getByTestId('donation-status').innerText()).toBe('待确认');
    const details = page.getByTestId('donation-details');
    await poll(() => details.innerText()).toContain(ORG);
    expect(await details.innerText()).toContain('¥12,345.67');
    expect(await details.innerText()).toContain('人民币壹万贰仟叁佰肆拾伍元陆角柒分');

    // The receipt number entered with the draft is offered again when confirming.
    state.orgCode = await confirmOnPage(null);
    expect(await details.innerText()).toContain('浙财捐 2026-0001234');
    await poll(() => page.getByTestId('trace').innerText()).toContain('收到捐赠');
    expect(await page.getByTestId('trace').innerText()).toContain('非定向资金');
    await e2e!.shot('donations-confirmed');

    // The server holds the gift as booked, in integer fen.
    const d = await apiGet<{ amountFen: number; status: string; receiptNo: string }>(`/api/donations/${state.orgDonationId}`);
    expect(d).toMatchObject({ amountFen: 1_234_567, status: 'confirmed', receiptNo: '浙财捐 2026-0001234' });
  });

  test('a gift designated to a project of the library, confirmed with its receipt number', async () => {
    const projects = await apiGet<{ items: { id: string; name: string; status: string }[] }>('/api/projects?status=fundraising&limit=50');
    const project = projects.items.find((p) => p.name.includes('贫困家庭助学')) ?? projects.items[0]!;
    expect(project.status).toBe('fundraising');
    state.projectName = project.name;

    await page.goto(`${base}/donations`);
    await page.getByTestId('new-donation').click();
    await poll(() => drawer().getByTestId('donor-select').isVisible()).toBe(true);
    await choose(drawer().getByTestId('donor-select'), '爱心智造', ORG);
    await input(drawer().getByTestId('donation-amount')).fill('5000');
    await drawer().getByText('定向项目', { exact: true }).click();
    await choose(drawer().getByTestId('donation-project'), project.name.slice(0, 4), project.name);
    await drawer().getByText('确认时填写', { exact: true }).click();
    await drawer().getByTestId('donation-save').click();

    await page.waitForURL(/\/donations\/[0-9a-f-]{36}$/);
    state.projectDonationId = page.url().split('/').pop()!;
    await poll(() => page.getByTestId('donation-details').innerText()).toContain(`定向项目：${project.name}`);
    state.projectCode = await confirmOnPage('浙财捐 2026-0001235');
    await poll(() => page.getByTestId('trace').innerText()).toContain(`项目资金：${project.name}`);

    // Both in the list, newest first, with their status.
    await page.goto(`${base}/donations`);
    const list = page.getByTestId('donations-list');
    await poll(() => list.locator('tbody tr', { hasText: ORG }).count()).toBe(2);
    expect(await list.innerText()).toContain(`定向项目：${project.name}`);
    await poll(() => list.locator('.ant-spin-spinning').count()).toBe(0);
    await page.waitForTimeout(300);
    await e2e!.shot('donations-list');
  });

  test('a goods donation: N95 masks, by item and specification, received into the city warehouse on confirmation', async () => {
    // The city's warehouse, set up by the warehouse keeper through the API (the warehouse screens have their own test).
    const warehouseName = '衢州市红十字备灾仓库（捐赠入库）';
    await page.evaluate(async (name) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const res = await fetch('/api/warehouses', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken }, body: JSON.stringify({ code: 'E2E-DON-WH', name, address: '衢州市柯城区荷花街道', gradeChecks: [], openedOn: '2024-01-01' }) });
      if (!res.ok) throw new Error(`warehouse: ${res.status} ${await res.text()}`);
    }, warehouseName);

    await page.goto(`${base}/donations`);
    await page.getByTestId('new-donation').click();
    await poll(() => drawer().getByTestId('donor-select').isVisible()).toBe(true);
    await choose(drawer().getByTestId('donor-select'), '爱心智造', ORG);
    await choose(drawer().getByTestId('donation-channel'), null, '其他');
    await drawer().getByTestId('donation-gift-kind').getByText('物资', { exact: true }).click();
    await poll(() => drawer().getByTestId('donation-amount').count()).toBe(0);
    // Nothing chosen yet: the warehouse and the item are asked for by name.
    await drawer().getByTestId('donation-save').click();
    await poll(() => drawer().getByText('物资捐赠须选择入库仓库').isVisible()).toBe(true);
    await poll(() => drawer().getByText('请选择物资').isVisible()).toBe(true);
    // Each choice settled before the next: a select still closing can swallow the next click.
    await choose(drawer().getByTestId('donation-warehouse'), '捐赠入库', warehouseName);
    await choose(drawer().getByTestId('goods-item-0'), 'N95', '口罩（N95）');
    await input(drawer().getByTestId('goods-quantity-0')).fill('2000');
    await input(drawer().getByTestId('goods-value-0')).fill('3.5');
    await poll(() => drawer().getByText('物资估值合计 ¥7,000.00').isVisible()).toBe(true);
    await input(drawer().getByTestId('donation-receipt-no')).fill('浙财捐 2026-0001236');
    expect(await drawer().getByTestId('donation-warehouse').innerText()).toContain(warehouseName);
    await page.waitForTimeout(600);
    await e2e!.shot('donations-goods-create', page, { full: false });
    await drawer().getByTestId('donation-save').click();

    await page.waitForURL(/\/donations\/[0-9a-f-]{36}$/);
    const goods = page.getByTestId('donation-goods');
    await poll(() => goods.innerText()).toContain('口罩（N95）');
    expect(await goods.innerText()).toContain('2,000 只');
    expect(await page.getByTestId('donation-details').innerText()).toContain('¥7,000.00');
    await confirmOnPage(null);
    // Into stock on confirmation: the gift's trace follows the goods.
    await poll(() => page.getByTestId('goods-trace').innerText()).toContain(warehouseName);
    expect(await page.getByTestId('goods-trace').innerText()).toContain('入库');
    expect(await page.getByTestId('goods-trace-summary').innerText()).toContain('入库 2,000');
    await page.waitForTimeout(300);
    await e2e!.shot('donations-goods-confirmed');
  });

  test('the plan’s dashboard: the fundraising figure moves when a gift of a plan year is confirmed', async () => {
    const card = page.locator('[data-testid=indicator-card][data-code=fundraising_total]');
    const figure = async () => Number((await card.getByTestId('card-actual').innerText()).replace(/[^\d.]/g, ''));
    const give = (amountFen: number, receiptNo: string) =>
      page.evaluate(
        async ({ amountFen, receiptNo }) => {
          const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
          const post = async <T,>(url: string, body: unknown): Promise<T> => {
            const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken, 'Idempotency-Key': crypto.randomUUID() }, body: JSON.stringify(body) });
            if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
            return (await res.json()) as T;
          };
          const donor = await post<{ id: string }>('/api/donations/donors', { kind: 'organisation', orgName: '衢州规划进度测试有限公司', publicConsent: true });
          const d = await post<{ id: string; version: number }>('/api/donations', { donorId: donor.id, receivedOn: '2025-06-30', channel: 'bank_transfer', amountFen, designation: 'unrestricted', receiptNo });
          await post(`/api/donations/${d.id}/confirm`, { version: d.version });
        },
        { amountFen, receiptNo },
      );
    // A first gift of 2025 makes the city's own 2025 figure a computed one (it replaces the figure
    // entered by hand); from then on each confirmed gift moves it by exactly its amount.
    await give(1_000_000, '浙财捐 2025-0099998');
    await page.goto(`${base}/plan?year=2025`);
    await poll(() => card.getByTestId('card-actual').innerText()).toMatch(/\d/);
    const before = await figure();
    await give(100_000_000, '浙财捐 2025-0099999'); // ¥1,000,000 = 100 万元
    await page.reload();
    await poll(figure).toBeCloseTo(before + 100, 0);
    await e2e!.shot('donations-plan-figure', page, { full: false });
    // Back to the donations pages, where the next steps start from their menu.
    await page.goto(`${base}/donations`);
    await poll(() => page.getByTestId('donations-list').isVisible()).toBe(true);
  });

  test('the receipt, printed on A4: number, donor, amount in figures and words, the lookup code and where to use it', async () => {
    const print = await e2e!.context.newPage();
    try {
      await print.setViewportSize({ width: 794, height: 1123 });
      // Opened afresh (a reprint): the code is asked for again, and the server records that.
      await print.goto(`${base}/donations/${state.orgDonationId}/print`);
      const receipt = print.getByTestId('doc-receipt');
      await poll(() => receipt.getByTestId('receipt-lookup').innerText()).toContain(state.orgCode);
      const text = await receipt.innerText();
      for (const s of ['捐 赠 收 据', ORG, '¥12,345.67', '人民币壹万贰仟叁佰肆拾伍元陆角柒分', '银行转账', '浙财捐 2026-0001234', `${base}/trace`, '衢州市红十字会']) expect(text).toContain(s);
      // The ledger entry's number and the donor's token to prove it is theirs.
      await poll(() => receipt.getByTestId('receipt-ledger').innerText()).toMatch(/公开账本第 \d+ 条/);
      expect(await receipt.getByTestId('receipt-ledger').innerText()).toMatch(/[0-9a-f]{32} · [0-9a-f-]{36}/);
      expect(text).toMatch(/No\. JZ-/);
      await print.emulateMedia({ media: 'print' });
      expect(await print.locator('.boai-sider').isVisible()).toBe(false);
      expect(await print.locator('.boai-header').isVisible()).toBe(false);
      expect(await print.getByTestId('print-button').isVisible()).toBe(false);
      await print.screenshot({ path: path.join(SHOTS, 'donations-receipt-print.png'), fullPage: true });
      const pdf = await print.pdf({ path: path.join(printDir, 'receipt.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((x) => [Math.round(Number(x[1])), Math.round(Number(x[2]))]);
      // One A4 portrait page (595 × 842 points, give or take the rounding of 210 × 297 mm).
      expect(boxes).toHaveLength(1);
      expect(Math.abs(boxes[0]![0]! - 595)).toBeLessThanOrEqual(1);
      expect(Math.abs(boxes[0]![1]! - 842)).toBeLessThanOrEqual(1);

      // The certificate of the same gift.
      await print.emulateMedia({ media: 'screen' });
      await print.getByTestId('doc-switch').getByText('捐赠证书').click();
      await poll(() => print.getByTestId('doc-certificate').innerText()).toContain('特发此证');
      await print.emulateMedia({ media: 'print' });
      await print.screenshot({ path: path.join(SHOTS, 'donations-certificate-print.png'), fullPage: true });
    } finally {
      await print.close();
    }
  });

  test('a disbursement from the project fund: submitted by staff, who may not approve it themselves', async () => {
    // By address: the menu itself is checked in the first step (and in the shell's browser test).
    await page.goto(`${base}/donations/funds`);
    const row = page.getByTestId('funds-table').locator('tr', { hasText: `项目资金：${state.projectName}` });
    await poll(() => row.innerText()).toContain('¥5,000.00');
    await poll(() => page.getByTestId('allocate').isEnabled()).toBe(true);
    await page.waitForTimeout(300);
    await e2e!.shot('donations-funds');

    // Unrestricted money of the city allocated to the project by a decision on record.
    await page.getByTestId('allocate').click();
    await poll(() => drawer().getByText('非定向资金分配到项目').first().isVisible()).toBe(true);
    await poll(() => drawer().getByText(/可用余额 [\d,]+\.\d\d 元/).isVisible()).toBe(true);
    await choose(drawer().getByTestId('allocation-project'), state.projectName.slice(0, 4), state.projectName);
    await input(drawer().getByTestId('allocation-amount')).fill('1000');
    await drawer().getByTestId('allocation-decided-by').fill('2026 年第 11 次会长办公会议');
    await drawer().getByTestId('allocation-reason').fill('春季助学资金缺口');
    await drawer().getByTestId('allocation-save').click();
    await poll(() => page.getByText(`已分配 1,000.00 元到“${state.projectName}”`).isVisible()).toBe(true);
    await poll(() => row.innerText()).toContain('¥6,000.00');

    await row.getByTestId('fund-disburse').click();
    await poll(() => drawer().getByText('提交拨付申请').first().isVisible()).toBe(true);
    await drawer().getByTestId('disbursement-org').fill(RECIPIENT);
    const amount = input(drawer().getByTestId('disbursement-amount'));
    // More than the fund holds is refused as it is typed.
    await amount.fill('6000.01');
    await poll(() => drawer().getByText('超过可用余额 6,000.00 元').isVisible()).toBe(true);
    await amount.fill('2000');
    await drawer().getByTestId('disbursement-purpose').fill('2026 年春季学期困难家庭学生助学金');
    await drawer().getByTestId('disbursement-save').click();
    await poll(() => page.getByText('拨付申请已提交，等待他人审批').isVisible()).toBe(true);

    await page.goto(`${base}/donations/disbursements`);
    const mine = page.getByTestId('disbursements-table').locator('tbody tr', { hasText: RECIPIENT });
    await poll(() => mine.getByTestId('disbursement-status').innerText()).toBe('待审批');
    expect(await mine.getByTestId('next-step').innerText()).toBe('本人提交，须由他人审批');
    expect(await mine.getByTestId('approve').isDisabled()).toBe(true);
  });

  test('the leader approves it: paid from the project fund, and the gift’s trace shows where it went', async () => {
    await e2e!.signOut();
    await e2e!.signIn('quzhou.leader');
    await page.waitForURL(`${base}/`);
    // The home page's 待办 says what waits for the leader, and leads there.
    const todo = page.getByTestId('todo-donations.approve');
    await poll(() => todo.innerText()).toMatch(/\d+ 笔拨付待您审批/);
    await e2e!.shot('home-todo-leader', page, { full: false });
    await todo.getByRole('link').click();
    await page.waitForURL(`${base}/donations/disbursements`);
    const row = page.getByTestId('disbursements-table').locator('tbody tr', { hasText: RECIPIENT });
    await poll(() => row.getByTestId('next-step').innerText()).toBe('待您审批');
    // The leader reads and approves; recording gifts is not theirs.
    expect(await page.getByTestId('new-disbursement').count()).toBe(0);
    await e2e!.shot('donations-disbursements-leader');
    await row.getByTestId('approve').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '批准拨付 2,000.00 元' });
    await poll(() => modal.isVisible()).toBe(true);
    expect(await modal.innerText()).toContain('不可撤销');
    await modal.getByRole('button', { name: /批\s*准/ }).click();
    await poll(() => page.getByText('已批准拨付').isVisible()).toBe(true);
    await poll(() => row.count()).toBe(0);

    await page.getByTestId('disbursement-tabs').getByText('已拨付').click();
    const paid = page.getByTestId('disbursements-table').locator('tbody tr', { hasText: RECIPIENT });
    await poll(() => paid.getByTestId('disbursement-status').innerText()).toBe('已拨付');
    await paid.getByTestId('view-disbursement').click();
    await poll(() => page.getByTestId('disbursement-detail').innerText()).toContain('拨付入账');

    await page.goto(`${base}/donations/${state.projectDonationId}`);
    const trace = page.getByTestId('trace');
    await poll(() => trace.innerText()).toContain(RECIPIENT);
    expect(await trace.getByTestId('trace-spent').innerText()).toBe('¥2,000.00');
    expect(await trace.getByTestId('trace-unspent').innerText()).toBe('¥3,000.00');
    expect(await page.getByTestId('confirm-donation').count()).toBe(0);
  });

  test('the donor, without signing in, looks up the code from the receipt on a phone', async () => {
    const { context, page: phone } = await e2e!.newSession();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${base}/trace`);
      await poll(() => phone.getByText('爱心轨迹查询').first().isVisible()).toBe(true);
      // A code that is not one: said plainly.
      await phone.getByTestId('trace-code').fill('AAAA-BBBB-CCCC-DDDD');
      await phone.getByTestId('trace-submit').click();
      await poll(() => phone.getByTestId('trace-error').innerText()).toContain('查询码不正确');

      // Typed as people type it: lower case, no dashes.
      await phone.getByTestId('trace-code').fill(state.projectCode.replace(/-/g, '').toLowerCase());
      expect(await phone.getByTestId('trace-code').inputValue()).toBe(state.projectCode);
      await phone.getByTestId('trace-submit').click();
      const summary = phone.getByTestId('trace-summary');
      await poll(() => summary.innerText()).toContain('¥5,000.00');
      const trace = phone.getByTestId('trace');
      await poll(() => trace.innerText()).toContain('拨付使用');
      const text = await trace.innerText();
      expect(text).toContain(RECIPIENT);
      expect(text).toContain(state.projectName);
      expect(text).toContain('¥2,000.00');
      // No staff screen around it, and no sign-in asked for.
      expect(phone.url()).toContain('/trace?code=');
      expect(await phone.locator('.boai-sider').count()).toBe(0);
      await e2e!.shot('donations-public-trace', phone);

      // The first gift: received, not yet spent.
      await phone.goto(`${base}/trace?code=${state.orgCode}`);
      await poll(() => phone.getByTestId('trace-summary').innerText()).toContain('¥12,345.67');
      expect(await phone.getByTestId('trace-step').count()).toBe(1);

      // The month's public list shows the goods gift by item, specification and quantity, at its value.
      await phone.goto(`${base}/disclosure`);
      const gifts = phone.getByTestId('public-donations');
      const masks = gifts.getByTestId('public-donation').filter({ hasText: '口罩（N95）' });
      await poll(() => masks.count()).toBe(1);
      expect(await masks.getByTestId('public-donation-goods').innerText()).toBe('物资：口罩（N95）×2000只');
      expect(await masks.innerText()).toContain('¥7,000.00\n物资估值');
      await masks.scrollIntoViewIfNeeded();
      await phone.waitForTimeout(300);
      await phone.screenshot({ path: `${SHOTS}/donations-public-goods.png` });
    } finally {
      await context.close();
    }
  });

  test('no script errors along the way', () => {
    expect(e2e!.problems).toEqual([]);
  });
});
