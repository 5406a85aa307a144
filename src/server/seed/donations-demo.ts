import { systemCtx, type Deps } from '../../platform/context.ts';
import { confirmDonation, createDonation, createDonor } from '../../domains/donations/server/donations.service.ts';
import { listProjects } from '../../domains/projects/server/projects.service.ts';
import { CHANNELS } from '../../domains/donations/donations.contract.ts';

/**
 * Invented gifts for the demo (2026): organisations and anonymous donors giving to the city and two
 * counties, some designated to the plan's recommended projects, all confirmed with a receipt or a
 * recorded waiver. Seeded, so every demo shows the same. Never loaded outside the demo.
 */
const ORGS = ['衢州某建设集团有限公司', '柯城区某商贸有限公司', '江山某木业有限公司', '衢州某银行分行', '某爱心商会', '衢州某医药连锁有限公司'];

export async function loadDemoDonations(deps: Deps, ids: Map<string, string>) {
  const ctx = systemCtx(deps);
  let s = 2026;
  const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const projects = (await listProjects(ctx, { limit: 50, sort: 'code', status: 'fundraising' })).items;
  const units = ['330800', '330802', '330881'].map((c) => ids.get(c)!);
  const donors = new Map<string, string[]>();
  for (const unitId of units) {
    const list: string[] = [];
    for (const name of ORGS.slice(0, 4)) list.push((await createDonor(ctx, { kind: 'organisation', orgName: name, publicConsent: r() < 0.7, unitId })).id);
    list.push((await createDonor(ctx, { kind: 'anonymous', publicConsent: false, unitId })).id);
    donors.set(unitId, list);
  }
  let n = 0;
  for (let i = 0; i < 36; i++) {
    const unitId = units[i % units.length]!;
    const list = donors.get(unitId)!;
    const donorIdx = Math.floor(r() * list.length);
    const anonymous = donorIdx === list.length - 1;
    const toProject = unitId === units[0] && r() < 0.5 && projects.length > 0;
    const month = 1 + Math.floor(r() * 10);
    const day = 1 + Math.floor(r() * 27);
    const d = await createDonation(ctx, {
      donorId: list[donorIdx]!,
      receivedOn: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      channel: CHANNELS[Math.floor(r() * 5)]!,
      amountFen: Math.round((500 + r() * 50_000)) * 100,
      designation: toProject ? 'project' : 'unrestricted',
      projectId: toProject ? projects[Math.floor(r() * projects.length)]!.id : undefined,
      receiptNo: anonymous ? undefined : `浙财捐 ${2026}${String(100_000 + i)}`,
      receiptWaiver: anonymous ? 'anonymous' : undefined,
      note: '演示数据（虚构）',
      unitId,
    });
    await confirmDonation(ctx, d.id, { version: d.version });
    n++;
  }
  return n;
}
