import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminUrl, withAdminClient } from './support/env.ts';
import { BUILTIN_ROLES } from '../src/domains/accounts/accounts.contract.ts';

/** The command a newcomer runs, as a real process: first start, restart, bad input. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boai-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function baseEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('BOAI_') && k !== 'DATABASE_URL' && k !== 'PORT') env[k] = v;
  return { ...env, BOAI_LOG_LEVEL: 'warn', ...extra };
}

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    exited,
    out: () => out,
    err: () => err,
    async waitFor(re: RegExp, ms = 150_000) {
      const t0 = Date.now();
      while (!re.test(out)) {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${err}${out}`);
        if (Date.now() - t0 > ms) throw new Error(`timeout waiting for ${re}: ${out}${err}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return re.exec(out)!;
    },
  };
}

async function freePort() {
  return new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function login(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: (await res.json()) as Record<string, any>, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

describe('start-up refusals', () => {
  it('a bad setting stops the start with one line naming the variable', async () => {
    const s = start({ PORT: 'eighty', BOAI_DATA_DIR: path.join(tmp, 'unused') });
    expect(await s.exited).toBe(1);
    expect(s.err().trim().split('\n')).toHaveLength(1);
    expect(s.err()).toContain('PORT');
    expect(s.err()).not.toMatch(/\n\s+at /);
  });

  it('a data directory in use by a live process is refused with a clear message', async () => {
    const dir = path.join(tmp, 'busy');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'pglite.lock'), String(process.pid));
    const s = start({ BOAI_DATA_DIR: dir, PORT: String(await freePort()) });
    expect(await s.exited).toBe(1);
    expect(s.err()).toMatch(/正被进程 \d+ 使用|in use by process/);
    expect(s.err()).not.toMatch(/\n\s+at /);
  });

  it('a corrupt data directory is reported, not a stack trace', async () => {
    const dir = path.join(tmp, 'corrupt');
    fs.mkdirSync(path.join(dir, 'pglite', 'base'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pglite', 'PG_VERSION'), 'garbage');
    const s = start({ BOAI_DATA_DIR: dir, PORT: String(await freePort()) });
    expect(await s.exited).toBe(1);
    expect(s.err()).toMatch(/可能已损坏|may be corrupt/);
    expect(s.err()).not.toMatch(/\n\s+at /);
  });
});

describe('embedded sandbox', () => {
  it('first start loads the demo and prints the accounts once; a restart keeps everything and prints nothing new', async () => {
    const dir = path.join(tmp, 'sandbox');
    const port = await freePort();
    const first = start({ BOAI_DATA_DIR: dir, PORT: String(port) });
    await first.waitFor(/Boai is running/);
    const accounts = JSON.parse(fs.readFileSync(path.join(dir, 'demo-accounts.json'), 'utf8')) as { username: string; password: string; role: string; unit: string }[];
    expect(accounts).toHaveLength(3 * BUILTIN_ROLES.length);
    expect(new Set(accounts.map((a) => a.unit))).toEqual(new Set(['330800', '330802', '330881']));
    expect(new Set(accounts.map((a) => a.role))).toEqual(new Set(BUILTIN_ROLES.map((r) => r.code)));
    for (const a of accounts.slice(0, 3)) expect(first.out()).toContain(a.password);
    expect((fs.statSync(path.join(dir, 'demo-accounts.json')).mode & 0o777).toString(8)).toBe('600');
    const base = `http://127.0.0.1:${port}`;
    const health = await (await fetch(`${base}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'pglite' });
    const staff = accounts.find((a) => a.username === 'kecheng.staff')!;
    expect((await login(base, staff.username, staff.password)).status).toBe(200);
    // Make a change, stop, start again: the change is there, the lock was released, no new demo.
    const s = await login(base, staff.username, staff.password);
    const me = s.body;
    const created = await fetch(`${base}/api/orgs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: s.cookie!, 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ parentId: me.user.unitId, name: '重启测试学校', kind: 'school' }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    const second = start({ BOAI_DATA_DIR: dir, PORT: String(port) });
    await second.waitFor(/Boai is running/);
    expect(second.out()).not.toContain('演示账户');
    const again = await login(base, staff.username, staff.password);
    expect(again.status).toBe(200);
    const list = await (await fetch(`${base}/api/orgs?q=${encodeURIComponent('重启测试学校')}`, { headers: { cookie: again.cookie! } })).json();
    expect(list.items).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 300_000);
});

describe.runIf(!!process.env.DATABASE_URL)('real PostgreSQL server', () => {
  it('starts on an empty database with a bootstrap administrator whose one-time password must be changed', async () => {
    const url = process.env.DATABASE_URL!;
    const name = `boai_t_${Math.floor(Date.now() / 1000)}_start${crypto.randomBytes(3).toString('hex')}`;
    await withAdminClient(url, (c) => c.query(`create database "${name}"`));
    try {
      const port = await freePort();
      const env = { DATABASE_URL: adminUrl(url, name), BOAI_SECRET_KEY: crypto.randomBytes(32).toString('base64'), PORT: String(port), BOAI_DATA_DIR: path.join(tmp, 'pg') };
      const s = start(env);
      const m = await s.waitFor(/one-time password: (\S+)/);
      await s.waitFor(/Boai is running/);
      const otp = m[1]!;
      expect(s.out()).not.toContain('演示账户');
      expect(fs.existsSync(path.join(tmp, 'pg', 'demo-accounts.json'))).toBe(false);
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/api/health`)).json()).toMatchObject({ status: 'ok', database: 'postgres' });
      for (const guess of ['admin', '123456', 'Admin@123']) expect((await login(base, 'admin', guess)).status).toBe(401);
      const first = await login(base, 'admin', otp);
      expect(first.status).toBe(200);
      expect(first.body.stage).toBe('password_change');
      const blocked = await fetch(`${base}/api/users`, { headers: { cookie: first.cookie! } });
      expect(blocked.status).toBe(403);
      const changed = await fetch(`${base}/api/auth/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: first.cookie!, 'x-csrf-token': first.body.csrfToken },
        body: JSON.stringify({ currentPassword: otp, newPassword: 'Bootstrap-Keeper-2026' }),
      });
      expect(changed.status).toBe(200);
      // Outside the sandbox an administrator must enrol TOTP next.
      expect(((await changed.json()) as { stage: string }).stage).toBe('mfa_enrol');
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(0);
      const again = start(env);
      await again.waitFor(/Boai is running/);
      expect(again.out()).not.toContain('one-time password');
      again.child.kill('SIGTERM');
      await again.exited;
    } finally {
      await withAdminClient(url, (c) => c.query(`drop database if exists "${name}" with (force)`));
    }
  }, 120_000);
});
