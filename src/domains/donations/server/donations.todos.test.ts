import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { todosFor } from '../../../platform/todos.ts';
import * as svc from './donations.service.ts';
import { registerDonationTodos } from './donations.todos.ts';

describeDb('donations to-dos on the home page', (h) => {
  let maker: TestUser;
  let checker: TestUser;
  let leader: TestUser;
  let foreign: TestUser;
  beforeAll(async () => {
    registerDonationTodos();
    maker = await h().createUser({ username: 'todo.maker', unit: '330824', roles: ['staff'] });
    checker = await h().createUser({ username: 'todo.checker', unit: '330824', roles: ['staff'] });
    leader = await h().createUser({ username: 'todo.leader', unit: '330824', roles: ['leader'] });
    foreign = await h().createUser({ username: 'todo.foreign', unit: '330825', roles: ['staff'] });
  });
  const byKey = async (u: TestUser) => new Map((await todosFor(u.ctx)).map((i) => [i.key, i]));

  it('tells each user what waits for them, in their own jurisdiction, never their own disbursement to approve', async () => {
    const donor = await svc.createDonor(maker.ctx, { kind: 'organisation', orgName: '开化某企业', publicConsent: true });
    // Received 5月6日, confirmed; with 7 working days (5月9日 is a 调休 working day) it was due 5月14日 — overdue on 6月1日 (the test clock).
    const old = await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-05-06', channel: 'bank_transfer', amountFen: 80_000, designation: 'unrestricted', receiptNo: 'KH-1' });
    await svc.confirmDonation(maker.ctx, old.id, { version: old.version });
    // Received 5月29日: due 6月9日, not overdue yet.
    const recent = await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-05-29', channel: 'bank_transfer', amountFen: 10_000, designation: 'unrestricted', receiptNo: 'KH-2' });
    await svc.confirmDonation(maker.ctx, recent.id, { version: recent.version });
    await svc.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-05-30', channel: 'cash', amountFen: 5_000, designation: 'unrestricted' });
    const fundId = (await svc.listFunds(maker.ctx)).find((f) => f.kind === 'unrestricted')!.id;
    await svc.submitDisbursement(maker.ctx, { fundId, category: 'aid', beneficiaryKind: 'organisation', orgName: '某村委会', amountFen: 20_000, paidOn: '2026-05-31', paidFrom: 'bank', purpose: '救灾' });

    const mine = await byKey(maker);
    expect(mine.has('donations.approve')).toBe(false);
    expect(mine.get('donations.confirm')).toMatchObject({ count: 1, path: '/donations?status=draft' });
    expect(mine.get('donations.disclosure_overdue')).toMatchObject({ count: 1, severity: 'urgent', label: '1 笔捐赠超过 7 个工作日未公示' });
    const theirs = await byKey(checker);
    expect(theirs.get('donations.approve')).toMatchObject({ count: 1, label: '1 笔拨付待您审批', path: '/donations/disbursements' });
    // The leader approves but does not record gifts; another county sees none of it.
    expect([...(await byKey(leader)).keys()]).toEqual(['donations.approve']);
    expect((await todosFor(foreign.ctx)).filter((i) => i.domain === 'donations')).toEqual([]);
    // Urgent first.
    expect((await todosFor(maker.ctx))[0]!.severity).toBe('urgent');

    const a = new Agent((await h().app()).app);
    expect((await a.login(checker.username, TEST_PASSWORD)).statusCode).toBe(200);
    const res = await a.request({ method: 'GET', url: '/api/todos', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.find((i: { key: string }) => i.key === 'donations.approve').label).toMatch(/await your approval|待您审批/);
  });
});
