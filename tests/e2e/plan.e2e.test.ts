import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, SHOTS, startE2E, type E2E } from './support.ts';

/**
 * The five-year plan in a real browser: city staff open the progress dashboard (eight headline
 * indicators), drill into a county on an indicator page, enter a figure by hand with its evidence
 * and see it counted, write a quarterly bulletin and print it on A4, and publish a mid-term
 * evaluation whose content hash then verifies.
 */

let e2e: E2E | undefined;
let page: Page;
let base = '';
let planId = '';
let kechengId = '';
/** Printed pages (A4 screenshots and the PDF) for a person to look at. */
const printDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boai-plan-print-'));

const sideMenu = () => page.getByTestId('side-menu');
/** A 1×1 PNG as evidence. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

type ProgressItem = { code: string; name: string; actual: number | null; actualSource: string; status: string };

/** The API as the signed-in browser sees it (same cookies). */
async function apiGet<T>(p: string): Promise<T> {
  const res = await page.request.get(`${base}${p}`);
  expect(res.status(), p).toBe(200);
  return (await res.json()) as T;
}

async function uploadEvidence(scope: ReturnType<Page['locator']>, name: string) {
  await scope.getByRole('button', { name: /上传附件/ }).click();
  await page.locator('[data-testid=attachment-upload] input[type=file]').setInputFiles({ name, mimeType: 'image/png', buffer: PNG });
  await page.locator('.ant-modal').filter({ hasText: '上传' }).getByRole('button', { name: /上\s*传/ }).click();
  await poll(() => scope.getByTestId('attachments').getByText(name).isVisible()).toBe(true);
}

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('five-year plan in the browser', { timeout: 120_000 }, () => {
  test('city staff open the progress dashboard: eight headline indicators with status, warnings on top', async () => {
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    await poll(() => sideMenu().getByText('规划管理').isVisible()).toBe(true);
    await sideMenu().getByRole('menuitem', { name: '规划进度' }).click();
    await page.waitForURL(new RegExp(`^${base}/plan`));
    const cards = page.getByTestId('indicator-card');
    await poll(() => cards.count()).toBe(8);
    const plans = await apiGet<{ items: { id: string; name: string }[] }>('/api/plan/plans');
    const plan = plans.items.find((p) => p.name.includes('十四五'))!;
    expect(plan).toBeTruthy();
    planId = plan.id;

    const text = await page.getByTestId('headline-cards').innerText();
    for (const name of ['筹资总额', 'AED 每万人配置数', '造血干细胞资料库入库库容增加']) expect(text).toContain(name);
    expect(text).toContain('人工填报');
    // Every card has a status tag of the five kinds.
    const statuses = await page.locator('[data-testid=indicator-card] .plan-status').allInnerTexts();
    expect(statuses).toHaveLength(8);
    for (const s of statuses) expect(['达标', '正常', '滞后', '严重滞后', '无数据', '无分解目标']).toContain(s.trim());
    // The plan's own tables do not add up (表3, 表4): said at the top, with the numbers.
    await poll(() => page.getByTestId('plan-warnings').isVisible()).toBe(true);
    expect(await page.getByTestId('plan-warnings').innerText()).toMatch(/不一致[\s\S]*\d/);
    await poll(() => page.locator('[data-testid=progress-chart] svg').count()).toBeGreaterThan(0);
    await e2e!.shot('plan-dashboard');
  });

  test('an indicator page shows the counties; drilling into 柯城区 shows its own sub-units', async () => {
    await page.locator('[data-testid=indicator-card][data-code=aed_density]').click();
    await page.waitForURL(/\/plan\/indicators\/aed_density/);
    await poll(() => page.getByTestId('indicator-name').innerText()).toContain('AED');
    const table = page.getByTestId('indicator-table');
    await poll(() => table.getByText('柯城区').isVisible()).toBe(true);
    for (const county of ['衢江区', '龙游县', '江山市', '常山县', '开化县']) expect(await table.innerText()).toContain(county);
    await poll(() => page.locator('[data-testid=yearly-chart] svg').count()).toBeGreaterThan(0);
    await poll(() => page.locator('[data-testid=children-chart] svg').count()).toBeGreaterThan(0);
    await e2e!.shot('plan-indicator-city');

    await table.getByRole('link', { name: '柯城区' }).or(table.getByText('柯城区', { exact: true })).first().click();
    await page.waitForURL((u) => u.pathname === '/plan/indicators/aed_density' && !!u.searchParams.get('unit'));
    kechengId = new URL(page.url()).searchParams.get('unit')!;
    // 柯城区 is now the total row; the counties are gone.
    await poll(() => page.locator('[data-testid=indicator-table] .plan-total-row').innerText()).toContain('柯城区');
    expect(await table.innerText()).not.toContain('江山市');
    await e2e!.shot('plan-indicator-kecheng');
  });

  test('a figure entered by hand for 柯城区, with its evidence, is counted on the dashboard', async () => {
    const code = 'stem_cell_additions';
    const year = 2025;
    const before = await apiGet<{ items: ProgressItem[] }>(`/api/plan/plans/${planId}/progress?year=${year}&unit=${kechengId}`);
    const beforeItem = before.items.find((i) => i.code === code)!;
    const current = await apiGet<{ items: { numerator: number }[] }>(`/api/plan/plans/${planId}/actuals?indicatorCode=${code}&unitId=${kechengId}&year=${year}`);
    const entered = 97;
    const expected = (beforeItem.actual ?? 0) - (current.items[0]?.numerator ?? 0) + entered;

    await page.goto(`${base}/plan/indicators/${code}?plan=${planId}&unit=${kechengId}&year=${year}`);
    await poll(() => page.getByTestId('indicator-name').innerText()).toContain('造血干细胞');
    await page.getByTestId('enter-actual-link').click();
    await page.waitForURL(/\/plan\/actuals/);
    // The one drawer open: the form, then the evidence of the saved figure.
    const drawer = page.locator('.ant-drawer-section');
    await poll(() => drawer.getByText('人工填报完成数').isVisible()).toBe(true);
    // Required fields are named in Chinese when left empty.
    await drawer.getByTestId('actual-save').click();
    await poll(() => drawer.getByText('请填写完成数').isVisible()).toBe(true);
    await poll(() => drawer.getByText('请填写数据来源（文件名或文号）').isVisible()).toBe(true);
    await drawer.getByTestId('actual-numerator').locator('xpath=descendant-or-self::input').fill(String(entered));
    await drawer.getByTestId('actual-source').fill('柯城区红十字会 2025 年造血干细胞入库统计表');
    await drawer.getByTestId('actual-save').click();
    await poll(() => drawer.getByText('请上传佐证材料', { exact: false }).isVisible()).toBe(true);
    await uploadEvidence(drawer, '入库统计表.png');
    await e2e!.shot('plan-actual-evidence', page, { full: false });
    await drawer.getByTestId('actual-done').click();

    // In the list of entries, with its evidence.
    const list = page.getByTestId('actuals-table');
    await poll(() => list.getByText('柯城区红十字会 2025 年造血干细胞入库统计表').isVisible()).toBe(true);
    await list.getByTestId('entry-evidence').first().click();
    await poll(() => page.locator('.ant-drawer-section').getByText('入库统计表.png').isVisible()).toBe(true);
    await page.keyboard.press('Escape');

    // The previous figure stays in the history.
    await page.getByTestId('toggle-history').click();
    await poll(() => list.getByText('已被覆盖').first().isVisible()).toBe(true);
    await e2e!.shot('plan-actuals');

    // Counted: the dashboard of 柯城区 shows the new total, marked as entered by hand.
    await page.goto(`${base}/plan?plan=${planId}&unit=${kechengId}&year=${year}`);
    const card = page.locator(`[data-testid=indicator-card][data-code=${code}]`);
    const shown = expected.toLocaleString('zh-CN', { maximumFractionDigits: 0 });
    await poll(() => card.getByTestId('card-actual').innerText()).toContain(shown);
    expect(await card.innerText()).toContain('人工填报');
    const after = await apiGet<{ items: ProgressItem[] }>(`/api/plan/plans/${planId}/progress?year=${year}&unit=${kechengId}`);
    expect(after.items.find((i) => i.code === code)!.actual).toBe(expected);
  });

  test('a quarterly bulletin: county ranking, lagging items in red, remarks, printed on A4', async () => {
    await sideMenu().getByRole('menuitem', { name: '工作进度通报' }).click();
    await page.waitForURL(/\/plan\/bulletins/);
    await page.getByTestId('new-bulletin').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '生成通报' });
    await poll(() => modal.isVisible()).toBe(true);
    await modal.getByText('季度', { exact: true }).click();
    await modal.locator('.ant-select').filter({ has: page.getByRole('combobox') }).nth(0).click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('2025 年').click();
    await modal.getByTestId('bulletin-part').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('第3季度').click();
    await modal.getByRole('button', { name: /确\s*定/ }).click();
    await page.waitForURL(/\/plan\/bulletins\/[0-9a-f-]{36}/);

    const paper = page.getByTestId('bulletin-paper');
    await poll(() => page.getByTestId('bulletin-title').innerText()).toContain('2025 年第三季度工作进度通报');
    expect(await paper.innerText()).toContain('衢州市红十字会');
    const ranking = page.getByTestId('bulletin-ranking');
    await poll(() => ranking.innerText()).toContain('柯城区');
    for (const county of ['衢江区', '常山县', '开化县', '龙游县', '江山市']) expect(await ranking.innerText()).toContain(county);
    // Lagging items in red: an indicator of the city, and 常山县 (70% of its plan in the demo) in the ranking.
    const red = 'rgb(207, 19, 34)';
    const lagging = paper.locator('[data-testid=bulletin-indicators] tr.plan-lag');
    await poll(() => lagging.count()).toBeGreaterThan(0);
    expect(await lagging.first().evaluate((el) => getComputedStyle(el.querySelector('td')!).color)).toBe(red);
    const changshan = ranking.locator('tr', { hasText: '常山县' }).locator('td.plan-lag');
    expect(await changshan.innerText()).toContain('严重滞后');
    expect(await changshan.evaluate((el) => getComputedStyle(el).color)).toBe(red);

    await page.getByTestId('edit-remarks').click();
    await page.getByTestId('remarks-input').fill('常山县、江山市进度滞后，请于下季度重点推进 AED 布设和会员发展。');
    await page.getByTestId('remarks-save').click();
    await poll(() => page.getByTestId('bulletin-remarks').innerText()).toContain('常山县、江山市进度滞后');
    await e2e!.shot('plan-bulletin');

    // Print: A4 without the app around it (in a second tab of the same session, A4-wide).
    const print = await e2e!.context.newPage();
    try {
      await print.setViewportSize({ width: 794, height: 1123 });
      await print.goto(page.url());
      await poll(() => print.getByTestId('bulletin-remarks').innerText()).toContain('常山县、江山市进度滞后');
      await print.emulateMedia({ media: 'print' });
      expect(await print.locator('.boai-sider').isVisible()).toBe(false);
      expect(await print.locator('.boai-header').isVisible()).toBe(false);
      expect(await print.getByTestId('bulletin-print').isVisible()).toBe(false);
      expect(await print.getByTestId('bulletin-paper').isVisible()).toBe(true);
      await print.screenshot({ path: path.join(printDir, 'bulletin-print.png'), fullPage: true });
      fs.copyFileSync(path.join(printDir, 'bulletin-print.png'), path.join(SHOTS, 'plan-bulletin-print.png'));
      const pdf = await print.pdf({ path: path.join(printDir, 'bulletin.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // A4 portrait (595 × 842 points) on every page.
      const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((x) => [Math.round(Number(x[1])), Math.round(Number(x[2]))]);
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) expect(box).toEqual([595, 842]);
    } finally {
      await print.close();
    }
  });

  test('a mid-term evaluation: draft with narrative and evidence, published irreversibly, its content hash verifies', async () => {
    await sideMenu().getByRole('menuitem', { name: '期中/期末评估' }).click();
    await page.waitForURL(/\/plan\/evaluations/);
    await page.getByTestId('new-evaluation').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建评估' });
    await poll(() => modal.isVisible()).toBe(true);
    await modal.getByText('期中评估', { exact: true }).click();
    await modal.getByRole('button', { name: /确\s*定/ }).click();
    await page.waitForURL(/\/plan\/evaluations\/[0-9a-f-]{36}/);
    await poll(() => page.getByTestId('evaluation-status').innerText()).toBe('草稿');
    await poll(() => page.getByTestId('evaluation-figures').innerText()).toContain('筹资总额');

    await page.getByTestId('narrative-input').fill('“十四五”前三年，全市红十字事业总体按计划推进；筹资、造血干细胞入库进度良好，会员发展与 AED 布设个别县（市、区）滞后。');
    await page.getByTestId('narrative-save').click();
    await poll(() => page.getByTestId('evaluation-paper').innerText()).toContain('总体按计划推进');

    await page.getByRole('tab', { name: '佐证材料' }).click();
    const evidence = page.getByRole('tabpanel', { name: '佐证材料' });
    await uploadEvidence(evidence, '期中评估座谈会纪要.png');

    await page.getByTestId('publish').click();
    const confirm = page.getByRole('dialog').filter({ hasText: '发布评估报告？' });
    await poll(() => confirm.isVisible()).toBe(true);
    expect(await confirm.innerText()).toContain('不可撤销');
    await confirm.getByRole('button', { name: /发\s*布/ }).click();
    await poll(() => page.getByTestId('evaluation-status').innerText()).toBe('已发布');
    const hash = (await page.getByTestId('content-hash').innerText()).trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Frozen: no more editing, no more evidence.
    expect(await page.getByTestId('publish').count()).toBe(0);
    await page.getByRole('tab', { name: '报告正文' }).click();
    expect(await page.getByTestId('narrative-editor').count()).toBe(0);
    expect(await page.getByTestId('evaluation-paper').innerText()).toContain(hash);

    await page.getByTestId('verify').click();
    await poll(() => page.getByTestId('verify-result').innerText()).toContain('校验通过');
    expect(await page.getByTestId('verify-result').innerText()).toContain(hash);
    await e2e!.shot('plan-evaluation-published');

    // The evidence is frozen with the report, listed with its SHA-256, and no more can be added.
    await page.getByRole('tab', { name: '佐证材料' }).click();
    await poll(() => evidence.getByText('期中评估座谈会纪要.png').first().isVisible()).toBe(true);
    expect(await evidence.innerText()).toMatch(/[0-9a-f]{64}/);
    expect(await evidence.getByRole('button', { name: /上传附件/ }).count()).toBe(0);

    await page.getByRole('tab', { name: '对比' }).click();
    const comparison = page.getByTestId('comparison');
    await poll(() => comparison.innerText()).toContain('筹资总额');
    await poll(async () => (await comparison.innerText()).includes('未评估') && /万元/.test(await comparison.innerText())).toBe(true);
  });

  test('规划与目标: the plan as data, its tables and their warnings; the city splits a target by year (an even split suggested)', async () => {
    // By address: in headless CI the side menu's plan group was at times not visible right after the
    // publish dialog (cause not found; noted on the issue). The menu itself is exercised by the steps above.
    await page.goto(`${base}/plan/setup`);
    await page.waitForURL(/\/plan\/setup/);
    const header = page.getByTestId('plan-header');
    await poll(() => header.innerText()).toContain('衢发改发〔2021〕36号');
    expect(await header.innerText()).toMatch(/2021–2025/);
    await poll(() => page.getByTestId('indicators-table').innerText()).toContain('筹资总额');
    await page.getByRole('tab', { name: /表1/ }).click();
    await poll(() => page.getByTestId('baseline-table').innerText()).toContain('造血干细胞');
    await page.getByRole('tab', { name: /数据校验/ }).click();
    const warnings = page.getByTestId('warnings-table');
    await poll(() => warnings.innerText()).toContain('常山县');
    expect(await warnings.getByRole('button', { name: /补\s*录/ }).count()).toBeGreaterThan(0);
    // The annual split of a cumulative target, an even split suggested.
    await page.getByRole('tab', { name: /指标/ }).first().click();
    await page.getByTestId('indicators-table').locator('tr', { hasText: '造血干细胞资料库入库库容增加' }).getByRole('button', { name: /逐年分解/ }).click();
    const split = page.getByRole('dialog').filter({ hasText: '逐年分解' });
    await poll(() => split.isVisible()).toBe(true);
    await split.getByTestId('breakdown-even').click();
    expect(await split.getByRole('spinbutton').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['280', '280', '280', '280', '280']);
    await e2e!.shot('plan-breakdown', page, { full: false });
    await split.getByRole('button', { name: /确认分解/ }).click();
    await poll(() => split.isVisible()).toBe(false);
    await page.getByRole('tab', { name: /分解目标/ }).click();
    const targets = page.getByRole('tabpanel', { name: /分解目标/ });
    await targets.getByText('造血干细胞资料库入库库容增加', { exact: true }).click();
    await poll(() => targets.getByText('逐年分解（经确认）').first().isVisible()).toBe(true);
    expect(await targets.getByText('逐年分解（经确认）').count()).toBe(5);
    await page.getByRole('tab', { name: /指标/ }).first().click();
    await e2e!.shot('plan-setup');
  });

  test('county staff see their own county, and the city plan read-only', async () => {
    await e2e!.signOut();
    await e2e!.signIn('kecheng.staff');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/plan`);
    await poll(() => page.getByTestId('indicator-card').count()).toBe(8);
    await poll(() => page.locator('.plan-section-title').innerText()).toContain('柯城区');
    await page.goto(`${base}/plan/setup`);
    await poll(() => page.getByTestId('plan-setup').innerText()).toContain('您可以查看');
    expect(await page.getByRole('button', { name: /逐年分解/ }).count()).toBe(0);
    await e2e!.shot('plan-setup-county');
  });

  test('no script errors along the way', () => {
    expect(e2e!.problems).toEqual([]);
  });
});
