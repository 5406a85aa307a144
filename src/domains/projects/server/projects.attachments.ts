import { registerAttachmentOwner } from '../../attachments/server/attachments.service.ts';
import { projectUnit } from './projects.service.ts';

/** Photos and documents of a project; one image may be chosen as its public image. */
export function registerProjectAttachments() {
  registerAttachmentOwner({ ownerType: 'project', readPermission: 'projects.read', writePermission: 'projects.write', unitOf: projectUnit });
}
