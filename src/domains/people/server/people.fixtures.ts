import type { AuthzFixtures } from '../../../../tests/support/authz.ts';
import { createPerson } from './people.service.ts';

const FOREIGN_ID = '330881199203150025';
let foreignId: string | undefined;

/** A person registered by 江山市, created once per world. */
async function foreignPerson(w: Parameters<AuthzFixtures[string]>[0]) {
  foreignId ??= (await createPerson(w.user.ctx, { name: '江山测试人', idType: 'resident_id', idNumber: FOREIGN_ID, mobile: '13905701234' })).id;
  return foreignId;
}
const secrets = ['江山测试人', FOREIGN_ID, '13905701234', '1992-03-15', '0570****'];

export const authzFixtures: AuthzFixtures = {
  'GET /api/people': async (w) => ({ kind: 'no-leak', query: { q: '江山测试' }, secrets: [...secrets, await foreignPerson(w)] }),
  'POST /api/people/lookup': async (w) => ({ kind: 'no-leak', body: { idType: 'resident_id', idNumber: FOREIGN_ID }, secrets: [...secrets, await foreignPerson(w)] }),
  'GET /api/people/export': async (w) => ({ kind: 'no-leak', secrets: [...secrets, await foreignPerson(w)] }),
  'GET /api/people/:id': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w) }, secrets }),
  'POST /api/people': (w) => ({ kind: 'foreign', body: { name: '越权登记', idType: 'passport', idNumber: 'E12345678', unitId: w.townshipId }, secrets: [w.townshipId] }),
  'POST /api/people/link': () => ({
    kind: 'not-jurisdictional',
    reason: 'links a person to the CALLER’s own unit and only with the full document number in hand (tested in people.service.test.ts)',
  }),
  'PATCH /api/people/:id': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w) }, body: { version: 1, notes: '越权' }, secrets }),
  'POST /api/people/:id/unmask': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w) }, body: { fields: ['idNumber', 'mobile'], reason: '越权查看' }, secrets }),
  'POST /api/people/:id/consents': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w) }, body: { purpose: 'registration', scope: 'x' }, secrets }),
  'POST /api/people/:id/consents/:consentId/withdraw': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w), consentId: w.townshipId }, body: { reason: 'x' }, secrets }),
  'POST /api/people/merge': async (w) => ({ kind: 'foreign', body: { keepId: await foreignPerson(w), mergeId: w.user.id, reason: '越权合并' }, secrets }),
  'GET /api/people/:id/data-export': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w) }, secrets }),
  'POST /api/people/:id/erase': async (w) => ({ kind: 'foreign', params: { id: await foreignPerson(w) }, body: { reason: '越权删除' }, secrets }),
};
