import { registerAttachmentOwner } from '../../attachments/server/attachments.service.ts';
import { actualEntryUnit, evaluationFrozen, evaluationUnit } from './plan.service.ts';

/** Evidence behind a hand-entered figure, and behind an evaluation (frozen with it once published). */
export function registerPlanAttachments() {
  registerAttachmentOwner({ ownerType: 'plan_actual', readPermission: 'plan.read', writePermission: 'plan.actuals', unitOf: actualEntryUnit });
  registerAttachmentOwner({ ownerType: 'plan_evaluation', readPermission: 'plan.read', writePermission: 'plan.report', unitOf: evaluationUnit, frozen: evaluationFrozen });
}
