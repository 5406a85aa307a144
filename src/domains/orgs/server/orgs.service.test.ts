import { beforeAll, expect, it } from 'vitest';
import { describeDb, errorCode as code, type TestUser } from '../../../../tests/support/harness.ts';
import * as orgs from './orgs.service.ts';

describeDb('orgs service', (h) => {
  let city: TestUser;
  let kecheng: TestUser;
  let jiangshan: TestUser;
  let reader: TestUser;
  beforeAll(async () => {
    city = await h().createUser({ username: 'org.city', unit: '330800', roles: ['staff'] });
    kecheng = await h().createUser({ username: 'org.kecheng', unit: '330802', roles: ['staff'] });
    jiangshan = await h().createUser({ username: 'org.jiangshan', unit: '330881', roles: ['staff'] });
    reader = await h().createUser({ username: 'org.leader', unit: '330802', roles: ['leader'] });
  });

  it('loads the real tree: city, 市本级, six counties, two function zones, 100 townships', async () => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await orgs.listUnits(city.ctx, { limit: 200, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all.filter((u) => u.kind === 'city').map((u) => u.code)).toEqual(['330800']);
    expect(all.filter((u) => u.kind === 'county').map((u) => u.code).sort()).toEqual(['330802', '330803', '330822', '330824', '330825', '330881']);
    expect(all.filter((u) => u.kind === 'township' || u.kind === 'street')).toHaveLength(100);
    expect(all.filter((u) => u.kind === 'function_zone').map((u) => u.name).sort()).toEqual(['智慧新城', '智造新城']);
    expect(all.filter((u) => u.kind === 'city_direct').map((u) => u.name)).toEqual(['市本级']);
    const kc = await orgs.getUnit(city.ctx, h().unit('330802'));
    expect(kc.childCount).toBe(18);
    expect(kc.populations.find((p) => p.year === 2020 && p.kind === 'registered')?.value).toBe(440_000);
    const cityDetail = await orgs.getUnit(city.ctx, h().unit('330800'));
    expect(cityDetail.populations.find((p) => p.kind === 'census')?.value).toBe(2_276_184);
  });

  it('shows a county user only its own subtree, in lists, details and counts', async () => {
    const page = await orgs.listUnits(kecheng.ctx, { limit: 200 });
    expect(page.items.length).toBe(19); // 柯城区 + 18 townships/streets
    expect(page.items.every((u) => u.id === h().unit('330802') || u.depth >= 2)).toBe(true);
    const roots = await orgs.listUnits(kecheng.ctx, { limit: 10, roots: 'true' });
    expect(roots.items.map((u) => u.code)).toEqual(['330802']);
    expect(await code(orgs.getUnit(kecheng.ctx, h().unit('330881')))).toBe('orgs.not_found');
    expect(await code(orgs.listPopulations(kecheng.ctx, h().unit('330881')))).toBe('orgs.not_found');
    expect((await orgs.getUnit(kecheng.ctx, h().unit('330802'))).ancestors).toEqual([]);
  });

  it('paginates by keyset without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await orgs.listUnits(city.ctx, { limit: 7, cursor });
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = await orgs.listUnits(city.ctx, { limit: 200 });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(all.items.length);
    expect(await code(orgs.listUnits(city.ctx, { limit: 5, cursor: 'not-a-cursor' }))).toBe('validation_failed');
    // Children of one parent come in display order, page after page.
    const kids: { sortOrder: number; name: string }[] = [];
    cursor = undefined;
    do {
      const page = await orgs.listUnits(city.ctx, { limit: 5, parentId: h().unit('330802'), cursor });
      kids.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(kids).toHaveLength(18);
    expect(kids.map((k) => k.sortOrder)).toEqual([...kids.map((k) => k.sortOrder)].sort((a, b) => a - b));
    expect(kids[0]!.name).toBe('信安街道');
  });

  it('creates, edits, moves and deletes units inside the jurisdiction, with audit', async () => {
    const xinan = h().unit('信安街道');
    const c = await orgs.createUnit(kecheng.ctx, { parentId: xinan, name: '测试社区', kind: 'community' });
    expect(c.depth).toBe(3);
    const other = h().unit('双港街道');
    const moved = await orgs.updateUnit(kecheng.ctx, c.id, { version: c.version, parentId: other, name: '测试社区（迁）' });
    expect(moved.parentId).toBe(other);
    expect(moved.version).toBe(2);
    expect(await code(orgs.updateUnit(kecheng.ctx, c.id, { version: 1, name: 'stale' }))).toBe('conflict');
    const child = await orgs.createUnit(kecheng.ctx, { parentId: c.id, name: '网格一', kind: 'other' });
    expect(await code(orgs.updateUnit(kecheng.ctx, c.id, { version: 2, parentId: child.id }))).toBe('orgs.cycle');
    expect(await code(orgs.deleteUnit(kecheng.ctx, c.id))).toBe('orgs.in_use');
    await orgs.deleteUnit(kecheng.ctx, child.id);
    await orgs.deleteUnit(kecheng.ctx, c.id);
    expect(await code(orgs.getUnit(kecheng.ctx, c.id))).toBe('orgs.not_found');
    const trail = await h().system.run((trx) => trx.selectFrom('audit_log').select(['action', 'actor_username']).where('entity_id', 'in', [c.id, child.id]).orderBy('seq').execute());
    expect(trail.map((r) => r.action)).toEqual(['orgs.unit_created', 'orgs.unit_updated', 'orgs.unit_created', 'orgs.unit_deleted', 'orgs.unit_deleted']);
    expect(trail.every((r) => r.actor_username === 'org.kecheng')).toBe(true);
  });

  it('moves a whole subtree, keeping paths and depths consistent', async () => {
    const a = await orgs.createUnit(city.ctx, { parentId: h().unit('330803'), name: '示范学校', kind: 'school' });
    const parent = await orgs.createUnit(city.ctx, { parentId: h().unit('樟潭街道'), name: '临时社区', kind: 'community' });
    const kid = await orgs.createUnit(city.ctx, { parentId: parent.id, name: '临时网格', kind: 'other' });
    await orgs.updateUnit(city.ctx, parent.id, { version: 1, parentId: h().unit('浮石街道') });
    const k = await orgs.getUnit(city.ctx, kid.id);
    expect(k.depth).toBe(4);
    expect(k.ancestors.map((x) => x.name)).toEqual(['衢州市', '衢江区', '浮石街道', '临时社区']);
    await orgs.deleteUnit(city.ctx, a.id);
  });

  it('refuses what the hierarchy, the jurisdiction and the codes forbid', async () => {
    expect(await code(orgs.createUnit(kecheng.ctx, { parentId: h().unit('330881'), name: 'x', kind: 'township' }))).toBe('orgs.parent_not_found');
    expect(await code(orgs.createUnit(kecheng.ctx, { parentId: h().unit('330802'), name: 'x', kind: 'county' }))).toBe('orgs.kind_not_allowed');
    expect(await code(orgs.updateUnit(kecheng.ctx, h().unit('330802'), { version: 1, name: '改名' }))).toBe('orgs.root_protected');
    expect(await code(orgs.deleteUnit(jiangshan.ctx, h().unit('330802')))).toBe('orgs.not_found');
    // Codes are unique everywhere: a county learns a code is taken without seeing who holds it.
    expect(await code(orgs.createUnit(kecheng.ctx, { parentId: h().unit('330802'), name: 'x', kind: 'school', code: '330881' }))).toBe('orgs.code_taken');
    expect(await code(orgs.createUnit(reader.ctx, { parentId: h().unit('330802'), name: 'x', kind: 'school' }))).toBe('forbidden');
  });

  it('keeps populations per unit, year and kind, editable within the jurisdiction', async () => {
    const kc = h().unit('330802');
    const saved = await orgs.savePopulation(kecheng.ctx, kc, { year: 2024, kind: 'resident', value: 540_000, source: '2024 年统计公报' });
    expect(saved.value).toBe(540_000);
    const again = await orgs.savePopulation(kecheng.ctx, kc, { year: 2024, kind: 'resident', value: 541_000, source: '2024 年统计公报（修订）' });
    expect(again.id).toBe(saved.id);
    expect((await orgs.listPopulations(reader.ctx, kc)).filter((p) => p.year === 2024)).toHaveLength(1);
    expect(await code(orgs.savePopulation(kecheng.ctx, h().unit('330881'), { year: 2024, kind: 'resident', value: 1, source: 'x' }))).toBe('orgs.not_found');
    expect(await code(orgs.savePopulation(reader.ctx, kc, { year: 2024, kind: 'resident', value: 1, source: 'x' }))).toBe('forbidden');
    await orgs.deletePopulation(kecheng.ctx, kc, 2024, 'resident');
    expect(await code(orgs.deletePopulation(kecheng.ctx, kc, 2024, 'resident'))).toBe('orgs.population_not_found');
    const trail = await h().system.run((trx) => trx.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity_id', '=', `${kc}/2024/resident`).orderBy('seq').execute());
    expect(trail.map((t) => t.action)).toEqual(['orgs.population_saved', 'orgs.population_saved', 'orgs.population_deleted']);
    expect((trail[1]!.before as { value: number }).value).toBe(540_000);
  });

  it('a failed write leaves neither the change nor its audit row', async () => {
    const before = await h().system.run((trx) => trx.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    await expect(
      kecheng.ctx.run(async () => {
        await orgs.createUnit(kecheng.ctx, { parentId: h().unit('石梁镇'), name: '回滚村', kind: 'village' });
        throw new Error('boom after the write');
      }),
    ).rejects.toThrow('boom');
    const after = await h().system.run((trx) => trx.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await orgs.listUnits(city.ctx, { limit: 10, q: '回滚村' })).items).toHaveLength(0);
  });
});
