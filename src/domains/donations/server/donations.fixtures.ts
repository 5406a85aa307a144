import type { AuthzFixtures, ForeignWorld } from '../../../../tests/support/authz.ts';
import { createDisclosure } from './donations.disclosure.ts';
import { createProject } from '../../projects/server/projects.service.ts';
import { allocate, confirmDonation, createDonation, createDonor, listFunds, submitDisbursement } from './donations.service.ts';

/** 江山市 has its own donor, a confirmed donation, its funds and a pending disbursement. */
const cache = new WeakMap<ForeignWorld, Promise<{ donorId: string; donationId: string; number: string; fundId: string; disbursementId: string }>>();

function foreign(w: ForeignWorld) {
  let p = cache.get(w);
  if (!p) {
    p = (async () => {
      const donor = await createDonor(w.user.ctx, { kind: 'organisation', orgName: '江山测试捐赠公司', publicConsent: false });
      const d = await createDonation(w.user.ctx, { donorId: donor.id, receivedOn: '2026-03-02', channel: 'bank_transfer', amountFen: 1_234_500, designation: 'unrestricted', purpose: '江山定向说明' });
      await confirmDonation(w.user.ctx, d.id, { version: d.version, receiptNo: 'JS-0001' });
      const fund = (await listFunds(w.user.ctx)).find((f) => f.kind === 'unrestricted')!;
      const project = await createProject(w.user.ctx, { name: '江山分配项目', kind: 'project', category: 'relief', status: 'fundraising', beneficiaryGroups: [], brandProject: false } as never);
      await allocate(w.user.ctx, { projectId: project.id, amountFen: 100, decidedBy: '江山决定会议', decidedOn: '2026-03-04', reason: '江山分配理由' });
      const b = await submitDisbursement(w.user.ctx, { fundId: fund.id, category: 'aid', beneficiaryKind: 'organisation', orgName: '江山受助单位', amountFen: 1000, paidOn: '2026-03-05', paidFrom: 'bank', purpose: '江山拨付用途' });
      return { donorId: donor.id, donationId: d.id, number: d.number, fundId: fund.id, disbursementId: b.id };
    })();
    cache.set(w, p);
  }
  return p;
}
const reports = new WeakMap<ForeignWorld, Promise<string>>();
function foreignReport(w: ForeignWorld) {
  let p = reports.get(w);
  if (!p) {
    p = foreign(w).then(async () => (await createDisclosure(w.user.ctx, { periodStart: '2026-03-01', periodEnd: '2026-03-31' })).id);
    reports.set(w, p);
  }
  return p;
}
const secrets = ['江山分配理由', '江山决定会议', '江山测试捐赠公司', '江山定向说明', '江山受助单位', '江山拨付用途', 'JS-0001'];

export const authzFixtures: AuthzFixtures = {
  'GET /api/donations/donors': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).donorId] }),
  'POST /api/donations/donors': (w) => ({ kind: 'foreign', body: { kind: 'organisation', orgName: '越权单位', unitId: w.countyId }, secrets: [w.countyId] }),
  'GET /api/donations': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).number] }),
  'GET /api/donations/export.xlsx': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).number] }),
  'POST /api/donations': async (w) => ({
    kind: 'foreign',
    body: { donorId: (await foreign(w)).donorId, receivedOn: '2026-03-03', channel: 'cash', amountFen: 100, designation: 'unrestricted' },
    secrets,
  }),
  'GET /api/donations/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).donationId }, secrets }),
  'POST /api/donations/:id/confirm': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).donationId }, body: { version: 2, receiptNo: 'X-1' }, secrets }),
  'POST /api/donations/:id/reverse': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).donationId }, body: { reason: '越权冲销' }, secrets }),
  'GET /api/donations/:id/lookup-code': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).donationId }, secrets }),
  'GET /api/donations/:id/ledger': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).donationId }, secrets }),
  'GET /api/donations/:id/trace': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).donationId }, secrets }),
  'GET /api/donations/funds': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).fundId] }),
  'POST /api/donations/allocations': async (w) => ({
    kind: 'foreign',
    body: { projectId: (await foreign(w)).donationId, amountFen: 100, decidedBy: '越权', decidedOn: '2026-03-04', reason: '越权', unitId: w.countyId },
    secrets: [w.countyId],
  }),
  'GET /api/donations/allocations': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).fundId] }),
  'GET /api/donations/disbursements/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).disbursementId }, secrets }),
  'GET /api/donations/disbursements': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).disbursementId] }),
  'POST /api/donations/disbursements': async (w) => ({
    kind: 'foreign',
    body: { fundId: (await foreign(w)).fundId, beneficiaryKind: 'organisation', orgName: '越权', amountFen: 100, paidOn: '2026-03-05', purpose: '越权' },
    secrets,
  }),
  'GET /api/donations/disclosures': async (w) => ({ kind: 'no-leak', secrets: [...secrets, await foreignReport(w)] }),
  'POST /api/donations/disclosures': (w) => ({ kind: 'foreign', body: { periodStart: '2026-03-01', periodEnd: '2026-03-31', unitId: w.countyId }, secrets: [w.countyId] }),
  'GET /api/donations/disclosures/:id': async (w) => ({ kind: 'foreign', params: { id: await foreignReport(w) }, secrets }),
  'POST /api/donations/disclosures/:id/publish': async (w) => ({ kind: 'foreign', params: { id: await foreignReport(w) }, body: { version: 1 }, secrets }),
  'POST /api/donations/disbursements/:id/decision': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).disbursementId }, body: { version: 1, decision: 'approve' }, secrets }),
};
