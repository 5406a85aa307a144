import fs from 'node:fs';
import path from 'node:path';
import { builtinRoleDefinitions } from '../../domains/catalog.ts';
import { generateOneTimePassword } from '../../domains/accounts/server/accounts.passwords.ts';
import { createAccountWithPassword } from '../../domains/accounts/server/accounts.service.ts';
import { importTree, listUnits, type TreeNode } from '../../domains/orgs/server/orgs.service.ts';
import { systemCtx, type Deps } from '../../platform/context.ts';
import { QUZHOU_CITY, QUZHOU_COUNTIES } from './quzhou.ts';
import { insertPrepared, preparePerson, type NewPersonRow } from '../../domains/people/server/people.service.ts';
import { syntheticPeople } from './people-generator.ts';

/**
 * Demo data for the sandbox. Everything here is invented and marked so: village-level units are
 * flagged `synthetic` (their real codes are not public), and the accounts exist only where the
 * embedded database runs with demo data.
 */
const VILLAGE_NAMES = ['光明', '和平', '团结', '幸福', '前进', '红星', '永丰', '东升', '新华', '长青', '建设', '胜利', '兴旺', '丰收', '民主', '同心', '石桥', '溪口', '上塘', '下宅'];

export function syntheticVillages(townships: { id: string; name: string; kind: string }[]): TreeNode[] {
  const nodes: TreeNode[] = [];
  townships.forEach((t, ti) => {
    const count = 3 + (ti % 4); // 3–6 per township, about 450 in all
    for (let i = 0; i < count; i++) {
      const base = VILLAGE_NAMES[(ti * 7 + i) % VILLAGE_NAMES.length]!;
      const kind = t.kind === 'street' ? 'community' : i === 0 ? 'community' : 'village';
      nodes.push({ key: `${t.id}/${i}`, parentKey: t.id, code: null, name: `${base}${kind === 'community' ? '社区' : '村'}`, kind, synthetic: true, sortOrder: i });
    }
  });
  return nodes;
}

export type DemoAccount = { username: string; password: string; role: string; unit: string };

/** The units that get one demo account per role: the city and two counties. */
export const DEMO_UNITS = [
  { code: QUZHOU_CITY.code, slug: QUZHOU_CITY.slug, name: QUZHOU_CITY.name },
  ...QUZHOU_COUNTIES.filter((c) => c.code === '330802' || c.code === '330881').map((c) => ({ code: c.code, slug: c.slug, name: c.name })),
];

export async function loadDemoData(deps: Deps, ids: Map<string, string>): Promise<DemoAccount[]> {
  const ctx = systemCtx(deps);
  const townships: { id: string; name: string; kind: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUnits(ctx, { limit: 200, cursor, maxDepth: 2 });
    townships.push(...page.items.filter((u) => u.kind === 'township' || u.kind === 'street'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const villages = syntheticVillages(townships);
  await importTree(ctx, villages, { source: 'demo: synthetic villages and communities' });
  await loadDemoPeople(deps, ids, 3000);
  const accounts: DemoAccount[] = [];
  for (const unit of DEMO_UNITS) {
    const unitId = ids.get(unit.code)!;
    for (const role of builtinRoleDefinitions) {
      const username = `${unit.slug}.${role.code}`;
      const password = generateOneTimePassword();
      await createAccountWithPassword(deps, { username, displayName: `${unit.name}${role.zh}（演示）`, unitId, roles: [role.code], password });
      accounts.push({ username, password, role: role.code, unit: unit.code });
    }
  }
  return accounts;
}

export function writeDemoAccounts(dataDir: string, accounts: DemoAccount[]) {
  const file = path.join(dataDir, 'demo-accounts.json');
  fs.writeFileSync(file, JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** Synthetic people registered by the counties whose area codes their ID numbers carry. */
export async function loadDemoPeople(deps: Deps, ids: Map<string, string>, count: number) {
  const ctx = systemCtx(deps);
  const now = deps.clock.now();
  const rows: NewPersonRow[] = [];
  for (const p of syntheticPeople(count, { seed: 14 })) {
    const unitId = ids.get(p.regionCode) ?? ids.get(QUZHOU_CITY.code)!;
    rows.push(preparePerson(ctx, { name: p.name, idType: 'resident_id', idNumber: p.idNumber, mobile: p.mobile, address: p.address, notes: '演示数据（虚构）' }, unitId, now));
  }
  await ctx.run(async () => {
    for (let i = 0; i < rows.length; i += 1000) await insertPrepared(ctx, rows.slice(i, i + 1000));
  });
}
