import type { AuthzFixtures, ForeignWorld } from '../../../../tests/support/authz.ts';
import { createBulletin, createEvaluation, createPlan, listPlans } from './plan.service.ts';

/**
 * The foreign county (江山市) has its own plan, bulletin and evaluation; the city's plan is read by
 * every county but its figures per county are not: progress and tables aimed at 江山市 from 柯城区
 * must fail.
 */
type World = ForeignWorld;
const cache = new WeakMap<World, Promise<{ planId: string; cityPlanId: string; bulletinId: string; evaluationId: string }>>();

function foreign(w: World) {
  let p = cache.get(w);
  if (!p) {
    p = (async () => {
      const plan = await createPlan(w.user.ctx, { name: '江山市红十字专项规划', periodStart: 2021, periodEnd: 2025, baseYear: 2020 });
      const cityPlanId = (await listPlans(w.h.system)).find((x) => x.name.includes('十四五'))!.id;
      const bulletin = await createBulletin(w.user.ctx, cityPlanId, { periodKind: 'quarter', year: 2024, part: 2, remarks: '江山市季度说明' });
      const evaluation = await createEvaluation(w.user.ctx, cityPlanId, { kind: 'adhoc', title: '江山市专项评估', asOf: '2024-06-30' });
      return { planId: plan.id, cityPlanId, bulletinId: bulletin.id, evaluationId: evaluation.id };
    })();
    cache.set(w, p);
  }
  return p;
}
const secrets = ['江山市红十字专项规划', '江山市季度说明', '江山市专项评估'];

export const authzFixtures: AuthzFixtures = {
  'GET /api/plan/plans': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).planId] }),
  'POST /api/plan/plans': (w) => ({ kind: 'foreign', body: { name: '越权规划', periodStart: 2021, periodEnd: 2025, baseYear: 2020, ownerUnitId: w.countyId }, secrets: [w.countyId] }),
  'POST /api/plan/plans/import': () => ({ kind: 'not-jurisdictional', reason: 'an imported plan always belongs to the caller’s own unit (plan.service createPlan), tested in plan.test.ts' }),
  'GET /api/plan/plans/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId }, secrets }),
  'PATCH /api/plan/plans/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId }, body: { version: 1, name: '越权改名' }, secrets }),
  'GET /api/plan/plans/:id/export.xlsx': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId }, secrets }),
  'POST /api/plan/plans/:id/indicators': async (w) => ({
    kind: 'foreign',
    params: { id: (await foreign(w)).planId },
    body: { code: 'x_rate', nameZh: '越权', nameEn: 'x', category: 'secondary', unit: '个', numeratorUnit: '个', kind: 'annual', direction: 'at_least', target: 1, targetScope: 'whole', denominator: 'none', scale: 'count', rankTarget: null, sourceDomain: null, responsibleUnitId: null, sortOrder: 1 },
    secrets,
  }),
  'PATCH /api/plan/plans/:id/indicators/:code': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId, code: 'x_rate' }, body: { version: 1, target: 2 }, secrets }),
  'PUT /api/plan/plans/:id/indicators/:code/breakdown': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).cityPlanId, code: 'fundraising_total' }, body: { unitId: w.countyId, years: [{ year: 2021, value: 1 }] }, secrets: [w.countyId] }),
  'GET /api/plan/plans/:id/indicators/:code/table': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).cityPlanId, code: 'aed_density' }, query: { unit: '330881' }, secrets: ['江山市', w.countyId] }),
  'PUT /api/plan/plans/:id/targets': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).cityPlanId }, body: { indicatorCode: 'aed_density', unitId: w.countyId, year: null, basis: 'count', value: 1 }, secrets: [w.countyId] }),
  'DELETE /api/plan/plans/:id/targets/:targetId': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId, targetId: w.countyId }, secrets }),
  'GET /api/plan/plans/:id/warnings': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId }, secrets }),
  'GET /api/plan/plans/:id/progress': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).cityPlanId }, query: { unit: '330881' }, secrets: ['江山市', w.countyId] }),
  'GET /api/plan/plans/:id/actuals': async (w) => ({ kind: 'no-leak', params: { id: (await foreign(w)).cityPlanId }, query: { unitId: w.countyId }, secrets: ['江山市'] }),
  'POST /api/plan/plans/:id/actuals': async (w) => ({
    kind: 'foreign',
    params: { id: (await foreign(w)).cityPlanId },
    body: { indicatorCode: 'aed_density', unitId: w.countyId, year: 2022, numerator: 10, sourceDocument: '越权填报' },
    secrets: [w.countyId],
  }),
  'GET /api/plan/plans/:id/bulletins': async (w) => ({ kind: 'no-leak', params: { id: (await foreign(w)).cityPlanId }, secrets: [...secrets, (await foreign(w)).bulletinId] }),
  'POST /api/plan/plans/:id/bulletins': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).cityPlanId }, body: { periodKind: 'year', year: 2022, part: 1, unitId: w.countyId }, secrets: [w.countyId] }),
  'GET /api/plan/bulletins/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).bulletinId }, secrets }),
  'PATCH /api/plan/bulletins/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).bulletinId }, body: { version: 1, remarks: '越权' }, secrets }),
  'GET /api/plan/bulletins/:id/export.xlsx': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).bulletinId }, secrets }),
  'GET /api/plan/plans/:id/evaluations': async (w) => ({ kind: 'no-leak', params: { id: (await foreign(w)).cityPlanId }, secrets: [...secrets, (await foreign(w)).evaluationId] }),
  'POST /api/plan/plans/:id/evaluations': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId }, body: { kind: 'adhoc' }, secrets }),
  'GET /api/plan/plans/:id/comparison': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).planId }, secrets }),
  'GET /api/plan/evaluations/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).evaluationId }, secrets }),
  'PATCH /api/plan/evaluations/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).evaluationId }, body: { version: 1, narrative: '越权' }, secrets }),
  'DELETE /api/plan/evaluations/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).evaluationId }, secrets }),
  'POST /api/plan/evaluations/:id/publish': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).evaluationId }, body: { version: 1 }, secrets }),
  'GET /api/plan/evaluations/:id/verify': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).evaluationId }, secrets }),
};
