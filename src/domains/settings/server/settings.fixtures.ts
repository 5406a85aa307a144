import type { AuthzFixtures } from '../../../../tests/support/authz.ts';

/** Settings are city-wide, not a county's records; changing them needs a whole-tree jurisdiction (settings.test.ts). */
const reason = '全市统一的系统设置，不属于某个县的记录；修改须市级管辖范围（见 settings.test.ts）';

export const authzFixtures: AuthzFixtures = {
  'GET /api/settings/calendar': () => ({ kind: 'not-jurisdictional', reason }),
  'PUT /api/settings/calendar/:day': () => ({ kind: 'not-jurisdictional', reason, params: { day: '2030-01-01' }, body: { kind: 'holiday', name: '越权' } }),
  'DELETE /api/settings/calendar/:day': () => ({ kind: 'not-jurisdictional', reason, params: { day: '2030-01-01' } }),
  'GET /api/settings/business': () => ({ kind: 'not-jurisdictional', reason }),
  'PUT /api/settings/business': () => ({ kind: 'not-jurisdictional', reason, body: { version: 0, managementRatioPercent: 13 } }),
};
