import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { poll, startE2E, type E2E } from './support.ts';

/**
 * The staff web app in a real browser against the real server (embedded database, demo data):
 * sign-in, the menu by permission, the jurisdiction in the header, both languages, the pages of
 * the three domains, sign-out, and the lockout after five wrong passwords.
 */

let e2e: E2E | undefined;
let page: Page;
let base = '';

const account = (username: string) => e2e!.account(username);
const shot = (name: string) => e2e!.shot(name);
const signIn = (username: string, opts: { stay?: boolean } = {}) => e2e!.signIn(username, opts);
const signOut = () => e2e!.signOut();
const sideMenu = () => page.getByTestId('side-menu');

beforeAll(async () => {
  e2e = await startE2E();
  page = e2e.page;
  base = e2e.base;
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
}, 60_000);

describe('staff web app', { timeout: 180_000 }, () => {
  test('an anonymous visitor lands on the Chinese login page', async () => {
    await page.goto(`${base}/users`);
    await page.waitForURL(/\/login\?next=%2Fusers$/);
    await poll(() => page.getByRole('heading', { name: '博爱·数智红会' }).isVisible()).toBe(true);
    await poll(() => page.getByLabel('用户名').isVisible()).toBe(true);
    await shot('login');
  });

  test('the city system administrator sees the menu of their permissions and 衢州市 in the header', async () => {
    await signIn('quzhou.sys_admin', { stay: true });
    // Back where the visitor wanted to go before signing in.
    await page.waitForURL(`${base}/users`);
    await page.getByRole('menuitem', { name: '工作台' }).click();
    await page.waitForURL(`${base}/`);
    await poll(() => page.getByTestId('jurisdiction').textContent()).toContain('衢州市');
    await poll(() => page.getByText('衢州市系统管理员（演示）').first().isVisible()).toBe(true);
    for (const label of ['工作台', '组织机构', '用户管理', '角色权限']) {
      await poll(() => sideMenu().getByRole('menuitem', { name: label }).isVisible(), { message: label }).toBe(true);
    }
    for (const area of ['基础数据', '系统管理']) {
      await poll(() => sideMenu().getByText(area).isVisible(), { message: area }).toBe(true);
    }
    // No audit permission, no audit entry; the page itself answers 403.
    expect(await sideMenu().getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
    await poll(() => page.getByTestId('todo-card').textContent()).toContain('待办');
    await shot('home');
  });

  test('English and back to Chinese', async () => {
    await page.getByTestId('language-switch').getByText('English').click();
    await poll(() => sideMenu().getByRole('menuitem', { name: 'Org units' }).isVisible()).toBe(true);
    await poll(() => page.getByTestId('jurisdiction').textContent()).toContain('Jurisdiction');
    await poll(() => page.getByTestId('todo-card').textContent()).toContain('To-do');
    await shot('home-en');
    await page.getByTestId('language-switch').getByText('中文').click();
    await poll(() => sideMenu().getByRole('menuitem', { name: '组织机构' }).isVisible()).toBe(true);
    expect(await sideMenu().getByRole('menuitem', { name: 'Org units' }).count()).toBe(0);
  });

  test('users: a list with status tags and role names, filters in the address bar', async () => {
    await sideMenu().getByRole('menuitem', { name: '用户管理' }).click();
    await page.waitForURL(`${base}/users`);
    await poll(() => page.getByRole('cell', { name: 'kecheng.staff' }).isVisible()).toBe(true);
    await poll(() => page.getByRole('button', { name: /新建用户/ }).isVisible()).toBe(true);
    await shot('users');
    await page.getByLabel('用户名 / 姓名').fill('kecheng');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(/\/users\?q=kecheng$/);
    await poll(() => page.getByRole('cell', { name: 'quzhou.staff' }).count()).toBe(0);
    await poll(() => page.getByRole('cell', { name: 'kecheng.leader' }).isVisible()).toBe(true);
    await page.goto(`${base}/audit`);
    await poll(() => page.getByText('403 没有权限').isVisible()).toBe(true);
    await signOut();
  });

  test('audit log: entries with labels, the hash chain verifies', async () => {
    await signIn('quzhou.audit_admin');
    await page.waitForURL(`${base}/`);
    await sideMenu().getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL(`${base}/audit`);
    await poll(() => page.getByRole('cell', { name: '登录', exact: true }).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: /校验哈希链/ }).click();
    await poll(() => page.getByTestId('verify-result').textContent()).toContain('哈希链校验通过');
    await poll(() => page.getByRole('button', { name: /导\s*出/ }).isVisible()).toBe(true);
    await shot('audit');
    await signOut();
  });

  test('org tree: staff of the city see the counties, 柯城区 among them', async () => {
    await signIn('quzhou.staff');
    await page.waitForURL(`${base}/`);
    await sideMenu().getByRole('menuitem', { name: '组织机构' }).click();
    await page.waitForURL(/\/orgs/);
    const tree = page.getByTestId('org-tree');
    await poll(() => tree.getByText('柯城区').isVisible()).toBe(true);
    await tree.getByText('柯城区').click();
    await page.waitForURL(/unit=/);
    await poll(() => page.getByText('330802').first().isVisible()).toBe(true);
    await poll(() => page.getByRole('button', { name: /新增下级/ }).isVisible()).toBe(true);
    await shot('orgs');
  });

  test('signing out lands on the login page', async () => {
    await signOut();
    // The session is gone on the server too: a protected page sends the visitor back to sign in.
    await page.goto(`${base}/orgs`);
    await page.waitForURL(/\/login\?next=%2Forgs$/);
    await poll(() => page.getByLabel('用户名').isVisible()).toBe(true);
    // The bare address serves the app too (not a JSON error), which sends the visitor to sign in.
    const root = await page.goto(`${base}/`);
    expect(root?.headers()['content-type']).toContain('text/html');
    await page.waitForURL(/\/login/);
  });

  test('five wrong passwords lock a county account; the right one is then refused with the lock message', async () => {
    const leader = account('kecheng.leader');
    for (let i = 1; i <= 5; i++) {
      await page.getByLabel('用户名').fill(leader.username);
      await page.getByLabel('密码').fill(`wrong-password-${i}`);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
        page.getByRole('button', { name: /登\s*录/ }).click(),
      ]);
      // The fifth failure locks the account at once.
      expect(res.status(), `attempt ${i}`).toBe(i < 5 ? 401 : 423);
      await poll(() => page.getByTestId('login-error').textContent(), { message: `attempt ${i}` }).toMatch(i < 5 ? /用户名或密码错误/ : /锁定/);
    }
    await page.getByLabel('密码').fill(leader.password);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
      page.getByRole('button', { name: /登\s*录/ }).click(),
    ]);
    expect(res.status()).toBe(423);
    await poll(() => page.getByTestId('login-error').textContent()).toContain('锁定');
    await shot('locked');
    expect(page.url()).toContain('/login');
  });

  test('no script errors or React warnings along the way', () => {
    expect(e2e!.problems).toEqual([]);
  });
});
