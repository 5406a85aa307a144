import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, startE2E, type E2E } from './support.ts';

/**
 * A warehouse administrator's screens in a real browser: city staff add a criterion to the 三级
 * grade's checklist and a new catalogue item (口罩 KN90 — a second 口罩 KN90 is refused on the
 * specification field); then open the city warehouse, change its manager and grade checklist, add a
 * bin (a duplicate bin code is refused on its field), and set a minimum for 棉被 — refused when the
 * maximum is below it, then shown as a below-minimum alert on the warehouse and on the list. Last, an
 * item is edited (the stocked 棉被 keeps its specification: refused on that field) and retired, and the
 * empty bin is retired from the warehouse's bins tab, next to its levels table.
 */

let e2e: E2E | undefined;
let page: Page;
let base = '';
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const state = { wh: '' };

const drawer = () => page.locator('.ant-drawer-section');
const dropdown = () => page.locator('.ant-select-dropdown:visible');
const option = (text: string) => dropdown().locator('.ant-select-item-option-content', { hasText: text });
const input = (l: Locator) => l.locator('xpath=descendant-or-self::input').first();
/** The error text under a form field, found from its label. */
const fieldError = (label: string) => drawer().locator('.ant-form-item').filter({ has: page.locator('label', { hasText: label }) }).locator('.ant-form-item-explain-error');

async function apiCall<T>(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, url, body, headers }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as T };
    },
    { method, url, body, headers },
  );
}

