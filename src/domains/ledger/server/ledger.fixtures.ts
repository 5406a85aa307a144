import type { AuthzFixtures } from '../../../../tests/support/authz.ts';

/** The ledger is one public log for the whole installation: signing is not about any county's records. */
export const authzFixtures: AuthzFixtures = {
  'POST /api/ledger/checkpoint/sign': () => ({ kind: 'not-jurisdictional', reason: 'signs the one public log of the installation; it reads and writes no county’s records' }),
};
