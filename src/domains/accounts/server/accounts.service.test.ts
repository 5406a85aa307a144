import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeDb, errorCode as code, type TestUser } from '../../../../tests/support/harness.ts';
import { builtinRoleDefinitions, permissionCatalog } from '../../catalog.ts';
import { passwordShapeProblems, PASSWORD_MIN } from '../accounts.contract.ts';
import { passwordProblems } from './accounts.passwords.ts';
import * as svc from './accounts.service.ts';

describeDb('accounts service', (h) => {
  let cityAdmin: TestUser;
  let keAdmin: TestUser;
  let sec: TestUser;
  let keSec: TestUser;
  beforeAll(async () => {
    cityAdmin = await h().createUser({ username: 's.sys', unit: '330800', roles: ['sys_admin'] });
    keAdmin = await h().createUser({ username: 's.kesys', unit: '330802', roles: ['sys_admin'] });
    sec = await h().createUser({ username: 's.sec', unit: '330800', roles: ['sec_admin'] });
    keSec = await h().createUser({ username: 's.kesec', unit: '330802', roles: ['sec_admin'] });
  });

  it('ships the built-in roles with the three administrator duties kept apart', async () => {
    const roles = await svc.listRoles(sec.ctx);
    const byCode = Object.fromEntries(roles.map((r) => [r.code, r]));
    for (const def of builtinRoleDefinitions) expect(byCode[def.code]?.permissions).toEqual(def.permissions);
    expect(byCode.sys_admin!.adminKind).toBe('system');
    expect(byCode.sec_admin!.adminKind).toBe('security');
    expect(byCode.audit_admin!.adminKind).toBe('audit');
    expect(byCode.sys_admin!.permissions).not.toContain('audit.read');
    expect(byCode.audit_admin!.permissions).not.toContain('accounts.users.manage');
  });

  it('refuses an account holding two administrator duties (三权分立), in the service and in the database', async () => {
    const unitId = h().unit('330800');
    expect(await code(svc.createUser(cityAdmin.ctx, { username: 's.both', displayName: 'x', unitId, roles: ['sys_admin', 'audit_admin'] }))).toBe('accounts.admin_separation');
    expect(await code(svc.createUser(cityAdmin.ctx, { username: 's.both2', displayName: 'x', unitId, roles: ['sec_admin', 'supervisor'] }))).toBe('accounts.admin_separation');
    const ok = await svc.createUser(cityAdmin.ctx, { username: 's.one', displayName: 'x', unitId, roles: ['sys_admin', 'staff'] });
    // The database refuses it too, whatever path the rows take.
    const audit = await h().system.run((trx) => trx.selectFrom('role').select('id').where('code', '=', 'audit_admin').executeTakeFirstOrThrow());
    await expect(h().system.run((trx) => trx.insertInto('user_role').values({ user_id: ok.user.id, role_id: audit.id }).execute())).rejects.toThrow(/administrator duties/);
    // A role that gains another duty's permission is refused while someone holds both.
    const roles = await svc.listRoles(sec.ctx);
    const staff = roles.find((r) => r.code === 'staff')!;
    expect(await code(svc.updateRole(sec.ctx, staff.id, { version: staff.version, permissions: [...staff.permissions, 'audit.read'] }))).toBe('accounts.admin_separation');
    const sysRole = roles.find((r) => r.code === 'sys_admin')!;
    expect(await code(svc.updateRole(sec.ctx, sysRole.id, { version: sysRole.version, permissions: [...sysRole.permissions, 'audit.read'] }))).toBe('accounts.mixed_admin_permissions');
    expect(await code(svc.createRole(sec.ctx, { code: 'mixed', nameZh: '混合', nameEn: 'Mixed', permissions: ['accounts.users.manage', 'accounts.roles.manage'] }))).toBe('accounts.mixed_admin_permissions');
  });

  it('the separation holds for any combination of roles (property)', async () => {
    const roles = await svc.listRoles(sec.ctx);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.subarray(roles.map((r) => r.code), { minLength: 1, maxLength: 4 }), async (picked) => {
        const kinds = new Set(roles.filter((r) => picked.includes(r.code) && r.adminKind).map((r) => r.adminKind));
        const result = await code(svc.createUser(cityAdmin.ctx, { username: `s.p${n++}`, displayName: 'p', unitId: h().unit('330800'), roles: picked }));
        expect(result).toBe(kinds.size > 1 ? 'accounts.admin_separation' : 'ok');
      }),
      { numRuns: 25, seed: 3 },
    );
  });

  it('keeps a county administrator inside the county', async () => {
    const own = await svc.createUser(keAdmin.ctx, { username: 's.kenew', displayName: '柯城新人', unitId: h().unit('信安街道'), roles: ['staff'] });
    expect(own.user.unitName).toBe('信安街道');
    expect(await code(svc.createUser(keAdmin.ctx, { username: 's.jsnew', displayName: 'x', unitId: h().unit('330881'), roles: ['staff'] }))).toBe('accounts.unit_not_found');
    const js = await h().createUser({ username: 's.jsuser', unit: '330881', roles: ['staff'] });
    expect(await code(svc.getUser(keAdmin.ctx, js.id))).toBe('accounts.user_not_found');
    expect(await code(svc.setUserStatus(keAdmin.ctx, js.id, 'disabled'))).toBe('accounts.user_not_found');
    expect(await code(svc.resetPassword(keAdmin.ctx, js.id))).toBe('accounts.user_not_found');
    const listed = await svc.listUsers(keAdmin.ctx, { limit: 200 });
    expect(listed.items.every((u) => u.unitName === '柯城区' || u.unitName.endsWith('街道') || u.unitName.endsWith('乡') || u.unitName.endsWith('镇'))).toBe(true);
    expect(listed.items.some((u) => u.username === 's.jsuser')).toBe(false);
    // A username taken in another county is still taken.
    expect(await code(svc.createUser(keAdmin.ctx, { username: 's.jsuser', displayName: 'x', unitId: h().unit('330802'), roles: ['staff'] }))).toBe('accounts.username_taken');
    // Nobody changes their own roles or disables themselves.
    expect(await code(svc.setUserStatus(keAdmin.ctx, keAdmin.id, 'disabled'))).toBe('accounts.self_change');
  });

  it('lets only a whole-tree security administrator edit roles, and only with known permissions', async () => {
    expect(await code(svc.createRole(keSec.ctx, { code: 'county_role', nameZh: '县角色', nameEn: 'County role', permissions: ['orgs.read'] }))).toBe('accounts.roles_scope');
    expect(await code(svc.createRole(cityAdmin.ctx, { code: 'by_sys', nameZh: 'x', nameEn: 'x', permissions: [] }))).toBe('forbidden');
    expect(await code(svc.createRole(sec.ctx, { code: 'bad_perm', nameZh: 'x', nameEn: 'x', permissions: ['orgs.fly'] }))).toBe('accounts.unknown_permission');
    const r = await svc.createRole(sec.ctx, { code: 'org_clerk', nameZh: '组织维护员', nameEn: 'Org clerk', permissions: ['orgs.read', 'orgs.write'] });
    expect(r.adminKind).toBeNull();
    const u = await svc.createUser(cityAdmin.ctx, { username: 's.clerk', displayName: 'x', unitId: h().unit('330800'), roles: ['org_clerk'] });
    expect(await code(svc.deleteRole(sec.ctx, r.id))).toBe('accounts.role_in_use');
    const sysRole = (await svc.listRoles(sec.ctx)).find((x) => x.code === 'sys_admin')!;
    expect(await code(svc.deleteRole(sec.ctx, sysRole.id))).toBe('accounts.role_builtin');
    await svc.updateUser(cityAdmin.ctx, u.user.id, { version: u.user.version, roles: ['staff'] });
    await svc.deleteRole(sec.ctx, r.id);
    expect(Object.keys(permissionCatalog).length).toBe(svc.listPermissions(sec.ctx).length);
  });

  it('stores permissions a new domain introduces only once, keeping the security administrator’s edits', async () => {
    const roles = await svc.listRoles(sec.ctx);
    const leader = roles.find((r) => r.code === 'leader')!;
    await svc.updateRole(sec.ctx, leader.id, { version: leader.version, permissions: [] });
    await svc.syncBuiltinRoles(h().deps);
    expect((await svc.listRoles(sec.ctx)).find((r) => r.code === 'leader')!.permissions).toEqual([]);
    // as the schema owner: the application role may not forget permissions
    await sql`delete from known_permission where code = 'orgs.read'`.execute(h().deps.db);
    await svc.syncBuiltinRoles(h().deps);
    expect((await svc.listRoles(sec.ctx)).find((r) => r.code === 'leader')!.permissions).toEqual(['orgs.read']);
  });
});

it('password rules: accepted iff ≥ 10 characters, 3 of 4 classes, not common, no guessable words (property)', () => {
  const classes = (s: string) => [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length;
  fc.assert(
    fc.property(fc.string({ minLength: 0, maxLength: 40, unit: fc.constantFrom(...'aZ9#xQ2!m Y'.split('')) }), (s) => {
      const problems = passwordShapeProblems(s);
      const expectOk = [...s].length >= PASSWORD_MIN && classes(s) >= 3 && s === s.trim() && !/admin|boai/i.test(s);
      expect(problems.length === 0).toBe(expectOk);
    }),
    { numRuns: 500, seed: 11 },
  );
  expect(passwordProblems('Qwertyuiop1')).toEqual(['common']);
  expect(passwordProblems('Hszh-2026-quzhou', ['someone'])).toContain('context');
  expect(passwordProblems('Zhang-San-2026!', ['zhang-san'])).toContain('context');
  expect(passwordProblems('Lanterns-over-Qu-river-7')).toEqual([]);
});