async function saveDrawer(testId: string) {
  await drawer().getByTestId(testId).click();
}

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('warehouse administration in the browser', { timeout: 180_000 }, () => {
  test('the grade checklist and the catalogue are maintained; a duplicate item is refused on its field', async () => {
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    // The city warehouse with 20 quilts in stock (the stock screens have their own browser test).
    const wh = await apiCall<{ id: string }>('POST', '/api/warehouses', { code: 'QZ-CK-09', name: '衢州市备灾仓库（管理测试）', address: '衢州市柯城区备灾路 9 号', managerName: '周保管', openedOn: '2024-01-01' });
    expect(wh.status).toBe(201);
    state.wh = wh.json.id;
    const quilt = (await apiCall<{ items: { id: string; code: string }[] }>('GET', '/api/warehouses/items?q=BR-01')).json.items.find((i) => i.code === 'BR-01')!;
    const rec = await apiCall('POST', '/api/warehouses/receipts', { warehouseId: state.wh, occurredOn: today, sourceType: 'purchase', lines: [{ itemId: quilt.id, quantity: 20, unitValueFen: 12000 }] }, { 'Idempotency-Key': `e2e-admin-${Date.now()}` });
    expect(rec.status).toBe(201);

    await page.getByTestId('side-menu').getByRole('menuitem', { name: '物资目录与等级' }).click();
    await page.waitForURL(`${base}/warehouses/catalogue`);

    // 三级 gets a fourth criterion.
    await page.getByTestId('edit-grade-L3').click();
    await poll(() => drawer().getByTestId('criterion-2').isVisible()).toBe(true);
    await drawer().getByTestId('add-criterion').click();
    await input(drawer().getByTestId('criterion-3')).fill('配备灭火器和消防沙');
    await saveDrawer('save-grade');
    await poll(() => page.getByTestId('grades').getByText('配备灭火器和消防沙').isVisible()).toBe(true);
    await poll(() => drawer().count()).toBe(0);

    // 口罩 KN90 is a new item: the same name as N95/KN95, another specification.
    const addItem = async (code: string) => {
      await page.getByTestId('new-item').click();
      await drawer().getByLabel('物资编码').fill(code);
      await drawer().getByLabel('物资名称').fill('口罩');
      await drawer().getByLabel('规格型号').fill('KN90');
      // The choice settled before moving on: a dropdown still opening can drop the click.
      for (let attempt = 0; attempt < 4; attempt++) {
        if (!(await option('医疗防护类').isVisible())) await drawer().getByTestId('item-category').click();
        try {
          await poll(() => option('医疗防护类').isVisible(), { timeout: 5_000 }).toBe(true);
          // A dropdown that closes while it settles (a busy machine) is opened again, not waited on.
          await option('医疗防护类').click({ timeout: 5_000 });
          await poll(() => drawer().getByTestId('item-category').innerText(), { timeout: 3_000 }).toContain('医疗防护类');
          break;
        } catch (e) {
          if (attempt === 3) throw e;
        }
      }
      await drawer().getByLabel('计量单位').fill('只');
      await saveDrawer('save-item');
    };
    await addItem('YL-90');
    await poll(() => page.getByTestId('items').getByRole('row').filter({ hasText: 'YL-90' }).filter({ hasText: 'KN90' }).isVisible()).toBe(true);
    await poll(() => drawer().count()).toBe(0);

    // The same name and specification under another code: refused on the specification field.
    await addItem('YL-91');
    await poll(() => fieldError('规格型号').innerText()).toContain('同名同规格的物资已存在');
    await e2e!.shot('warehouses-admin-item-duplicate', page, { full: false });
    await drawer().getByRole('button', { name: /取\s*消/ }).click();
    const items = (await apiCall<{ items: { code: string; spec: string }[] }>('GET', '/api/warehouses/items?q=KN90')).json.items;
    expect(items.map((i) => i.code)).toEqual(['YL-90']);
  });

  test("the warehouse's manager and grade checklist are edited and a bin is added", async () => {
    await page.goto(`${base}/warehouses/${state.wh}`);
    await poll(() => page.getByTestId('action-edit').isVisible()).toBe(true);
    await page.getByTestId('action-edit').click();
    await drawer().getByLabel('负责人').fill('吴仓管');
    await drawer().getByLabel('联系电话').fill('0570-3012345');
    await drawer().getByTestId('grade-select').click();
    await option('三级（L3）').click();
    await drawer().getByTestId('grade-checks').click();
    await option('出入库台账完整').click();
    await option('配备灭火器和消防沙').click();
    await page.keyboard.press('Escape');
    await e2e!.shot('warehouses-admin-edit-drawer', page, { full: false });
    await saveDrawer('save-warehouse');
    await poll(() => drawer().count()).toBe(0);
    const desc = page.locator('.ant-descriptions');
    await poll(() => desc.innerText()).toContain('吴仓管 0570-3012345');
    await poll(() => desc.innerText()).toContain('三级（达标 2/4）');
    await poll(() => page.getByTestId('grade-checks-shown').innerText()).toBe('出入库台账完整；配备灭火器和消防沙');

    // A bin, then the same bin code again: refused on the code field, nothing added.
    const addBin = async () => {
      await page.getByTestId('action-location').click();
      await drawer().getByLabel('库位编码').fill('A-01');
      await drawer().getByLabel('库位名称').fill('棉被货架');
      await saveDrawer('save-location');
    };
    await addBin();
    await poll(() => page.getByTestId('bins').innerText()).toBe('A-01（棉被货架）');
    await poll(() => drawer().count()).toBe(0);
    await addBin();
    await poll(() => fieldError('库位编码').innerText()).toContain('库位编码已存在');
    await drawer().getByRole('button', { name: /取\s*消/ }).click();
    const w = (await apiCall<{ locations: { code: string }[]; managerName: string; gradeChecks: string[] }>('GET', `/api/warehouses/${state.wh}`)).json;
    expect(w.locations.map((l) => l.code)).toEqual(['A-01']);
    expect(w.managerName).toBe('吴仓管');
    expect(w.gradeChecks).toEqual(['出入库台账完整', '配备灭火器和消防沙']);
  });

  test('a minimum for 棉被 shows as a below-minimum alert; a maximum below it is refused on its field', async () => {
    await page.getByTestId('action-level').click();
    await drawer().locator('.ant-select').first().click();
    await page.keyboard.type('BR-01');
    await option('BR-01').click();
    await poll(() => drawer().getByText('最低库存（床）').isVisible()).toBe(true);
    await input(drawer().getByTestId('min-qty')).fill('50');
    await input(drawer().getByTestId('max-qty')).fill('10');
    await saveDrawer('save-level');
    await poll(() => fieldError('最高库存').innerText()).toContain('最高库存不能低于最低库存');
    await input(drawer().getByTestId('max-qty')).fill('500');
    await poll(() => fieldError('最高库存').count()).toBe(0);
    await e2e!.shot('warehouses-admin-level-drawer', page, { full: false });
    await saveDrawer('save-level');
    await poll(() => drawer().count()).toBe(0);
    await poll(() => page.getByTestId('level-alerts').innerText()).toContain('低于最低库存：棉被（2m×1.8m 真空包装） 结存 20 / 最低 50床');

    await e2e!.shot('warehouses-admin-warehouse');
    await page.goto(`${base}/warehouses`);
    await poll(() => page.getByTestId('stock-alerts').innerText()).toContain('1 项物资低于最低库存');
    await page.getByTestId('stock-alerts').getByText('查看明细').click();
    await poll(() => page.getByTestId('stock-alerts').innerText()).toContain('低于最低库存：衢州市备灾仓库（管理测试） · 棉被（2m×1.8m 真空包装） 结存 20 / 最低 50床');
    await poll(() => page.getByRole('row').filter({ hasText: '衢州市备灾仓库（管理测试）' }).innerText()).toContain('吴仓管');
    expect(e2e!.problems).toEqual([]);
  });

  test('an item is edited and retired; a stocked item keeps its specification; an empty bin is retired', async () => {
    await page.goto(`${base}/warehouses/catalogue`);
    // 棉被 has stock: its specification is part of the recorded history.
    await page.getByTestId('edit-item-BR-01').click();
    await drawer().getByLabel('规格型号').fill('2m×2m 真空包装');
    await saveDrawer('save-edit-item');
    await poll(() => fieldError('规格型号').innerText()).toContain('已有入库批次');
    await drawer().getByRole('button', { name: /取\s*消/ }).click();
    await poll(() => drawer().count()).toBe(0);

    // 口罩 KN90 has no goods yet: renamed, a shelf life added, then retired.
    await page.getByTestId('edit-item-YL-90').click();
    await drawer().getByLabel('物资名称').fill('防护口罩');
    await input(drawer().getByLabel('保质期')).fill('36');
    await e2e!.shot('warehouses-admin-item-edit', page, { full: false });
    await saveDrawer('save-edit-item');
    await poll(() => drawer().count()).toBe(0);
    const row = page.getByTestId('items').getByRole('row').filter({ hasText: 'YL-90' });
    await poll(() => row.innerText()).toContain('防护口罩');
    await poll(() => row.innerText()).toContain('36 个月');
    await page.getByTestId('item-active-YL-90').click();
    await poll(() => page.getByTestId('item-active-YL-90').getAttribute('aria-checked')).toBe('false');
    const kn90 = (await apiCall<{ items: { code: string; name: string; spec: string; active: boolean; shelfLifeMonths: number }[] }>('GET', '/api/warehouses/items?q=YL-90')).json.items;
    expect(kn90.map((i) => [i.name, i.spec, i.shelfLifeMonths, i.active])).toEqual([['防护口罩', 'KN90', 36, false]]);

    // The bin A-01 holds nothing: retired from the bins tab; the levels tab lists 棉被 against its minimum.
    await page.goto(`${base}/warehouses/${state.wh}`);
    await page.getByRole('tab', { name: '库位' }).click();
    await page.getByTestId('bin-active-A-01').click();
    await poll(() => page.getByTestId('bin-active-A-01').getAttribute('aria-checked')).toBe('false');
    await poll(() => page.getByTestId('bins').innerText()).toBe('—');
    await page.getByRole('tab', { name: '库存上下限' }).click();
    await poll(() => page.getByTestId('levels-table').getByRole('row').filter({ hasText: 'BR-01' }).innerText()).toMatch(/50 床[\s\S]*500 床[\s\S]*20 床[\s\S]*低于最低/);
    await poll(() => page.getByRole('tab', { name: '库存上下限' }).getAttribute('aria-selected')).toBe('true');
    // The tab's ink bar and panel animate in: let them settle before the picture.
    await page.waitForTimeout(400);
    await e2e!.shot('warehouses-admin-levels', page, { full: false });
    await page.getByRole('tab', { name: '库位' }).click();
    await poll(() => page.getByRole('tab', { name: '库位' }).getAttribute('aria-selected')).toBe('true');
    await page.waitForTimeout(400);
    await e2e!.shot('warehouses-admin-bins', page, { full: false });
    // The same page in English: the warehouse screens follow the language switch (data stays as entered).
    await page.getByTestId('language-switch').getByText('English').click();
    await poll(() => page.getByRole('tab', { name: 'Minimum and maximum stock' }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: 'Minimum and maximum stock' }).click();
    await poll(() => page.getByTestId('levels-table').getByRole('row').filter({ hasText: 'BR-01' }).innerText()).toMatch(/50 床[\s\S]*500 床[\s\S]*20 床[\s\S]*Below minimum/);
    await poll(() => page.getByTestId('level-alerts').innerText()).toContain('Below minimum: 棉被 (2m×1.8m 真空包装), on hand 20 / minimum 50 床');
    await page.waitForTimeout(400);
    await e2e!.shot('warehouses-admin-levels-en', page);
    await page.getByTestId('language-switch').getByText('中文').click();
    await poll(() => page.getByRole('tab', { name: '库位' }).isVisible()).toBe(true);
    const w = (await apiCall<{ locations: { code: string; active: boolean }[] }>('GET', `/api/warehouses/${state.wh}`)).json;
    expect(w.locations).toEqual([expect.objectContaining({ code: 'A-01', active: false })]);
    expect(e2e!.problems).toEqual([]);
  });
});
