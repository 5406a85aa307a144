import type { AuthzFixtures } from '../../../../tests/support/authz.ts';

export const authzFixtures: AuthzFixtures = {
  'GET /api/audit': (w) => ({ kind: 'no-leak', query: { limit: '200' }, secrets: [w.user.username] }),
  'GET /api/audit/export': (w) => ({ kind: 'no-leak', secrets: [w.user.username] }),
  'GET /api/audit/verify': () => ({ kind: 'not-jurisdictional', reason: 'checks the integrity of the whole chain and returns only counts and sequence numbers' }),
};
