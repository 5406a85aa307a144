import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, startE2E, type E2E } from './support.ts';

/**
 * The project library in a real browser: city staff find the plan's 23 projects, a county creates
 * a brand project in the drawer (validation as typed, money in yuan → fen), reaches the limit of
 * two with the field named, and closes a project; the public list shows no drafts.
 */

let e2e: E2E | undefined;
let page: Page;
let base = '';
const sideMenu = () => page.getByTestId('side-menu');
const drawer = () => page.locator('.ant-drawer-section');

async function newProject(name: string, goal: string, brand: boolean) {
  await page.getByTestId('project-new').click();
  await poll(() => drawer().isVisible()).toBe(true);
  await drawer().getByLabel('项目名称').fill(name);
  await drawer().getByLabel('项目类别').click();
  await page.locator('.ant-select-dropdown:visible').getByText('应急救护', { exact: true }).click();
  await drawer().locator('#project_goalYuan').fill(goal);
  if (brand) await drawer().locator('#project_brandProject').click();
  await drawer().getByTestId('project-save').click();
}

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('project library in the browser', { timeout: 120_000 }, () => {
  test('city staff see the 23 projects of the plan’s annex under 募捐与项目', async () => {
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    await poll(() => sideMenu().getByText('募捐与项目').isVisible()).toBe(true);
    await sideMenu().getByRole('menuitem', { name: '项目库' }).click();
    await page.waitForURL(`${base}/projects`);
    const list = page.getByTestId('projects-list');
    await poll(() => list.getByText('XM-330800-').count().catch(() => 0)).toBeGreaterThan(0);
    await poll(() => list.getByText('全部加载（共 23 条）', { exact: false }).isVisible()).toBe(true);
    expect(await list.innerText()).toContain('“博爱送万家”困难会员慰问');
    await e2e!.shot('projects-list');
    await e2e!.signOut();
  });

  test('a county creates brand projects up to the limit, is told which field is wrong, and closes one', async () => {
    await e2e!.signIn('kecheng.staff');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/projects`);
    await poll(() => page.getByTestId('project-new').isVisible()).toBe(true);
    // Validation as typed: a fractional fen is refused before anything is sent.
    await page.getByTestId('project-new').click();
    await drawer().locator('#project_goalYuan').fill('12.345');
    await poll(() => drawer().getByText('最多两位小数', { exact: false }).isVisible()).toBe(true);
    await drawer().getByLabel('项目名称').fill('x');
    await drawer().getByLabel('项目名称').fill('');
    await poll(() => drawer().getByText('请填写项目名称').isVisible()).toBe(true);
    await e2e!.shot('projects-drawer-validation', page, { full: false });
    await drawer().getByRole('button', { name: /取\s*消/ }).click();

    await newProject('柯城区博爱救护站', '50000.50', true);
    await page.waitForURL(new RegExp(`^${base}/projects/[0-9a-f-]{36}$`));
    await poll(() => page.getByTestId('project-name').innerText()).toBe('柯城区博爱救护站');
    expect(await page.getByTestId('project-raised').innerText()).toContain('¥0.00 / ¥50,000.50');
    await page.goto(`${base}/projects`);
    await newProject('柯城区第二品牌', '100', true);
    await page.waitForURL(new RegExp(`^${base}/projects/[0-9a-f-]{36}$`));
    await page.goto(`${base}/projects`);
    await newProject('柯城区第三品牌', '100', true);
    await poll(() => drawer().locator('.ant-form-item-explain-error').getByText('柯城区已有 2 个品牌项目', { exact: false }).isVisible()).toBe(true);
    await drawer().locator('#project_brandProject').scrollIntoViewIfNeeded();
    await e2e!.shot('projects-brand-limit', page, { full: false });
    await drawer().getByRole('button', { name: /取\s*消/ }).click();

    await page.getByTestId('projects-list').getByText('柯城区博爱救护站').click();
    await poll(() => page.getByTestId('project-close').isVisible()).toBe(true);
    await page.getByTestId('project-close').click();
    await page.locator('.ant-modal').getByLabel('结束原因').fill('项目周期结束');
    await page.locator('.ant-modal').getByRole('button', { name: '结束项目' }).click();
    await poll(() => page.getByTestId('project-status').innerText()).toBe('已结束');
    await poll(() => page.getByTestId('project-history').innerText()).toContain('结束项目');
    await e2e!.shot('project-page');

    // The public list: no session, no drafts, raised vs goal.
    const res = await page.request.get(`${base}/api/public/projects?limit=100`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { name: string; status: string; raisedFen: number }[] };
    expect(body.items.every((p) => p.status !== 'draft')).toBe(true);
    expect(body.items.some((p) => p.name === '柯城区博爱救护站' && p.status === 'closed')).toBe(true);
    expect(e2e!.problems).toEqual([]);
  });
});
