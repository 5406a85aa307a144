import { registerAttachmentOwner } from '../../attachments/server/attachments.service.ts';
import { donationUnit } from './donations.service.ts';

/** Donation letters and agreements (定向 gifts need one), receipt scans. */
export function registerDonationAttachments() {
  registerAttachmentOwner({ ownerType: 'donation', readPermission: 'donations.read', writePermission: 'donations.write', unitOf: donationUnit });
}
