import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { createPerson } from '../../people/server/people.service.ts';
import { indicatorProvider } from '../../plan/server/plan.providers.ts';
import * as wh from '../../warehouses/server/warehouses.service.ts';
import type { LedgerEntry } from '../../ledger/ledger.contract.ts';
import { checkConservation } from '../../ledger/verify/verifier.ts';
import * as pub from './donations.disclosure.ts';
import { registerDonationIndicators } from './donations.indicators.ts';
import * as svc from './donations.service.ts';

describeDb('goods donations', (h) => {
  let clerk: TestUser;
  let keeper: TestUser;
  let items: Map<string, { id: string; spec: string; name: string }>;
  const item = (name: string, spec: string) => [...items.values()].find((i) => i.name === name && i.spec === spec)!;
  beforeAll(async () => {
    registerDonationIndicators();
    clerk = await h().createUser({ username: 'goods.clerk', unit: '330803', roles: ['staff'] });
    keeper = await h().createUser({ username: 'goods.keeper', unit: '330803', roles: ['staff'] });
    items = new Map((await wh.listItems(clerk.ctx, {})).map((i) => [i.id, { id: i.id, spec: i.spec, name: i.name }]));
  });
  let seq = 0;
  const warehouse = (u: TestUser, name: string) => wh.createWarehouse(u.ctx, { code: `GD-${h().kind}-${++seq}`, name, address: '衢江区某路 8 号', gradeChecks: [], openedOn: '2024-01-01' });
  const donor = (name: string) => svc.createDonor(clerk.ctx, { kind: 'organisation', orgName: name, publicConsent: true });

  it('records goods by catalogue item and specification, receives them into stock on confirmation, and follows them to the recipients', async () => {
    const store = await warehouse(clerk, '衢江区红十字备灾仓库');
    const n95 = item('口罩', 'N95');
    const kn95 = item('口罩', 'KN95');
    const d = await svc.createDonation(clerk.ctx, {
      donorId: (await donor('衢江某医药公司')).id, receivedOn: '2026-05-20', channel: 'other', designation: 'unrestricted', receiptNo: 'QJ-W-1', warehouseId: store.id,
      goods: [
        { itemId: n95.id, quantity: 2000, unitValueFen: 350, expiryDate: '2029-05-01' },
        { itemId: kn95.id, quantity: 500, unitValueFen: 120 },
      ],
    });
    expect(d.amountFen).toBe(0);
    expect(d.goodsValueFen).toBe(2000 * 350 + 500 * 120);
    expect(d.goods.map((l) => [l.spec, l.quantity])).toEqual([['N95', 2000], ['KN95', 500]]);
    expect(d.goodsDocumentId).toBeNull();
    const confirmed = await svc.confirmDonation(clerk.ctx, d.id, { version: d.version });
    expect(confirmed.goodsDocumentId).not.toBeNull();
    // Into stock, N95 and KN95 as different items; no money moved.
    const batches = await sql<{ item_id: string; on_hand: string }>`select item_id, on_hand::text from stock_batch where source_type = 'donation' and source_id = ${d.id} order by on_hand::numeric desc`.execute(h().deps.db);
    expect(batches.rows.map((b) => [b.item_id, Number(b.on_hand)])).toEqual([[n95.id, 2000], [kn95.id, 500]]);
    expect(await sql<{ n: number }>`select count(*)::int as n from journal_entry where ref_id = ${d.id}`.execute(h().deps.db).then((r) => r.rows[0]!.n)).toBe(0);
    // Issued to a distribution: the donation's trace reaches the (masked) recipient.
    const event = await wh.createEvent(keeper.ctx, { name: '衢江区暴雨', kind: 'rainstorm', occurredOn: '2026-06-01', area: '衢江区' });
    const person = await createPerson(keeper.ctx, { name: '李大伟', idType: 'passport', idNumber: 'E12345678' });
    await wh.issue(keeper.ctx, { warehouseId: store.id, occurredOn: '2026-06-01', destination: 'distribution', eventId: event.id, recipients: [{ kind: 'person', personId: person.id, items: [{ itemId: n95.id, quantity: 50 }] }] });
    // On the public ledger: the receipt, each item's 入库 referring to it, the distribution — and
    // the log alone shows stock never went negative. No recipient appears.
    const log = (await sql<{ idx: string; entry: Uint8Array }>`select idx::text, entry from log_entry order by idx`.execute(h().deps.db)).rows.map((r) => JSON.parse(Buffer.from(r.entry).toString('utf8')) as LedgerEntry);
    const receiptAt = log.findIndex((e) => e.type === 'receipt' && e.id === d.id);
    expect(receiptAt).toBeGreaterThanOrEqual(0);
    const stockIn = log.filter((e) => e.type === 'stock_in' && e.refs?.some((r) => r.i === receiptAt));
    expect(stockIn.map((e) => [e.goods!.item, e.goods!.qty]).sort()).toEqual([['YL-02', '2000'], ['YL-03', '500']]);
    expect(log.filter((e) => e.type === 'distribution').map((e) => [e.goods!.item, e.goods!.qty])).toContainEqual(['YL-02', '50']);
    expect(checkConservation(log)).toEqual([]);
    expect(JSON.stringify(log)).not.toContain('李大伟');
    const trace = await svc.donationTrace(clerk.ctx, d.id);
    expect(trace.steps).toEqual([]);
    expect(trace.goods).toHaveLength(2);
    expect(trace.goodsTrace!.received).toBe(2500);
    const issued = trace.goodsTrace!.steps.find((s) => s.kind === 'issued')!;
    expect(issued.recipients).toEqual([{ name: expect.stringMatching(/^李/), quantity: 50 }]);
    expect(JSON.stringify(trace)).not.toContain('李大伟');

    // Disclosure: the list names the goods with their specification; the gate compares them with the 入库单.
    const list = await pub.publicDonations(h().deps, { from: '2026-05-01', to: '2026-05-31', unit: '330803', limit: 100 });
    const row = list.items.find((x) => x.number === d.number)!;
    expect(row.goods).toBe('口罩（N95）×2000只；口罩（KN95）×500只');
    let report = await pub.createDisclosure(clerk.ctx, { periodStart: '2026-05-01', periodEnd: '2026-05-31' });
    let spec = report.content.checks.find((c) => c.code === 'goods_specification')!;
    expect(spec).toMatchObject({ ok: true, blocking: true });
    expect(spec.message).toContain('1 笔物资捐赠');
    expect(report.content.summary.goodsValueFen).toBe(760_000);
    // The 2020 failure, made visible: the receipt into stock says KN95 where the gift was N95 (written
    // behind the application's back, triggers off — the API cannot produce it) → the report is blocked.
    const tamper = (from: string, to: string) =>
      h().deps.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update stock_document_line set item_id = ${to} where document_id = ${confirmed.goodsDocumentId} and item_id = ${from} and quantity = 2000`.execute(trx);
      });
    await tamper(n95.id, kn95.id);
    report = await pub.createDisclosure(clerk.ctx, { periodStart: '2026-05-01', periodEnd: '2026-05-31' });
    spec = report.content.checks.find((c) => c.code === 'goods_specification')!;
    expect(spec.ok).toBe(false);
    expect(spec.items[0]!.detail).toContain('入库：');
    expect(await code(pub.publishDisclosure(clerk.ctx, report.id, report.version))).toBe('donations.disclosure_blocked');
    await tamper(kn95.id, n95.id);
    expect((await pub.createDisclosure(clerk.ctx, { periodStart: '2026-05-01', periodEnd: '2026-05-31' })).content.checks.find((c) => c.code === 'goods_specification')!.ok).toBe(true);

    expect(await code(svc.reverseDonation(clerk.ctx, d.id, '误录'))).toBe('donations.goods_not_reversible');
  });

  it('refuses goods it cannot receive: unknown item, fractional count units, no warehouse, nothing at all — naming the field, nothing written', async () => {
    const store = await warehouse(clerk, '衢江区第二仓库');
    const tent = [...items.values()].find((i) => i.name === '帐篷')!;
    const giver = await donor('某企业');
    const before = await sql<{ n: number }>`select count(*)::int as n from donation`.execute(h().deps.db).then((r) => r.rows[0]!.n);
    const base = { donorId: giver.id, receivedOn: '2026-05-21', channel: 'other' as const, designation: 'unrestricted' as const, warehouseId: store.id };
    const fields = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'accepted';
      } catch (e) {
        return ((e as { details?: { field: string }[] }).details ?? []).map((f) => f.field).join(',') || (e as { code?: string }).code;
      }
    };
    expect(await fields(svc.createDonation(clerk.ctx, { ...base, goods: [{ itemId: tent.id, quantity: 2.5, unitValueFen: 100 }] }))).toBe('goods.0.quantity');
    expect(await fields(svc.createDonation(clerk.ctx, { ...base, goods: [{ itemId: crypto.randomUUID(), quantity: 1, unitValueFen: 100 }] }))).toBe('goods.0.itemId');
    expect(await fields(svc.createDonation(clerk.ctx, { ...base, warehouseId: crypto.randomUUID(), goods: [{ itemId: tent.id, quantity: 1, unitValueFen: 100 }] }))).toBe('warehouseId');
    expect(await sql<{ n: number }>`select count(*)::int as n from donation`.execute(h().deps.db).then((r) => r.rows[0]!.n)).toBe(before);

    // Over HTTP the schema's rules name the field too.
    const a = new Agent((await h().app()).app);
    expect((await a.login(clerk.username, TEST_PASSWORD)).statusCode).toBe(200);
    const noWarehouse = await a.request({ method: 'POST', url: '/api/donations', headers: { 'idempotency-key': crypto.randomUUID() }, payload: { donorId: giver.id, receivedOn: '2026-05-21', channel: 'other', designation: 'unrestricted', goods: [{ itemId: tent.id, quantity: 1, unitValueFen: 100 }] } });
    expect(noWarehouse.statusCode).toBe(400);
    expect(noWarehouse.json().error.details.map((x: { field: string }) => x.field)).toContain('body.warehouseId');
    const nothing = await a.request({ method: 'POST', url: '/api/donations', headers: { 'idempotency-key': crypto.randomUUID() }, payload: { donorId: giver.id, receivedOn: '2026-05-21', channel: 'other', designation: 'unrestricted' } });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().error.details.map((x: { field: string }) => x.field)).toContain('body.amountFen');
  });

  it('counts goods at their recorded value in the plan’s fundraising figure (万元)', async () => {
    const store = await warehouse(keeper, '衢江区第三仓库');
    const quilt = [...items.values()].find((i) => i.name === '棉被')!;
    const figure = async () => {
      const rows = await indicatorProvider('fundraising_total')!.compute(keeper.ctx, { fromYear: 2026, toYear: 2026, scopePath: (await sql<{ path: string }>`select path from org_unit where id = ${h().unit('330803')}`.execute(h().deps.db)).rows[0]!.path });
      return rows.filter((r) => r.year === 2026).reduce((s, r) => s + r.numerator, 0);
    };
    const before = await figure();
    const d = await svc.createDonation(keeper.ctx, { donorId: (await donor('棉被捐赠企业')).id, receivedOn: '2026-04-02', channel: 'bank_transfer', designation: 'unrestricted', receiptNo: 'QJ-W-9', warehouseId: store.id, amountFen: 1_000_000, goods: [{ itemId: quilt.id, quantity: 100, unitValueFen: 20_000 }] });
    expect(await figure()).toBeCloseTo(before, 6);
    await svc.confirmDonation(keeper.ctx, d.id, { version: d.version });
    // ¥10,000 money + 100 × ¥200 goods = ¥30,000 = 3 万元.
    expect((await figure()) - before).toBeCloseTo(3, 6);
  });
});
