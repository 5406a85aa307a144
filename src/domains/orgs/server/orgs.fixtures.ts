import type { AuthzFixtures } from '../../../../tests/support/authz.ts';

export const authzFixtures: AuthzFixtures = {
  'GET /api/orgs': (w) => ({ kind: 'no-leak', query: { parentId: w.countyId }, secrets: [w.countyId, w.townshipId, '双塔街道'] }),
  'GET /api/orgs/:id': (w) => ({ kind: 'foreign', params: { id: w.townshipId }, secrets: [w.townshipId, '双塔街道'] }),
  'POST /api/orgs': (w) => ({ kind: 'foreign', body: { parentId: w.townshipId, name: '越权社区', kind: 'community' }, secrets: [w.townshipId] }),
  'PATCH /api/orgs/:id': (w) => ({ kind: 'foreign', params: { id: w.townshipId }, body: { version: 1, name: '越权改名' }, secrets: ['双塔街道'] }),
  'DELETE /api/orgs/:id': (w) => ({ kind: 'foreign', params: { id: w.townshipId }, secrets: ['双塔街道'] }),
  'GET /api/orgs/:id/populations': (w) => ({ kind: 'foreign', params: { id: w.countyId }, secrets: ['610000', '610800'] }),
  'PUT /api/orgs/:id/populations': (w) => ({ kind: 'foreign', params: { id: w.countyId }, body: { year: 2030, kind: 'resident', value: 1, source: 'x' }, secrets: ['610000'] }),
  'DELETE /api/orgs/:id/populations/:year/:kind': (w) => ({ kind: 'foreign', params: { id: w.countyId, year: '2020', kind: 'registered' }, secrets: ['610000'] }),
};
