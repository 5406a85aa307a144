import { beforeAll, describe, expect, it } from 'vitest';
import { Agent, describeDb, TEST_PASSWORD, type Harness } from '../../../../tests/support/harness.ts';
import { testConfig } from '../../../../tests/support/env.ts';
import { totpAt } from '../../../platform/totp.ts';
import { LOCK_MS } from './accounts.auth.service.ts';

const MIN = 60_000;

async function agentFor(h: Harness) {
  return new Agent((await h.app()).app);
}

describeDb('sign-in, sessions and CSRF', (h) => {
  beforeAll(async () => {
    await h().createUser({ username: 'a.staff', unit: '330802', roles: ['staff'] });
    await h().createUser({ username: 'a.lock', unit: '330802', roles: ['staff'] });
    await h().createUser({ username: 'a.victim', unit: '330881', roles: ['staff'] });
    await h().createUser({ username: 'a.admin', unit: '330800', roles: ['sys_admin'] });
  });

  it('signs in, regenerates the session id, and ends it at logout', async () => {
    const a = await agentFor(h());
    a.cookie = 'boai_sid=attacker-chosen-value';
    const res = await a.login('a.staff', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.user.unitName).toBe('柯城区');
    expect(me.user.permissions).toContain('orgs.write');
    expect(me.stage).toBe('full');
    expect(a.cookie).toBeDefined();
    expect(a.cookie).not.toContain('attacker-chosen-value');
    const set = res.headers['set-cookie']!.toString();
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    const old = a.cookie;
    const out = await a.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toContain('cookies');
    a.cookie = old;
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('answers an unknown user exactly like a wrong password, and audits both', async () => {
    const a = await agentFor(h());
    const unknown = await a.login('no.such.user', 'Whatever-123!');
    const wrong = await a.login('a.staff', 'Wrong-Pass-123!');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    expect(unknown.json().error.code).toBe('auth.invalid_credentials');
    const rows = await h().system.run((trx) => trx.selectFrom('audit_log').select(['action', 'actor_username', 'result']).where('action', '=', 'auth.login_failed').execute());
    expect(rows.map((r) => r.actor_username)).toEqual(expect.arrayContaining(['no.such.user', 'a.staff']));
    // reset the counter for later tests
    expect((await a.login('a.staff', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('locks an account for 15 minutes after 5 failures, then lets it in again', async () => {
    const a = await agentFor(h());
    for (let i = 1; i <= 4; i++) expect((await a.login('a.lock', `Wrong-Pass-${i}!x`)).statusCode).toBe(401);
    const fifth = await a.login('a.lock', 'Wrong-Pass-5!x');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.message).toContain('锁定');
    const right = await a.login('a.lock', TEST_PASSWORD);
    expect(right.statusCode).toBe(423);
    h().clock.advance(LOCK_MS - 5_000);
    expect((await a.login('a.lock', TEST_PASSWORD)).statusCode).toBe(423);
    h().clock.advance(6_000);
    expect((await a.login('a.lock', TEST_PASSWORD)).statusCode).toBe(200);
    const locked = await h().system.run((trx) => trx.selectFrom('audit_log').select('action').where('action', '=', 'auth.locked').where('actor_username', '=', 'a.lock').execute());
    expect(locked).toHaveLength(1);
  });

  it('ends a session after 30 idle minutes and after 12 hours in any case', async () => {
    const a = await agentFor(h());
    await a.login('a.staff', TEST_PASSWORD);
    h().clock.advance(29 * MIN + 59_000);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    h().clock.advance(30 * MIN + 2_000);
    const expired = await a.get('/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('session_expired');

    const b = await agentFor(h());
    await b.login('a.staff', TEST_PASSWORD);
    for (let i = 0; i < 25; i++) {
      h().clock.advance(29 * MIN);
      const r = await b.get('/api/auth/me');
      if (i < 24) expect(r.statusCode).toBe(200);
      else expect(r.statusCode).toBe(401); // 25 × 29 min > 12 h
    }
  });

  it('refuses state changes without the CSRF token or from another origin', async () => {
    const a = await agentFor(h());
    await a.login('a.staff', TEST_PASSWORD);
    const body = { parentId: h().unit('信安街道'), name: 'CSRF 社区', kind: 'community' };
    const noToken = await a.request({ method: 'POST', url: '/api/orgs', payload: body, headers: { 'x-csrf-token': 'wrong' } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_failed');
    const evil = await a.request({ method: 'POST', url: '/api/orgs', payload: body, headers: { origin: 'https://evil.example', host: 'localhost:80' } });
    expect(evil.statusCode).toBe(403);
    const crossSite = await a.request({ method: 'POST', url: '/api/orgs', payload: body, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    const units = await h().system.run((trx) => trx.selectFrom('org_unit').select('id').where('name', '=', 'CSRF 社区').execute());
    expect(units).toHaveLength(0);
    const ok = await a.post('/api/orgs', body);
    expect(ok.statusCode).toBe(201);
  });

  it('ends every session of a disabled account at once, and of one whose roles change', async () => {
    const admin = await agentFor(h());
    expect((await admin.login('a.admin', TEST_PASSWORD)).statusCode).toBe(200);
    const victim = await agentFor(h());
    await victim.login('a.victim', TEST_PASSWORD);
    expect((await victim.get('/api/orgs?limit=1')).statusCode).toBe(200);
    const id = (await admin.get('/api/users?q=a.victim')).json().items[0].id;
    expect((await admin.post(`/api/users/${id}/disable`)).statusCode).toBe(200);
    expect((await victim.get('/api/orgs?limit=1')).statusCode).toBe(401);
    expect((await victim.login('a.victim', TEST_PASSWORD)).statusCode).toBe(401);
    await admin.post(`/api/users/${id}/enable`);
    await victim.login('a.victim', TEST_PASSWORD);
    const u = (await admin.get(`/api/users/${id}`)).json();
    expect((await admin.patch(`/api/users/${id}`, { version: u.version, roles: ['leader'] })).statusCode).toBe(200);
    expect((await victim.get('/api/orgs?limit=1')).statusCode).toBe(401);
    await victim.login('a.victim', TEST_PASSWORD);
    expect((await victim.post('/api/orgs', { parentId: h().unit('双塔街道'), name: 'x', kind: 'community' })).statusCode).toBe(403);
  });

  it('moving a user to another county takes effect on the next request', async () => {
    const admin = await agentFor(h());
    await admin.login('a.admin', TEST_PASSWORD);
    await h().createUser({ username: 'a.mover', unit: '330802', roles: ['staff'] });
    const id = (await admin.get('/api/users?q=a.mover')).json().items[0].id;
    const u = (await admin.get(`/api/users/${id}`)).json();
    expect((await admin.patch(`/api/users/${id}`, { version: u.version, unitId: h().unit('330881') })).statusCode).toBe(200);
    const mover = await agentFor(h());
    await mover.login('a.mover', TEST_PASSWORD);
    expect((await mover.get(`/api/orgs/${h().unit('330802')}`)).statusCode).toBe(404);
    expect((await mover.get(`/api/orgs/${h().unit('330881')}`)).statusCode).toBe(200);
  });
});

describeDb('one-time passwords and forced change', (h) => {
  it('a new account must change its one-time password before anything else, and the password rules hold', async () => {
    const admin = new Agent((await h().app()).app);
    await h().createUser({ username: 'b.admin', unit: '330800', roles: ['sys_admin'] });
    await admin.login('b.admin', TEST_PASSWORD);
    const created = await admin.post('/api/users', { username: 'b.new', displayName: '新同事', unitId: h().unit('330803'), roles: ['staff'] });
    expect(created.statusCode).toBe(201);
    const otp = created.json().oneTimePassword as string;
    expect(otp).toHaveLength(16);
    const row = await h().system.run((trx) => trx.selectFrom('app_user').select('password_hash').where('username', '=', 'b.new').executeTakeFirstOrThrow());
    expect(row.password_hash).toMatch(/^k1\$\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(otp);

    const user = new Agent((await h().app()).app);
    const first = await user.login('b.new', otp);
    expect(first.json().stage).toBe('password_change');
    const blocked = await user.get('/api/orgs?limit=1');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    const weak = await user.post('/api/auth/password', { currentPassword: otp, newPassword: 'password123' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.details.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['classes']));
    const contextual = await user.post('/api/auth/password', { currentPassword: otp, newPassword: 'Quzhou-RedCross-2026' });
    expect(contextual.statusCode).toBe(422);
    const common = await user.post('/api/auth/password', { currentPassword: otp, newPassword: 'Qwertyuiop1' });
    expect(common.statusCode).toBe(422);
    expect(common.json().error.details.map((d: { code: string }) => d.code)).toEqual(['common']);
    const before = user.cookie;
    const changed = await user.post('/api/auth/password', { currentPassword: otp, newPassword: 'Lanterns-over-Qu-river-7' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().stage).toBe('full');
    expect(user.cookie).not.toBe(before);
    expect((await user.get('/api/orgs?limit=1')).statusCode).toBe(200);
    // the old one-time password is gone; one-time passwords also expire after a day
    expect((await new Agent((await h().app()).app).login('b.new', otp)).statusCode).toBe(401);
    const reset = await admin.post(`/api/users/${first.json().user.id}/reset-password`);
    h().clock.advance(24 * 3_600_000 + 1000);
    expect((await new Agent((await h().app()).app).login('b.new', reset.json().oneTimePassword)).statusCode).toBe(401);
  });
});

describe('TOTP second factor', () => {
  describeDb(
    'TOTP',
    (h) => {
      it('an administrator must enrol TOTP, then signs in with it; a code works once', async () => {
        await h().createUser({ username: 'c.audit', unit: '330800', roles: ['audit_admin'] });
        const a = new Agent((await h().app()).app);
        const first = await a.login('c.audit', TEST_PASSWORD);
        expect(first.json().stage).toBe('mfa_enrol');
        expect(first.json().mfaRequired).toBe(true);
        expect((await a.get('/api/audit?limit=1')).json().error.code).toBe('mfa_enrolment_required');
        const setup = (await a.post('/api/auth/totp/setup')).json();
        expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
        expect(setup.otpauthUrl).toContain('otpauth://totp/');
        const stored = await h().system.run((trx) => trx.selectFrom('app_user').select('totp_secret_enc').where('username', '=', 'c.audit').executeTakeFirstOrThrow());
        expect(stored.totp_secret_enc).not.toContain(setup.secret);
        expect((await a.post('/api/auth/totp/confirm', { code: '000000' })).statusCode).toBe(401);
        const code = totpAt(setup.secret, h().clock.now());
        const confirmed = await a.post('/api/auth/totp/confirm', { code });
        expect(confirmed.statusCode).toBe(200);
        expect(confirmed.json().stage).toBe('full');
        expect((await a.get('/api/audit?limit=1')).statusCode).toBe(200);

        const b = new Agent((await h().app()).app);
        const noCode = await b.login('c.audit', TEST_PASSWORD);
        expect(noCode.statusCode).toBe(401);
        expect(noCode.json().error.code).toBe('auth.totp_required');
        // the code used for enrolment cannot be replayed
        expect((await b.login('c.audit', TEST_PASSWORD, code)).json().error.code).toBe('auth.totp_invalid');
        h().clock.advance(30_000);
        const fresh = totpAt(setup.secret, h().clock.now());
        expect((await b.login('c.audit', TEST_PASSWORD, fresh)).statusCode).toBe(200);
        expect((await new Agent((await h().app()).app).login('c.audit', TEST_PASSWORD, fresh)).json().error.code).toBe('auth.totp_invalid');
        // administrators cannot remove their second factor
        h().clock.advance(30_000);
        const rm = await b.post('/api/auth/totp/remove', { password: TEST_PASSWORD, code: totpAt(setup.secret, h().clock.now()) });
        expect(rm.json().error.code).toBe('auth.totp_mandatory');
      });
    },
    { config: () => testConfig({ BOAI_REQUIRE_ADMIN_MFA: '1' }) },
  );
});

describeDb(
  'sign-in rate limit per address',
  (h) => {
    it('answers 429 with Retry-After beyond the per-minute limit, without touching the account', async () => {
      await h().createUser({ username: 'r.user', unit: '330822', roles: ['staff'] });
      const a = new Agent((await h().app()).app);
      for (let i = 0; i < 3; i++) expect((await a.login('r.user', 'Wrong-Pass-1!x')).statusCode).toBe(401);
      const limited = await a.login('r.user', TEST_PASSWORD);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  },
  { config: () => testConfig({ BOAI_AUTH_RATE_LIMIT: '3' }) },
);

describeDb('concurrent failed sign-ins', (h) => {
  it('count every failure exactly once and lock exactly once (row lock on PostgreSQL)', async () => {
    await h().createUser({ username: 'x.race', unit: '330824', roles: ['staff'] });
    const { app } = await h().app();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => new Agent(app).login('x.race', `Wrong-Pass-${i}!x`)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(4);
    expect(codes.filter((c) => c === 423)).toHaveLength(8);
    const rows = await h().system.run((trx) => trx.selectFrom('audit_log').select(['action']).where('actor_username', '=', 'x.race').execute());
    expect(rows.filter((r) => r.action === 'auth.locked')).toHaveLength(1);
    expect(rows).toHaveLength(12);
    expect((await new Agent(app).login('x.race', TEST_PASSWORD)).statusCode).toBe(423);
  });
});
