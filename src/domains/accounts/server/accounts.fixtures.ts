import type { AuthzFixtures } from '../../../../tests/support/authz.ts';

const self = (what: string) => () => ({ kind: 'not-jurisdictional' as const, reason: `self-service: ${what} acts on the caller's own account only` });
const globalRoles = () => ({ kind: 'not-jurisdictional' as const, reason: 'roles and the permission catalogue are one list for the whole installation; writes need a whole-tree scope (tested in accounts.service.test.ts)' });

export const authzFixtures: AuthzFixtures = {
  'POST /api/auth/logout': self('logout'),
  'GET /api/auth/me': self('me'),
  'GET /api/todos': self('the caller’s own to-do counts, computed under their jurisdiction (accounts todos test)'),
  'POST /api/auth/password': self('password change'),
  'POST /api/auth/totp/setup': self('TOTP setup'),
  'POST /api/auth/totp/confirm': self('TOTP confirmation'),
  'POST /api/auth/totp/remove': self('TOTP removal'),
  'PUT /api/auth/language': self('language'),
  'GET /api/users': (w) => ({ kind: 'no-leak', query: { unitId: w.countyId }, secrets: [w.user.id, w.user.username] }),
  'GET /api/users/:id': (w) => ({ kind: 'foreign', params: { id: w.user.id }, secrets: [w.user.username] }),
  'POST /api/users': (w) => ({ kind: 'foreign', body: { username: 'cross.county', displayName: '越权', unitId: w.townshipId, roles: ['staff'] }, secrets: [w.townshipId] }),
  'PATCH /api/users/:id': (w) => ({ kind: 'foreign', params: { id: w.user.id }, body: { version: 1, displayName: '越权改名' }, secrets: [w.user.username] }),
  'POST /api/users/:id/disable': (w) => ({ kind: 'foreign', params: { id: w.user.id }, secrets: [w.user.username] }),
  'POST /api/users/:id/enable': (w) => ({ kind: 'foreign', params: { id: w.user.id }, secrets: [w.user.username] }),
  'POST /api/users/:id/reset-password': (w) => ({ kind: 'foreign', params: { id: w.user.id }, secrets: [w.user.username] }),
  'POST /api/users/:id/unlock': (w) => ({ kind: 'foreign', params: { id: w.user.id }, secrets: [w.user.username] }),
  'GET /api/roles': globalRoles,
  'GET /api/permissions': globalRoles,
  'POST /api/roles': globalRoles,
  'PATCH /api/roles/:id': globalRoles,
  'DELETE /api/roles/:id': globalRoles,
};
