import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The staff web app in a real browser against the real server (embedded database, demo data):
 * sign-in, the menu by permission, the jurisdiction in the header, both languages, the pages of
 * the three domains, sign-out, and the lockout after five wrong passwords.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');
const WEB_INDEX = path.join(ROOT, 'dist/web/index.html');

type DemoAccount = { username: string; password: string; role: string; unit: string };

let server: ChildProcess | undefined;
let serverLog = '';
let dataDir = '';
let base = '';
let accounts: DemoAccount[] = [];
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
const problems: string[] = [];
/** Navigations and API answers, to explain a failure. */
const trail: string[] = [];

function run(cmd: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, ms: number) {
  const t0 = Date.now();
  for (;;) {
    if (server?.exitCode !== null) throw new Error(`server exited with ${server?.exitCode}:\n${serverLog}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > ms) throw new Error(`server not healthy after ${ms} ms:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function account(username: string): DemoAccount {
  const a = accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username} in ${accounts.map((x) => x.username).join(', ')}`);
  return a;
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(username: string, opts: { stay?: boolean } = {}) {
  const { password } = account(username);
  if (!opts.stay) await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

async function signOut() {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId('user-menu').click();
    const item = page.getByRole('menuitem', { name: '退出登录' });
    await item.waitFor();
    // The menu zooms in; a click while it still moves can land beside it.
    await page.waitForTimeout(400);
    await item.click();
    try {
      await page.waitForURL(`${base}/login`, { timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw new Error(`still at ${page.url()}; recent: ${trail.slice(-12).join(' | ')}`, { cause: e });
      await page.keyboard.press('Escape');
    }
  }
  await poll(() => page.getByRole('button', { name: /登\s*录/ }).isVisible()).toBe(true);
}

const sideMenu = () => page.getByTestId('side-menu');

/** Retries until the page shows what is expected; generous, as two test workers share two cores. */
function poll<T>(fn: () => Promise<T> | T, opts: { message?: string } = {}) {
  return expect.poll(fn, { timeout: 20_000, interval: 100, ...opts });
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (!fs.existsSync(WEB_INDEX)) await run('npx', ['vite', 'build']);

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boai-e2e-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BOAI_') && k !== 'DATABASE_URL') env[k] = v;
  Object.assign(env, { BOAI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BOAI_LOG_LEVEL: 'warn' });
  server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d) => (serverLog += d));
  server.stderr!.on('data', (d) => (serverLog += d));
  await waitForHealth(base, 150_000);
  accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) trail.push(`nav ${f.url().replace(base, '')}`);
  });
  page.on('response', (r) => {
    if (r.url().includes('/api/')) trail.push(`${r.status()} ${r.request().method()} ${r.url().replace(base, '')}`);
  });
  page.on('console', (msg) => {
    // The browser reports every 4xx response (the 401 of "who am I" before sign-in, the refused passwords) as an error.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
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
    expect(problems).toEqual([]);
  });
});
