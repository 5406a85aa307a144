import { registerAttachmentOwner } from '../../attachments/server/attachments.service.ts';
import { documentUnit, recipientUnit } from './warehouses.service.ts';

/** Write-off evidence and signed distribution lists on documents; each recipient's signature photo or scan. */
export function registerWarehouseAttachments() {
  registerAttachmentOwner({ ownerType: 'stock_document', readPermission: 'warehouses.read', writePermission: 'warehouses.write', unitOf: documentUnit });
  registerAttachmentOwner({ ownerType: 'distribution_recipient', readPermission: 'warehouses.read', writePermission: 'warehouses.write', unitOf: recipientUnit });
}
