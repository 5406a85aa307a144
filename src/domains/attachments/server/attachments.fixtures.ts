import type { AuthzFixtures, ForeignWorld } from '../../../../tests/support/authz.ts';
import { createPerson } from '../../people/server/people.service.ts';
import { addAttachment } from './attachments.service.ts';

let foreign: { personId: string; attachmentId: string } | undefined;

async function world(w: ForeignWorld) {
  if (!foreign) {
    const personId = (await createPerson(w.user.ctx, { name: '江山附件人', idType: 'passport', idNumber: 'J0001111', sex: 'M', birthDate: '1970-07-07' })).id;
    const a = await addAttachment(w.user.ctx, { ownerType: 'person', ownerId: personId, bytes: Buffer.from('%PDF-1.4 江山'), fileName: '江山证明.pdf' });
    foreign = { personId, attachmentId: a.id };
  }
  return foreign;
}

export const authzFixtures: AuthzFixtures = {
  'GET /api/attachments': async (w) => ({ kind: 'foreign', query: { ownerType: 'person', ownerId: (await world(w)).personId }, secrets: ['江山证明'] }),
  'POST /api/attachments': async (w) => ({ kind: 'foreign', query: { ownerType: 'person', ownerId: (await world(w)).personId }, secrets: ['江山证明'] }),
  'GET /api/attachments/:id/content': async (w) => ({ kind: 'foreign', params: { id: (await world(w)).attachmentId }, secrets: ['江山'] }),
  'DELETE /api/attachments/:id': async (w) => ({ kind: 'foreign', params: { id: (await world(w)).attachmentId }, secrets: ['江山证明'] }),
};
