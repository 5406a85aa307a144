import type { AuthzFixtures, ForeignWorld } from '../../../../tests/support/authz.ts';
import { createProject } from './projects.service.ts';

/** 江山市 runs its own project; from 柯城区 it must be invisible, unchangeable and absent from lists. */
const cache = new WeakMap<ForeignWorld, Promise<string>>();
const NAME = '江山市越权探测项目';

function foreign(w: ForeignWorld) {
  let p = cache.get(w);
  if (!p) {
    p = createProject(w.user.ctx, { name: NAME, kind: 'project', category: 'relief', status: 'fundraising', goalFen: 123_456, internalNotes: '江山市内部备注' }).then((x) => x.id);
    cache.set(w, p);
  }
  return p;
}
const secrets = [NAME, '江山市内部备注'];

export const authzFixtures: AuthzFixtures = {
  'GET /api/projects': async (w) => ({ kind: 'no-leak', secrets: [...secrets, await foreign(w)] }),
  'GET /api/projects/:id': async (w) => ({ kind: 'foreign', params: { id: await foreign(w) }, secrets }),
  'POST /api/projects': (w) => ({ kind: 'foreign', body: { name: '越权新建', category: 'relief', ownerUnitId: w.countyId }, secrets: [w.countyId] }),
  'PATCH /api/projects/:id': async (w) => ({ kind: 'foreign', params: { id: await foreign(w) }, body: { version: 1, name: '越权改名' }, secrets }),
  'POST /api/projects/:id/close': async (w) => ({ kind: 'foreign', params: { id: await foreign(w) }, body: { version: 1, reason: '越权结束' }, secrets }),
};
