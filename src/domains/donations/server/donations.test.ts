import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { addAttachment } from '../../attachments/server/attachments.service.ts';
import { closeProject, createProject, getProject } from '../../projects/server/projects.service.ts';
import * as plan from '../../plan/server/plan.service.ts';
import { registerDonationAttachments } from './donations.attachments.ts';
import { registerDonationIndicators, registerProjectRaised } from './donations.indicators.ts';
import * as svc from './donations.service.ts';
import * as pub from './donations.disclosure.ts';
import { createPerson } from '../../people/server/people.service.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describeDb('donations', (h) => {
  let maker: TestUser;
  let approver: TestUser;
  beforeAll(async () => {
    registerDonationAttachments();
    registerDonationIndicators();
    registerProjectRaised();
    maker = await h().createUser({ username: 'don.maker', unit: '330802', roles: ['staff'] });
    approver = await h().createUser({ username: 'don.approver', unit: '330802', roles: ['staff'] });
  });

  async function project(user: TestUser, name: string) {
    return createProject(user.ctx, { name, kind: 'project', category: 'relief', status: 'fundraising', goalFen: 10_000_000, beneficiaryGroups: [], brandProject: false } as never);
  }
  async function orgDonor(user: TestUser, name: string, publicConsent = true) {
    return svc.createDonor(user.ctx, { kind: 'organisation', orgName: name, publicConsent });
  }
  /** Every entry balances, and every fund's kept balance is the sum of its journal lines. */
  async function journalBalanced() {
    const r = await sql<{ bad: number; drift: number }>`select
      (select count(*)::int from (select entry_id from journal_line group by entry_id having sum(amount_fen) <> 0) x) as bad,
      (select count(*)::int from fund f where f.balance_fen <> coalesce((select sum(l.amount_fen) from journal_line l where l.fund_id = f.id), 0)) as drift`.execute(h().deps.db);
    return r.rows[0]!.bad === 0 && r.rows[0]!.drift === 0;
  }
  const balances = async (user: TestUser) => Object.fromEntries((await svc.listFunds(user.ctx)).map((f) => [f.name, f.balanceFen]));

  it('records, confirms, allocates, disburses with a second approver, and traces each gift first in, first out', async () => {
    const p = await project(maker, '困难家庭助学');
    const company = await orgDonor(maker, '衢州某科技有限公司');
    const free = await svc.createDonation(maker.ctx, { donorId: company.id, receivedOn: '2026-03-01', channel: 'bank_transfer', amountFen: 1_000_000, designation: 'unrestricted' });
    expect(free.number).toMatch(/^JZ-330802-2026-\d{6}$/);
    expect(await code(svc.confirmDonation(maker.ctx, free.id, { version: free.version }))).toBe('donations.receipt_required');
    const c1 = await svc.confirmDonation(maker.ctx, free.id, { version: free.version, receiptNo: '浙财0001' });
    expect(c1.lookupCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(await code(svc.confirmDonation(maker.ctx, free.id, { version: c1.version, receiptNo: 'again' }))).toBe('donations.already_confirmed');
    const tied = await svc.createDonation(maker.ctx, { donorId: company.id, receivedOn: '2026-03-02', channel: 'wechat_pay', amountFen: 500_000, designation: 'project', projectId: p.id, receiptWaiver: 'declined' });
    await svc.confirmDonation(maker.ctx, tied.id, { version: tied.version });
    expect((await getProject(maker.ctx, p.id)).raisedFen).toBe(500_000);
    expect(await balances(maker)).toMatchObject({ 银行存款: 1_500_000, 非定向资金: 1_000_000 });
    await svc.allocate(maker.ctx, { projectId: p.id, amountFen: 300_000, decidedBy: '2026 年第 3 次会长办公会', decidedOn: '2026-03-05', reason: '助学资金缺口' });
    const fundP = (await svc.listFunds(maker.ctx)).find((f) => f.projectId === p.id)!;
    expect(fundP.balanceFen).toBe(800_000);
    expect(await code(svc.allocate(maker.ctx, { projectId: p.id, amountFen: 800_000, decidedBy: 'x', decidedOn: '2026-03-05', reason: 'x' }))).toBe('donations.insufficient_funds');

    const b = await svc.submitDisbursement(maker.ctx, { fundId: fundP.id, category: 'aid', beneficiaryKind: 'organisation', orgName: '柯城区某小学', amountFen: 600_000, paidOn: '2026-03-10', paidFrom: 'bank', purpose: '资助 30 名学生' });
    expect(await code(svc.decideDisbursement(maker.ctx, b.id, { version: b.version, decision: 'approve' }))).toBe('donations.self_approval');
    await expect(sql`update disbursement set approver_id = maker_id where id = ${b.id}`.execute(h().deps.db)).rejects.toThrow();
    const approved = await svc.decideDisbursement(approver.ctx, b.id, { version: b.version, decision: 'approve' });
    expect(approved.status).toBe('approved');
    expect(await svc.getDisbursement(maker.ctx, b.id)).toMatchObject({ status: 'approved', makerId: maker.id, approverName: approved.approverName });
    expect((await svc.listAllocations(maker.ctx, { projectId: p.id })).map((a) => [a.amountFen, a.decidedBy])).toEqual([[300_000, '2026 年第 3 次会长办公会']]);
    expect(await code(svc.decideDisbursement(approver.ctx, b.id, { version: approved.version, decision: 'approve' }))).toBe('donations.not_pending');
    expect(await code(svc.submitDisbursement(maker.ctx, { fundId: fundP.id, category: 'aid', beneficiaryKind: 'organisation', orgName: 'x', amountFen: 200_001, paidOn: '2026-03-11', purpose: '超支', paidFrom: 'bank' }))).toBe('donations.insufficient_funds');

    // FIFO: the project gift (older slice) is used up first, then 100,000 of the allocated money.
    const tTied = await svc.donationTrace(maker.ctx, tied.id);
    expect(tTied.steps.map((s) => [s.kind, s.amountFen])).toEqual([['receipt', 500_000], ['disbursement', 500_000]]);
    expect([tTied.spentFen, tTied.unspentFen]).toEqual([500_000, 0]);
    const tFree = await svc.donationTrace(maker.ctx, free.id);
    expect(tFree.steps.map((s) => [s.kind, s.amountFen, s.to])).toEqual([
      ['receipt', 1_000_000, '非定向资金'],
      ['allocation', 300_000, '项目：困难家庭助学'],
      ['disbursement', 100_000, '柯城区某小学'],
    ]);
    expect([tFree.spentFen, tFree.unspentFen]).toEqual([100_000, 900_000]);
    expect(await balances(maker)).toMatchObject({ 银行存款: 900_000, 非定向资金: 700_000 });
    expect(await journalBalanced()).toBe(true);

    // The donor's own view by the receipt's code: no login, beneficiaries as the public sees them.
    const pub = await svc.publicTrace(h().deps, c1.lookupCode);
    expect(pub.donation.donorName).toBe('衢州某科技有限公司');
    expect(pub.steps).toHaveLength(3);
    expect(await code(svc.publicTrace(h().deps, 'AAAA-AAAA-AAAA-AAAA'))).toBe('donations.lookup_not_found');
    expect(await svc.donationLookupCode(maker.ctx, free.id)).toBe(c1.lookupCode);
  });

  it('refuses what the law and the donor forbid: closed projects, gifts to a named beneficiary without a letter, reversing used money', async () => {
    const p = await project(maker, '即将结束的项目');
    const donor = await orgDonor(maker, '某商会', false);
    const d = await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-04-01', channel: 'cash', amountFen: 20_000, designation: 'project', projectId: p.id });
    await closeProject(maker.ctx, p.id, { version: p.version, reason: '项目期满' });
    expect(await code(svc.confirmDonation(maker.ctx, d.id, { version: d.version, receiptNo: 'R-2' }))).toBe('projects.closed');
    expect(await code(svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-04-01', channel: 'cash', amountFen: 1, designation: 'project', projectId: p.id }))).toBe('projects.closed');

    const named = await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-04-02', channel: 'alipay', amountFen: 50_000, designation: 'beneficiary', beneficiary: '王某家庭（尿毒症透析）', receiptNo: 'R-3' });
    expect(await code(svc.confirmDonation(maker.ctx, named.id, { version: named.version }))).toBe('donations.letter_required');
    await addAttachment(maker.ctx, { ownerType: 'donation', ownerId: named.id, bytes: PDF, fileName: '捐赠函.pdf' });
    await svc.confirmDonation(maker.ctx, named.id, { version: named.version });
    const designated = (await svc.listFunds(maker.ctx)).find((f) => f.donationId === named.id)!;
    expect(designated).toMatchObject({ kind: 'designated', balanceFen: 50_000 });

    // An untouched gift can be reversed; one already spent cannot.
    const mistake = await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-04-03', channel: 'bank_transfer', amountFen: 7_700, designation: 'unrestricted', receiptWaiver: 'anonymous' });
    await svc.confirmDonation(maker.ctx, mistake.id, { version: mistake.version });
    const before = await balances(maker);
    await svc.reverseDonation(maker.ctx, mistake.id, '重复登记');
    const after = await balances(maker);
    expect(after['银行存款']).toBe(before['银行存款']! - 7_700);
    expect(await code(svc.reverseDonation(maker.ctx, mistake.id, '再次'))).toBe('donations.not_reversible');
    const b = await svc.submitDisbursement(maker.ctx, { fundId: designated.id, category: 'aid', beneficiaryKind: 'organisation', orgName: '某医院', amountFen: 10_000, paidOn: '2026-04-05', paidFrom: 'bank', purpose: '透析费用' });
    await svc.decideDisbursement(approver.ctx, b.id, { version: b.version, decision: 'approve' });
    expect(await code(svc.reverseDonation(maker.ctx, named.id, '误录'))).toBe('donations.reversal_blocked');
    expect(await journalBalanced()).toBe(true);
  });

  it('keeps the journal append-only and balanced in the database itself', async () => {
    const line = await sql<{ id: number; entry_id: string }>`select id, entry_id from journal_line limit 1`.execute(h().deps.db);
    await expect(sql`update journal_line set amount_fen = amount_fen + 1 where id = ${line.rows[0]!.id}`.execute(h().deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from journal_entry where id = ${line.rows[0]!.entry_id}`.execute(h().deps.db)).rejects.toThrow(/append-only/);
    const fund = await sql<{ id: string; org_unit_id: string }>`select id, org_unit_id from fund where kind = 'bank' limit 1`.execute(h().deps.db);
    await expect(
      h().deps.db.transaction().execute(async (trx) => {
        const id = crypto.randomUUID();
        await sql`insert into journal_entry (id, org_unit_id, kind, ref_type, ref_id, occurred_on, memo, created_at) values (${id}, ${fund.rows[0]!.org_unit_id}, 'receipt', 'test', ${id}, '2026-01-01', 'unbalanced', now())`.execute(trx);
        await sql`insert into journal_line (entry_id, org_unit_id, fund_id, amount_fen) values (${id}, ${fund.rows[0]!.org_unit_id}, ${fund.rows[0]!.id}, 100)`.execute(trx);
      }),
    ).rejects.toThrow(/does not balance/);

    // The balance kept on the fund row moves only with the journal: a direct change is refused, a
    // balanced entry that overdraws the bank account is refused at commit and leaves it as it was.
    const bank = fund.rows[0]!;
    const keptBefore = await sql<{ b: string }>`select balance_fen::text as b from fund where id = ${bank.id}`.execute(h().deps.db);
    await expect(sql`update fund set balance_fen = balance_fen + 100 where id = ${bank.id}`.execute(h().deps.db)).rejects.toThrow(/only through the journal/);
    const free = await sql<{ id: string }>`select id from fund where kind = 'unrestricted' and org_unit_id = ${bank.org_unit_id}`.execute(h().deps.db);
    const over = Number(keptBefore.rows[0]!.b) + 1;
    await expect(
      h().deps.db.transaction().execute(async (trx) => {
        const id = crypto.randomUUID();
        await sql`insert into journal_entry (id, org_unit_id, kind, ref_type, ref_id, occurred_on, memo, created_at) values (${id}, ${bank.org_unit_id}, 'disbursement', 'test', ${id}, '2026-01-01', 'overdraw', now())`.execute(trx);
        await sql`insert into journal_line (entry_id, org_unit_id, fund_id, amount_fen) values (${id}, ${bank.org_unit_id}, ${bank.id}, ${-over}), (${id}, ${bank.org_unit_id}, ${free.rows[0]!.id}, ${over})`.execute(trx);
      }),
    ).rejects.toThrow(/below zero/);
    expect((await sql<{ b: string }>`select balance_fen::text as b from fund where id = ${bank.id}`.execute(h().deps.db)).rows[0]!.b).toBe(keptBefore.rows[0]!.b);
    expect(await journalBalanced()).toBe(true);
  });

  it('feeds the plan’s fundraising total from confirmed gifts (万元), replacing hand-entered figures', async () => {
    const city = await h().createUser({ username: 'don.city', unit: '330800', roles: ['staff'] });
    const planId = (await plan.listPlans(city.ctx)).find((x) => x.name.includes('十四五'))!.id;
    await plan.enterActual(city.ctx, planId, { indicatorCode: 'fundraising_total', unitId: h().unit('330802'), year: 2025, numerator: 12, sourceDocument: '手工统计' });
    const donor = await orgDonor(maker, '2025 年捐赠单位');
    const d = await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2025-06-01', channel: 'bank_transfer', amountFen: 2_500_000_00, designation: 'unrestricted', receiptNo: 'R-2025' });
    await svc.confirmDonation(maker.ctx, d.id, { version: d.version });
    const item = (await plan.progress(city.ctx, planId, { year: 2025, unit: '330802' })).items.find((i) => i.code === 'fundraising_total')!;
    expect([item.actual, item.actualSource]).toEqual([250, 'computed']);
  });

  it('matches a simple model after every step: donate, allocate, disburse, reverse (fast-check)', async () => {
    const user = await h().createUser({ username: 'don.model', unit: '330825', roles: ['staff'] });
    const checker = await h().createUser({ username: 'don.model2', unit: '330825', roles: ['staff'] });
    const p = await project(user, '模型项目');
    const donor = await orgDonor(user, '模型捐赠人');
    const model = { bank: 0, free: 0, proj: 0, untouched: [] as { id: string; amount: number; designation: 'free' | 'proj' }[] };
    const cmd = fc.oneof(
      fc.record({ op: fc.constant('donate' as const), amount: fc.integer({ min: 1, max: 100_000 }), toProject: fc.boolean() }),
      fc.record({ op: fc.constant('allocate' as const), amount: fc.integer({ min: 1, max: 150_000 }) }),
      fc.record({ op: fc.constant('disburse' as const), amount: fc.integer({ min: 1, max: 150_000 }) }),
      fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 8 }), async (cmds) => {
        for (const c of cmds) {
          if (c.op === 'donate') {
            const d = await svc.createDonation(user.ctx, { donorId: donor.id, receivedOn: '2026-05-01', channel: 'bank_transfer', amountFen: c.amount, designation: c.toProject ? 'project' : 'unrestricted', projectId: c.toProject ? p.id : undefined, receiptNo: 'M' });
            await svc.confirmDonation(user.ctx, d.id, { version: d.version });
            model.bank += c.amount;
            if (c.toProject) model.proj += c.amount;
            else model.free += c.amount;
            model.untouched.push({ id: d.id, amount: c.amount, designation: c.toProject ? 'proj' : 'free' });
          } else if (c.op === 'allocate') {
            const r = await code(svc.allocate(user.ctx, { projectId: p.id, amountFen: c.amount, decidedBy: 'm', decidedOn: '2026-05-02', reason: 'm' }));
            if (c.amount > model.free) expect(r).toBe('donations.insufficient_funds');
            else {
              expect(r).toBe('ok');
              model.free -= c.amount;
              model.proj += c.amount;
              model.untouched = model.untouched.filter((u) => u.designation !== 'free' || false);
            }
          } else if (c.op === 'disburse') {
            const fundId = (await svc.listFunds(user.ctx)).find((f) => f.projectId === p.id)?.id;
            if (!fundId) continue;
            const sub = svc.submitDisbursement(user.ctx, { fundId, category: 'aid', beneficiaryKind: 'organisation', orgName: 'm', amountFen: c.amount, paidOn: '2026-05-03', paidFrom: 'bank', purpose: 'm' });
            if (c.amount > model.proj) {
              expect(await code(sub)).toBe('donations.insufficient_funds');
              continue;
            }
            const b = await sub;
            await svc.decideDisbursement(checker.ctx, b.id, { version: b.version, decision: 'approve' });
            model.proj -= c.amount;
            model.bank -= c.amount;
            model.untouched = model.untouched.filter((u) => u.designation !== 'proj');
          } else if (model.untouched.length) {
            const u = model.untouched.splice(c.pick % model.untouched.length, 1)[0]!;
            await svc.reverseDonation(user.ctx, u.id, 'm');
            model.bank -= u.amount;
            if (u.designation === 'proj') model.proj -= u.amount;
            else model.free -= u.amount;
          }
          const funds = await svc.listFunds(user.ctx);
          expect(funds.find((f) => f.kind === 'bank')?.balanceFen ?? 0).toBe(model.bank);
          expect(funds.find((f) => f.kind === 'unrestricted')?.balanceFen ?? 0).toBe(model.free);
          expect(funds.find((f) => f.projectId === p.id)?.balanceFen ?? 0).toBe(model.proj);
        }
        expect(await journalBalanced()).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('never overdraws a fund under 200 concurrent approvals', async () => {
    const user = await h().createUser({ username: 'don.race', unit: '330824', roles: ['staff'] });
    const checker = await h().createUser({ username: 'don.race2', unit: '330824', roles: ['staff'] });
    const p = await project(user, '并发项目');
    const donor = await orgDonor(user, '并发捐赠人');
    const d = await svc.createDonation(user.ctx, { donorId: donor.id, receivedOn: '2026-06-01', channel: 'bank_transfer', amountFen: 10_000, designation: 'project', projectId: p.id, receiptNo: 'C' });
    await svc.confirmDonation(user.ctx, d.id, { version: d.version });
    const fundId = (await svc.listFunds(user.ctx)).find((f) => f.projectId === p.id)!.id;
    const submitted = [];
    for (let i = 0; i < 200; i++) submitted.push(await svc.submitDisbursement(user.ctx, { fundId, category: 'aid', beneficiaryKind: 'organisation', orgName: `受助单位${i}`, amountFen: 100, paidOn: '2026-06-02', paidFrom: 'bank', purpose: '并发' }));
    const results = await Promise.allSettled(submitted.map((b) => svc.decideDisbursement(checker.ctx, b.id, { version: b.version, decision: 'approve' })));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as { code?: string }).code);
    expect(ok).toBe(100);
    expect(new Set(refused)).toEqual(new Set(['donations.insufficient_funds']));
    expect((await svc.listFunds(user.ctx)).find((f) => f.id === fundId)!.balanceFen).toBe(0);
    expect((await svc.donationTrace(user.ctx, d.id)).unspentFen).toBe(0);
    expect(await journalBalanced()).toBe(true);
  }, 120_000);

  it('discloses the full lists to the public, named only with consent, and publishes a report only after the gate', async () => {
    const user = await h().createUser({ username: 'don.pub', unit: '330803', roles: ['staff'] });
    const other = await h().createUser({ username: 'don.pub2', unit: '330803', roles: ['staff'] });
    const named = await orgDonor(user, '愿意具名的企业', true);
    const shy = await orgDonor(user, '不愿具名的企业', false);
    const anon = await svc.createDonor(user.ctx, { kind: 'anonymous', publicConsent: true });
    for (const [donor, amount] of [[named, 30_000], [shy, 20_000], [anon, 10_000]] as const) {
      const d = await svc.createDonation(user.ctx, { donorId: donor.id, receivedOn: '2026-02-10', channel: 'bank_transfer', amountFen: amount, designation: 'unrestricted', receiptWaiver: donor.kind === 'anonymous' ? 'anonymous' : undefined, receiptNo: donor.kind === 'anonymous' ? undefined : `Q-${amount}` });
      await svc.confirmDonation(user.ctx, d.id, { version: d.version });
    }
    const person = await createPerson(user.ctx, { name: '王小明', idType: 'passport', idNumber: 'E99887766' });
    const fundId = (await svc.listFunds(user.ctx)).find((f) => f.kind === 'unrestricted')!.id;
    const b = await svc.submitDisbursement(user.ctx, { fundId, category: 'aid', beneficiaryKind: 'person', personId: person.id, amountFen: 15_000, paidOn: '2026-02-20', paidFrom: 'bank', purpose: '大病救助' });
    await svc.decideDisbursement(other.ctx, b.id, { version: b.version, decision: 'approve' });

    const q = { from: '2026-02-01', to: '2026-02-28', unit: '330803', limit: 100 };
    const list = await pub.publicDonations(h().deps, q);
    expect(list.items.map((d) => [d.donorName, d.amountFen])).toEqual(expect.arrayContaining([['愿意具名的企业', 30_000], ['爱心单位', 20_000], ['匿名', 10_000]]));
    expect(JSON.stringify(list)).not.toContain('不愿具名的企业');
    const paid = await pub.publicDisbursements(h().deps, q);
    expect(paid.map((p) => [p.beneficiary, p.amountFen])).toEqual([['王某', 15_000]]);
    expect(JSON.stringify(paid)).not.toContain('王小明');
    const summary = await pub.publicSummary(h().deps, q);
    expect([summary.receivedFen, summary.disbursedFen]).toEqual([60_000, 15_000]);
    expect(summary.byUnit.reduce((s, u) => s + u.receivedFen, 0)).toBe(summary.receivedFen);
    const city = await pub.publicSummary(h().deps, { ...q, unit: '330800' });
    expect(city.byUnit.find((u) => u.unitName === '衢江区')!.receivedFen).toBe(60_000);
    expect(city.byUnit.reduce((s, u) => s + u.receivedFen, 0)).toBe(city.receivedFen);

    const draft = await pub.createDisclosure(user.ctx, { periodStart: '2026-02-01', periodEnd: '2026-02-28' });
    expect(draft.content.checks.filter((c) => c.blocking).every((c) => c.ok)).toBe(true);
    expect(draft.content.checks.find((c) => c.code === 'receipts_overdue')!.items).toHaveLength(3);
    const published = await pub.publishDisclosure(user.ctx, draft.id, draft.version);
    expect(published.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await code(pub.publishDisclosure(user.ctx, draft.id, published.version))).toBe('donations.disclosure_published');
    await expect(sql`update disclosure_report set title = 'x' where id = ${draft.id}`.execute(h().deps.db)).rejects.toThrow(/published disclosure/);
    const again = await pub.createDisclosure(user.ctx, { periodStart: '2026-02-01', periodEnd: '2026-02-28', corrects: draft.id });
    expect(again.content.checks.find((c) => c.code === 'receipts_overdue')!.items).toHaveLength(0);
    expect((await pub.publicDisclosure(h().deps, draft.id)).contentHash).toBe(published.contentHash);

    // A gift that bypassed the journal (written straight into the table) stops the next report.
    const donor = await orgDonor(user, '绕过账务的记录');
    await sql`insert into donation (id, org_unit_id, number, received_on, donor_id, channel, amount_fen, designation, status, receipt_no, lookup_hash, confirmed_at, created_at)
      values (${crypto.randomUUID()}, ${h().unit('330803')}, 'JZ-330803-2026-999999', '2026-02-15', ${donor.id}, 'cash', 999, 'unrestricted', 'confirmed', 'X', ${crypto.randomUUID()}, now(), now())`.execute(h().deps.db);
    const bad = await pub.createDisclosure(user.ctx, { periodStart: '2026-02-01', periodEnd: '2026-02-28', corrects: draft.id });
    expect(bad.content.checks.find((c) => c.code === 'journal_matches_records')!.ok).toBe(false);
    expect(bad.content.checks.find((c) => c.code === 'fund_balances_match_journal')!.ok).toBe(true);
    expect(await code(pub.publishDisclosure(user.ctx, bad.id, bad.version))).toBe('donations.disclosure_blocked');

    // A kept fund balance changed behind the app's back (triggers off) is named by the gate.
    await h().deps.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update fund set balance_fen = balance_fen - 1 where kind = 'bank' and org_unit_id = ${h().unit('330803')}`.execute(trx);
    });
    const drifted = await pub.createDisclosure(user.ctx, { periodStart: '2026-02-01', periodEnd: '2026-02-28', corrects: draft.id });
    const drift = drifted.content.checks.find((c) => c.code === 'fund_balances_match_journal')!;
    expect([drift.ok, drift.blocking, drift.items.map((i) => i.ref)]).toEqual([false, true, ['衢江区 · 银行存款']]);
    await h().deps.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update fund set balance_fen = balance_fen + 1 where kind = 'bank' and org_unit_id = ${h().unit('330803')}`.execute(trx);
    });
  });

  it('over HTTP: money POSTs are idempotent, bad amounts are refused naming the field, the lookup code is never replayed', async () => {
    const { app } = await h().app();
    const a = new Agent(app);
    expect((await a.login('don.maker', TEST_PASSWORD)).statusCode).toBe(200);
    const donor = (await a.post('/api/donations/donors', { kind: 'organisation', orgName: '接口测试单位', creditCode: '91330800MA2DB1234X' })).json();
    expect(donor.error?.details?.[0]?.field).toMatch(/creditCode/);
    const ok = await a.post('/api/donations/donors', { kind: 'organisation', orgName: '接口测试单位' });
    expect(ok.statusCode).toBe(201);
    const body = { donorId: ok.json().id, receivedOn: '2026-07-01', channel: 'bank_transfer', amountFen: 12_345, designation: 'unrestricted', receiptNo: 'HTTP-1' };
    for (const [amountFen, field] of [[0, 'amountFen'], [12.5, 'amountFen'], [-1, 'amountFen']] as const) {
      const bad = await a.post('/api/donations', { ...body, amountFen });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json().error.details)).toContain(field);
    }
    const before = (await svc.listDonations(maker.ctx, { limit: 200 })).items.length;
    const headers = { 'idempotency-key': 'don-http-1' };
    const first = await a.request({ method: 'POST', url: '/api/donations', payload: body, headers });
    const again = await a.request({ method: 'POST', url: '/api/donations', payload: body, headers });
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect((await a.request({ method: 'POST', url: '/api/donations', payload: { ...body, amountFen: 1 }, headers })).statusCode).toBe(422);
    expect((await svc.listDonations(maker.ctx, { limit: 200 })).items.length).toBe(before + 1);
    const confirmHeaders = { 'idempotency-key': 'don-http-confirm' };
    const c1 = await a.request({ method: 'POST', url: `/api/donations/${first.json().id}/confirm`, payload: { version: 1 }, headers: confirmHeaders });
    const c2 = await a.request({ method: 'POST', url: `/api/donations/${first.json().id}/confirm`, payload: { version: 1 }, headers: confirmHeaders });
    expect(c1.json().lookupCode).toMatch(/^[A-Z2-7]{4}-/);
    expect(c2.json().lookupCode).toBeNull();
    const stored = await sql<{ response: unknown }>`select response from idempotency_key where key = 'don-http-confirm'`.execute(h().deps.db);
    expect(JSON.stringify(stored.rows[0]!.response)).not.toContain(c1.json().lookupCode);
    const pubTrace = await new Agent(app).get(`/api/public/donations/trace?code=${c1.json().lookupCode}`);
    expect(pubTrace.statusCode).toBe(200);
    expect(pubTrace.json().donation.amountFen).toBe(12_345);
  });
});
