import { registerAttachmentOwner } from '../../attachments/server/attachments.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import * as repo from './people.repository.ts';

/**
 * Evidence on a person (consent forms, scanned documents), visible to whoever can see the person.
 * A file added by a unit that sees the person through a link belongs to that unit.
 */
export function registerPeopleAttachments() {
  registerAttachmentOwner({
    ownerType: 'person',
    readPermission: 'people.read',
    writePermission: 'people.write',
    async unitOf(ctx, ownerId) {
      const row = await ctx.run((trx) => repo.getPerson(trx, ownerId));
      if (!row || row.merged_into) return null;
      if (await unitBrief(ctx, row.org_unit_id)) return row.org_unit_id;
      return ctx.actor.unitId;
    },
  });
}
