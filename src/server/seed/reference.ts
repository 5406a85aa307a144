import { systemCtx, type Deps } from '../../platform/context.ts';
import { importTree, listPopulations, savePopulation, type TreeNode } from '../../domains/orgs/server/orgs.service.ts';
import { loadQuzhouPlan } from '../../domains/plan/server/plan.reference.ts';
import { loadQuzhouProjects } from '../../domains/projects/server/projects.reference.ts';
import { loadStandardItems } from '../../domains/warehouses/server/warehouses.reference.ts';
import { QUZHOU_CITY, QUZHOU_COUNTIES, QUZHOU_OTHER_UNITS, QUZHOU_POPULATIONS } from './quzhou.ts';

/** The real org tree of Quzhou (city, 市本级, six counties, two function zones, 100 townships) and the plan's populations. */
export function quzhouTree(): TreeNode[] {
  const nodes: TreeNode[] = [{ key: QUZHOU_CITY.code, parentKey: null, code: QUZHOU_CITY.code, name: QUZHOU_CITY.name, kind: 'city' }];
  QUZHOU_OTHER_UNITS.filter((u) => u.kind === 'city_direct').forEach((u, i) =>
    nodes.push({ key: u.slug, parentKey: QUZHOU_CITY.code, code: null, name: u.name, kind: u.kind, sortOrder: i }),
  );
  QUZHOU_COUNTIES.forEach((c, ci) => {
    nodes.push({ key: c.code, parentKey: QUZHOU_CITY.code, code: c.code, name: c.name, kind: 'county', sortOrder: 10 + ci });
    let order = 0;
    for (const s of c.streets) nodes.push({ key: `${c.code}/${s}`, parentKey: c.code, code: null, name: `${s}街道`, kind: 'street', sortOrder: order++ });
    for (const s of c.towns) nodes.push({ key: `${c.code}/${s}`, parentKey: c.code, code: null, name: `${s}镇`, kind: 'township', sortOrder: order++ });
    for (const s of c.xiang) nodes.push({ key: `${c.code}/${s}`, parentKey: c.code, code: null, name: `${s}乡`, kind: 'township', sortOrder: order++ });
  });
  QUZHOU_OTHER_UNITS.filter((u) => u.kind === 'function_zone').forEach((u, i) =>
    nodes.push({ key: u.slug, parentKey: QUZHOU_CITY.code, code: null, name: u.name, kind: u.kind, sortOrder: 20 + i }),
  );
  return nodes;
}

/** Loads the reference data when the tree is empty. Returns the id of the root unit and each node by key. */
export async function loadReferenceData(deps: Deps) {
  const ctx = systemCtx(deps);
  const ids = await importTree(ctx, quzhouTree(), { source: 'Quzhou reference data (GB/T 2260, 统计用区划代码 2022)' });
  for (const p of QUZHOU_POPULATIONS) {
    const unitId = ids.get(p.code);
    if (!unitId) continue;
    const existing = (await listPopulations(ctx, unitId)).some((e) => e.year === p.year && e.kind === p.kind);
    if (!existing) await savePopulation(ctx, unitId, { year: p.year, kind: p.kind, value: p.value, source: p.source, note: p.note ?? null });
  }
  const planId = await loadQuzhouPlan(ctx, ids);
  await loadQuzhouProjects(ctx, ids);
  await loadStandardItems(ctx, ids.get(QUZHOU_CITY.code)!);
  return { rootId: ids.get(QUZHOU_CITY.code)!, ids, planId };
}
