import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, startE2E, type E2E } from './support.ts';

/**
 * 系统设置 in a real browser: the city administrator reads the working-day calendar (the State
 * Council's arrangement, 调休 days marked), sees a year without one flagged, and changes the
 * management-cost warning line; staff read the same page without the means to change it.
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

describe('settings in the browser', { timeout: 120_000 }, () => {
  test('the city administrator reads the calendar and changes a business parameter', async () => {
    await e2e!.signIn('quzhou.sys_admin');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/settings`);
    const table = page.getByTestId('calendar-table');
    await poll(() => table.innerText()).toContain('国庆节调休上班');
    expect(await table.innerText()).toContain('国办发明电〔2025〕7号');
    await page.waitForTimeout(300);
    await e2e!.shot('settings-calendar', page, { full: false });

    // A year without an arrangement is flagged, not silently counted as weekends only.
    await page.getByTestId('calendar-year').click();
    await page.locator('.ant-select-item-option').filter({ hasText: String(new Date().getFullYear() + 1) }).first().click();
    await poll(() => page.getByText('未录入当年放假安排').isVisible()).toBe(true);

    await page.getByRole('tab', { name: '业务参数' }).click();
    const ratio = page.getByTestId('setting-management-ratio').locator('xpath=descendant-or-self::input').first();
    await poll(() => ratio.inputValue()).toBe('10');
    await ratio.fill('13');
    await page.getByTestId('settings-save').click();
    await poll(() => page.getByText('已保存').first().isVisible()).toBe(true);
    await poll(() => page.getByText(/最后修改：/).isVisible()).toBe(true);
    const v = await page.evaluate(async () => (await (await fetch('/api/settings/business')).json()) as { values: { managementRatioPercent: number } });
    expect(v.values.managementRatioPercent).toBe(13);
    await e2e!.shot('settings-business', page, { full: false });
  });

  test('staff read the settings but cannot change them', async () => {
    await e2e!.signOut();
    await e2e!.signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/settings`);
    await poll(() => page.getByTestId('calendar-table').innerText()).toContain('春节');
    expect(await page.getByTestId('calendar-add').count()).toBe(0);
    await page.getByRole('tab', { name: '业务参数' }).click();
    await poll(() => page.getByTestId('setting-management-ratio').isVisible()).toBe(true);
    expect(await page.getByTestId('settings-save').count()).toBe(0);
    expect(await page.getByText('修改需要市级系统管理员').isVisible()).toBe(true);
  });

  test('no script errors along the way', () => {
    expect(e2e!.problems).toEqual([]);
  });
});
