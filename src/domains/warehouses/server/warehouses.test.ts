import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { addAttachment } from '../../attachments/server/attachments.service.ts';
import { createPerson } from '../../people/server/people.service.ts';
import * as plan from '../../plan/server/plan.service.ts';
import { registerWarehouseAttachments } from './warehouses.attachments.ts';
import { goodsTrace, receiveGoodsInTrx } from './warehouses.goods.ts';
import { registerWarehouseIndicators } from './warehouses.indicators.ts';
import * as rep from './warehouses.reports.ts';
import * as svc from './warehouses.service.ts';
import type { LedgerEntry } from '../../ledger/ledger.contract.ts';
import { checkConservation } from '../../ledger/verify/verifier.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describeDb('warehouses', (h) => {
  let city: TestUser;
  let city2: TestUser;
  let js: TestUser;
  let items: Map<string, string>;
  const item = (code: string) => items.get(code)!;
  beforeAll(async () => {
    registerWarehouseAttachments();
    registerWarehouseIndicators();
    city = await h().createUser({ username: 'wh.city', unit: '330800', roles: ['staff'] });
    city2 = await h().createUser({ username: 'wh.city2', unit: '330800', roles: ['staff'] });
    js = await h().createUser({ username: 'wh.js', unit: '330881', roles: ['staff'] });
    items = new Map((await svc.listItems(city.ctx, {})).map((i) => [i.code, i.id]));
  });

  let seq = 0;
  async function warehouse(user: TestUser, name: string, extra: Partial<Parameters<typeof svc.createWarehouse>[1]> = {}) {
    return svc.createWarehouse(user.ctx, { code: `WH-${h().kind}-${++seq}`, name, address: '衢州市柯城区某路 1 号', gradeChecks: [], openedOn: '2024-01-01', ...extra });
  }
  const onHand = async (user: TestUser, warehouseId: string, itemId: string) => (await rep.listBatches(user.ctx, warehouseId, { itemId })).reduce((s, b) => s + b.onHand, 0);
  const movements = async () => (await sql<{ n: number }>`select count(*)::int as n from stock_movement`.execute(h().deps.db)).rows[0]!.n;
  const reconciled = async (user: TestUser) => (await rep.reconcile(user.ctx)).differences;

  it('ships the standard relief items as reference data, specification part of identity (N95 ≠ KN95)', async () => {
    const masks = (await svc.listItems(city.ctx, { q: '口罩' })).map((i) => i.spec);
    expect(masks).toEqual(expect.arrayContaining(['N95', 'KN95', '医用外科口罩']));
    for (const name of ['帐篷', '棉被', '毛毯', '家庭生活应急包', '冲锋衣', '折叠床']) expect((await svc.listItems(city.ctx, { q: name })).length).toBeGreaterThan(0);
    expect(await code(svc.createItem(city.ctx, { code: 'X-N95', name: '口罩', spec: 'N95', category: 'medical', unit: '只', countUnit: true }))).toBe('warehouses.item_exists');
    const kn = await svc.createItem(city.ctx, { code: 'X-KN90', name: '口罩', spec: 'KN90', category: 'medical', unit: '只', countUnit: true });
    expect(kn.standard).toBe(false);
    // A county sees the city's catalogue but cannot change it.
    expect((await svc.listItems(js.ctx, { q: 'KN90' })).map((i) => i.id)).toEqual([kn.id]);
  });

  it('goods donation → city warehouse → transfer to 江山市 → flood distribution → write-off → stocktake: every step on the stock card and in the trace', async () => {
    const grades = await svc.listGrades(city.ctx);
    const g = grades.find((x) => x.code === 'L2')!;
    const cityWh = await warehouse(city, '衢州市红十字备灾仓库', { managerUserId: city2.id, managerName: 'wh.city2', gradeId: g.id, gradeChecks: [g.criteria[0]!] });
    expect(cityWh).toMatchObject({ gradeName: '二级', gradeChecks: [g.criteria[0]] });
    expect(await code(warehouse(city, '错误等级', { gradeId: g.id, gradeChecks: ['不存在的标准'] }))).toBe('validation_failed');
    const bin = await svc.addLocation(city.ctx, cityWh.id, { code: 'A-01', name: '一号货架' });
    const jsWh = await warehouse(js, '江山市红十字备灾仓库');
    await svc.setLevel(city.ctx, cityWh.id, { itemId: item('BR-01'), minQty: 100, maxQty: 1000 });

    // A goods donation line received inside the donations domain's own transaction.
    const donationLine = crypto.randomUUID();
    const posted = await city.ctx.run((trx) =>
      receiveGoodsInTrx(city.ctx, trx, { warehouseId: cityWh.id, sourceType: 'donation', sourceId: donationLine, occurredOn: '2026-05-02', supplier: '衢州某爱心企业', lines: [{ itemId: item('BR-01'), quantity: 300, unitValueFen: 12_000, productionDate: '2026-01-10', locationId: bin.id }, { itemId: item('JT-01'), quantity: 50, unitValueFen: 25_000, expiryDate: '2028-12-31' }] }),
    );
    expect(posted.number).toMatch(/^RK-330800-2026-\d{6}$/);
    expect(posted.batchIds).toHaveLength(2);
    const quilt = (await rep.listBatches(city.ctx, cityWh.id, { itemId: item('BR-01') }))[0]!;
    // Expiry from the production date and the 60-month shelf life.
    expect([quilt.onHand, quilt.expiryDate, quilt.locationCode, quilt.sourceType]).toEqual([300, '2031-01-10', 'A-01', 'donation']);
    // A rolled-back caller leaves nothing behind.
    const before = await movements();
    await expect(city.ctx.run(async (trx) => {
      await receiveGoodsInTrx(city.ctx, trx, { warehouseId: cityWh.id, sourceType: 'donation', sourceId: crypto.randomUUID(), occurredOn: '2026-05-02', lines: [{ itemId: item('BR-01'), quantity: 1, unitValueFen: 1 }] });
      throw new Error('caller failed');
    })).rejects.toThrow('caller failed');
    expect(await movements()).toBe(before);

    // Transfer: shipped (in transit, visible), then received once.
    const tr = await svc.shipTransfer(city.ctx, { warehouseId: cityWh.id, toWarehouseId: jsWh.id, occurredOn: '2026-05-05', lines: [{ itemId: item('BR-01'), quantity: 120 }, { itemId: item('JT-01'), quantity: 20 }] });
    expect([tr.status, tr.number.startsWith('DB-330800-')]).toEqual(['shipped', true]);
    expect((await rep.stockCard(city.ctx, cityWh.id, { itemId: item('BR-01') })).inTransitOut).toBe(120);
    expect((await rep.stockSummary(js.ctx, { warehouseId: jsWh.id })).rows.find((r) => r.itemId === item('BR-01'))!.inTransit).toBe(120);
    const got = await svc.receiveTransfer(js.ctx, tr.id, { receivedOn: '2026-05-06' });
    expect([got.status, got.receivedOn]).toEqual(['received', '2026-05-06']);
    const movesAfterReceive = await movements();
    expect(await code(svc.receiveTransfer(js.ctx, tr.id, { receivedOn: '2026-05-07' }))).toBe('warehouses.already_received');
    expect(await movements()).toBe(movesAfterReceive);
    expect(await onHand(js, jsWh.id, item('BR-01'))).toBe(120);
    expect(await onHand(city, cityWh.id, item('BR-01'))).toBe(180);

    // Flood distribution in 江山市: three household heads (masked), a signature photo each.
    const event = await svc.createEvent(js.ctx, { name: '2026 年“6·1”江山洪涝', kind: 'flood', occurredOn: '2026-05-28', area: '江山市双塔街道' });
    const heads = [];
    for (const [name, id] of [['王小明', 'E10000001'], ['李大华', 'E10000002'], ['张三', 'E10000003']] as const) heads.push(await createPerson(js.ctx, { name, idType: 'passport', idNumber: id }));
    const issue = await svc.issue(js.ctx, {
      warehouseId: jsWh.id, occurredOn: '2026-05-29', destination: 'distribution', eventId: event.id,
      recipients: heads.map((p, i) => ({ kind: 'person' as const, personId: p.id, householdSize: 3 + i, items: [{ itemId: item('BR-01'), quantity: 2 }, { itemId: item('JT-01'), quantity: 1 }] })),
    });
    expect(issue.recipients.map((r) => r.name)).toEqual(['王*明', '李*华', '张*']);
    expect(JSON.stringify(issue)).not.toContain('王小明');
    expect(issue.lines.map((l) => [l.itemName, l.quantity])).toEqual([['棉被', 6], ['家庭生活应急包', 3]]);
    for (const r of issue.recipients) await addAttachment(js.ctx, { ownerType: 'distribution_recipient', ownerId: r.id, bytes: PNG, fileName: `签名-${r.seq}.png` });
    expect((await svc.getDocument(js.ctx, issue.id)).recipients.map((r) => r.evidenceCount)).toEqual([1, 1, 1]);

    // An expired batch cannot be issued; it leaves by a write-off approved by someone else, with evidence.
    const old = await svc.receive(city.ctx, { warehouseId: cityWh.id, occurredOn: '2025-01-10', sourceType: 'purchase', supplier: '某供应商', lines: [{ itemId: item('SP-01'), quantity: 40, unitValueFen: 3_000, expiryDate: '2026-03-01' }] });
    const oldBatch = old.lines[0]!.batchId!;
    expect(await code(svc.issue(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-06-01', destination: 'unit', toOrgName: '某街道', lines: [{ itemId: item('SP-01'), quantity: 1, batchId: oldBatch }] }))).toBe('warehouses.batch_expired');
    expect(await code(svc.issue(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-06-01', destination: 'unit', toOrgName: '某街道', lines: [{ itemId: item('SP-01'), quantity: 1 }] }))).toBe('warehouses.insufficient_stock');
    const alerts = await rep.stockAlerts(city.ctx, { days: 90 });
    expect(alerts.counts.expired).toBeGreaterThanOrEqual(1);
    expect(alerts.headline).toContain('已过期');
    const wo = await svc.requestWriteOff(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-06-01', reason: 'expired', note: '饮用水过期', lines: [{ batchId: oldBatch, quantity: 40 }] });
    expect(await code(svc.decideWriteOff(city.ctx, wo.id, { version: wo.version, decision: 'approve' }))).toBe('warehouses.self_approval');
    expect(await code(svc.decideWriteOff(city2.ctx, wo.id, { version: wo.version, decision: 'approve' }))).toBe('warehouses.evidence_required');
    // A rejection says why, or is refused (on its field) and changes nothing.
    for (const rejectReason of [undefined, '  ']) {
      const err = await svc.decideWriteOff(city2.ctx, wo.id, { version: wo.version, decision: 'reject', rejectReason }).catch((e: unknown) => e as { code: string; details?: { field: string }[] });
      expect([(err as { code: string }).code, (err as { details?: { field: string }[] }).details?.[0]?.field]).toEqual(['validation_failed', 'rejectReason']);
    }
    expect((await svc.getDocument(city.ctx, wo.id)).status).toBe('requested');
    await addAttachment(city.ctx, { ownerType: 'stock_document', ownerId: wo.id, bytes: PNG, fileName: '过期照片.png' });
    const approved = await svc.decideWriteOff(city2.ctx, wo.id, { version: wo.version, decision: 'approve' });
    expect([approved.status, approved.approvedByName, approved.requestedByName]).toEqual(['approved', 'wh.city2', 'wh.city']);
    expect(await onHand(city, cityWh.id, item('SP-01'))).toBe(0);
    await expect(sql`update stock_document set note = 'x' where id = ${wo.id}`.execute(h().deps.db)).rejects.toThrow(/cannot change/);

    // Stocktake: a variance needs a reason; only the warehouse manager finalises.
    const st = await svc.createStocktake(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-06-01' });
    const line = st.stocktakeLines.find((l) => l.itemId === item('BR-01'))!;
    expect(line.bookQty).toBe(180);
    const counts = st.stocktakeLines.map((l) => ({ lineId: l.id, countedQty: l.itemId === item('BR-01') ? 178 : l.bookQty }));
    let counted = await svc.countStocktake(city.ctx, st.id, { version: st.version, counts });
    expect(await code(svc.finaliseStocktake(city2.ctx, st.id, { version: counted.version }))).toBe('warehouses.variance_reason_required');
    counted = await svc.countStocktake(city.ctx, st.id, { version: counted.version, counts: [{ lineId: line.id, countedQty: 178, reason: '包装破损两床已另行处理' }] });
    expect(await code(svc.finaliseStocktake(city.ctx, st.id, { version: counted.version }))).toBe('warehouses.not_manager');
    const fin = await svc.finaliseStocktake(city2.ctx, st.id, { version: counted.version });
    expect(fin.status).toBe('finalised');
    expect(fin.stocktakeLines.find((l) => l.id === line.id)!.variance).toBe(-2);
    expect(await onHand(city, cityWh.id, item('BR-01'))).toBe(178);
    expect(await code(svc.countStocktake(city.ctx, st.id, { version: fin.version, counts: [{ lineId: line.id, countedQty: 1 }] }))).toBe('warehouses.stocktake_closed');

    // The stock card shows every step with a running balance.
    const card = await rep.stockCard(city.ctx, cityWh.id, { itemId: item('BR-01') });
    expect(card.rows.map((r) => [r.movement, r.in, r.out, r.balance])).toEqual([['入库', 300, 0, 300], ['调出', 0, 120, 180], ['盘点调整', 0, 2, 178]]);
    // The same as codes, for screens in either language.
    expect(card.rows.map((r) => [r.movementKind, r.counterpartyKind, r.counterpartyCode])).toEqual([['receive', 'party', null], ['transfer_out', 'party', null], ['adjust', 'stocktake', null]]);
    const jsCard = await rep.stockCard(js.ctx, jsWh.id, { itemId: item('BR-01') });
    expect(jsCard.rows.map((r) => [r.movement, r.counterparty, r.balance])).toEqual([['调入', '衢州市红十字备灾仓库', 120], ['出库', '2026 年“6·1”江山洪涝', 114]]);

    // The donation's trace continues through the transfer to the recipients, masked.
    const trace = await goodsTrace(city.ctx, 'donation', donationLine);
    expect(trace.steps.map((s) => s.kind)).toEqual(['received', 'received', 'transfer', 'transfer', 'issued', 'issued', 'adjusted']);
    const issued = trace.steps.filter((s) => s.kind === 'issued');
    expect(issued[0]!.recipients.map((r) => r.name)).toEqual(['王*明', '李*华', '张*']);
    expect(JSON.stringify(trace)).not.toContain('王小明');
    expect([trace.received, trace.issued, trace.inTransit]).toEqual([350, 9, 0]);
    expect(trace.onHand).toBe(350 - 9 - 2);
    expect(await reconciled(city)).toEqual([]);
    // The county sees its own part, not the city's.
    expect((await goodsTrace(js.ctx, 'donation', donationLine)).steps).toEqual([]);
    expect(await code(rep.stockCard(js.ctx, cityWh.id, { itemId: item('BR-01') }))).toBe('warehouses.not_found');
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const w = await warehouse(city, '错误输入测试仓库');
    await svc.receive(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('ZP-01'), quantity: 10, unitValueFen: 150_000 }, { itemId: item('SP-02'), quantity: 12.5, unitValueFen: 2_000 }] });
    const snapshot = async () => [await movements(), await onHand(city, w.id, item('ZP-01')), await onHand(city, w.id, item('SP-02'))];
    const start = await snapshot();
    expect(start.slice(1)).toEqual([10, 12.5]);
    const fields = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (err) {
        const e = err as { code: string; details?: { field: string }[] };
        return [e.code, e.details?.[0]?.field];
      }
      return ['ok'];
    };
    const issueTo = (lines: { itemId: string; quantity: number; batchId?: string }[]) => svc.issue(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-02', destination: 'unit', toOrgName: '某乡镇', lines });
    expect(await fields(issueTo([{ itemId: item('ZP-01'), quantity: 11 }]))).toEqual(['warehouses.insufficient_stock', 'lines.0.quantity']);
    expect(await fields(issueTo([{ itemId: item('ZP-01'), quantity: 6 }, { itemId: item('ZP-01'), quantity: 6 }]))).toEqual(['warehouses.insufficient_stock', 'lines.1.quantity']);
    expect(await fields(issueTo([{ itemId: item('ZP-01'), quantity: 1.5 }]))).toEqual(['warehouses.fractional_quantity', 'lines.0.quantity']);
    expect(await fields(issueTo([{ itemId: crypto.randomUUID(), quantity: 1 }]))).toEqual(['warehouses.item_not_found', 'lines.0.itemId']);
    expect(await fields(svc.receive(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('ZP-01'), quantity: 1, unitValueFen: 1 }, { itemId: item('BR-02'), quantity: 0.5, unitValueFen: 1 }] }))).toEqual(['warehouses.fractional_quantity', 'lines.1.quantity']);
    expect(await fields(svc.receive(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('ZP-01'), quantity: 1, unitValueFen: 1, productionDate: '2026-02-01', expiryDate: '2026-01-01' }] }))).toEqual(['validation_failed', 'lines.0.expiryDate']);
    expect(await fields(svc.shipTransfer(city.ctx, { warehouseId: w.id, toWarehouseId: w.id, occurredOn: '2026-05-02', lines: [{ itemId: item('ZP-01'), quantity: 1 }] }))).toEqual(['warehouses.same_warehouse', 'toWarehouseId']);
    // Non-count units take fractions.
    expect(await fields(issueTo([{ itemId: item('SP-02'), quantity: 13 }]))).toEqual(['warehouses.insufficient_stock', 'lines.0.quantity']);
    expect(await snapshot()).toEqual(start);
    await issueTo([{ itemId: item('SP-02'), quantity: 0.25 }]);
    expect(await onHand(city, w.id, item('SP-02'))).toBe(12.25);

    // The database refuses on its own: negative stock, on-hand without a movement, rewriting movements.
    const b = (await rep.listBatches(city.ctx, w.id, { itemId: item('ZP-01') }))[0]!;
    await expect(sql`update stock_batch set on_hand = -1 where id = ${b.id}`.execute(h().deps.db)).rejects.toThrow(/check/i);
    await expect(sql`update stock_batch set on_hand = on_hand + 1 where id = ${b.id}`.execute(h().deps.db)).rejects.toThrow(/differs from its movements/);
    await expect(sql`update stock_movement set quantity = 1 where batch_id = ${b.id}`.execute(h().deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from stock_movement where batch_id = ${b.id}`.execute(h().deps.db)).rejects.toThrow(/append-only/);
    expect(await reconciled(city)).toEqual([]);
  });

  it('picks first-expired-first-out, corrects by reversing documents, and reverses each document once', async () => {
    const w = await warehouse(city, '先到期先出仓库');
    const r1 = await svc.receive(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('YL-02'), quantity: 100, unitValueFen: 500, expiryDate: '2029-01-01' }, { itemId: item('YL-02'), quantity: 50, unitValueFen: 500, expiryDate: '2027-06-30' }, { itemId: item('YL-02'), quantity: 30, unitValueFen: 500 }] });
    const sug = await svc.suggestPicks(city.ctx, w.id, item('YL-02'), 120);
    expect(sug.picks.map((p) => [p.expiryDate, p.quantity])).toEqual([['2027-06-30', 50], ['2029-01-01', 70]]);
    const out = await svc.issue(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-03', destination: 'unit', toUnitId: h().unit('330802'), lines: [{ itemId: item('YL-02'), quantity: 120 }] });
    expect(out.lines.map((l) => [l.expiryDate, l.quantity])).toEqual([['2027-06-30', 50], ['2029-01-01', 70]]);
    expect(out.toName).toBe('柯城区');
    // A receipt whose goods were partly issued cannot be reversed; the issue can, once.
    expect(await code(svc.reverseDocument(city.ctx, r1.id, { reason: '误录', occurredOn: '2026-05-04' }))).toBe('warehouses.not_reversible');
    const rev = await svc.reverseDocument(city.ctx, out.id, { reason: '发放取消', occurredOn: '2026-05-04' });
    expect([rev.number.startsWith('HC-'), rev.reverses?.id]).toEqual([true, out.id]);
    expect((await svc.getDocument(city.ctx, out.id)).reversedBy?.number).toBe(rev.number);
    expect(await code(svc.reverseDocument(city.ctx, out.id, { reason: '再次', occurredOn: '2026-05-04' }))).toBe('warehouses.not_reversible');
    expect(await code(svc.reverseDocument(city.ctx, rev.id, { reason: '冲销冲销单', occurredOn: '2026-05-04' }))).toBe('warehouses.not_reversible');
    expect(await onHand(city, w.id, item('YL-02'))).toBe(180);
    await svc.reverseDocument(city.ctx, r1.id, { reason: '误录', occurredOn: '2026-05-05' });
    expect(await onHand(city, w.id, item('YL-02'))).toBe(0);
    const card = await rep.stockCard(city.ctx, w.id, { itemId: item('YL-02') });
    expect(card.closing).toBe(0);
    expect(card.rows.filter((r) => r.movement === '冲销').length).toBe(3 + 2);
    // Each reversal names, as its code, the number of the document it corrects.
    const reversals = card.rows.filter((r) => r.movementKind === 'reversal');
    expect(reversals.map((r) => [r.counterpartyKind, r.counterparty])).toEqual(reversals.map((r) => ['reversal', `冲销 ${r.counterpartyCode}`]));
    expect(reversals.every((r) => /^[A-Z]{2}-/.test(r.counterpartyCode ?? ''))).toBe(true);
    expect(await reconciled(city)).toEqual([]);
    // Every posting and reversal is on the public ledger, and the log alone balances to the same stock.
    const log = (await sql<{ entry: Uint8Array }>`select entry from log_entry order by idx`.execute(h().deps.db)).rows
      .map((r) => JSON.parse(Buffer.from(r.entry).toString('utf8')) as LedgerEntry)
      .filter((e) => e.goods?.warehouse === w.code);
    // One entry per document and item: the receipt (three batches of YL-02), the issue, and the two reversals.
    expect(log.map((e) => [e.type, e.goods!.qty])).toEqual([['stock_in', '180'], ['stock_out', '120'], ['stock_in', '120'], ['stock_out', '180']]);
    expect(checkConservation(log)).toEqual([]);
    const net = log.reduce((t, e) => t + (e.goods!.item === 'YL-02' ? (e.type === 'stock_in' ? 1 : -1) * Number(e.goods!.qty) : 0), 0);
    expect(net).toBe(0);
  });

  it('runs a stocktake from zero stock: found goods become batches, one alert summary for the rest', async () => {
    const w = await warehouse(js, '零库存盘点仓库');
    const st = await svc.createStocktake(js.ctx, { warehouseId: w.id, occurredOn: '2026-05-10' });
    expect(st.stocktakeLines).toEqual([]);
    const c = await svc.countStocktake(js.ctx, st.id, { version: st.version, counts: [{ itemId: item('ZP-03'), countedQty: 25, unitValueFen: 18_000, reason: '建账前已有物资' }, { itemId: item('YL-01'), countedQty: 1000, unitValueFen: 50, expiryDate: '2026-07-01', reason: '建账前已有物资' }] });
    expect(await code(svc.countStocktake(js.ctx, st.id, { version: c.version, counts: [{ itemId: item('ZP-03'), countedQty: 2.5, reason: 'x', unitValueFen: 0 }] }))).toBe('warehouses.fractional_quantity');
    const fin = await svc.finaliseStocktake(js.ctx, st.id, { version: c.version });
    expect(fin.lines.map((l) => [l.itemName, l.quantity])).toEqual([['折叠床', 25], ['口罩', 1000]]);
    expect(await onHand(js, w.id, item('ZP-03'))).toBe(25);
    await svc.setLevel(js.ctx, w.id, { itemId: item('BR-01'), minQty: 50 });
    await svc.setLevel(js.ctx, w.id, { itemId: item('ZP-03'), minQty: 30, maxQty: 100 });
    const alerts = await rep.stockAlerts(js.ctx, { days: 90, warehouseId: w.id });
    expect(alerts.counts).toEqual({ expired: 0, nearExpiry: 1, belowMin: 2, aboveMax: 0 });
    expect(alerts.headline).toBe('1 个批次将在 90 天内过期，2 项物资低于最低库存');
    const summary = await rep.stockSummary(js.ctx, { warehouseId: w.id });
    expect(summary.totalValueFen).toBe(25 * 18_000 + 1000 * 50);
    expect(summary.rows.find((r) => r.itemId === item('BR-01'))).toMatchObject({ onHand: 0, minQty: 50 });
  });

  it('summary rows: one per item with stock, goods in transit to the warehouse, or a level set; a category narrows them across warehouses', async () => {
    const a = await warehouse(js, '汇总行仓库甲');
    const b = await warehouse(js, '汇总行仓库乙');
    await svc.receive(js.ctx, { warehouseId: a.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('BR-01'), quantity: 4, unitValueFen: 100 }, { itemId: item('BR-01'), quantity: 6, unitValueFen: 200 }, { itemId: item('JT-01'), quantity: 7, unitValueFen: 1_000 }] });
    await svc.receive(js.ctx, { warehouseId: b.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('ZP-03'), quantity: 5, unitValueFen: 18_000 }] });
    await svc.setLevel(js.ctx, a.id, { itemId: item('BR-01'), minQty: 5, maxQty: 50 });
    await svc.setLevel(js.ctx, a.id, { itemId: item('YL-01'), minQty: 3 });
    await svc.shipTransfer(js.ctx, { warehouseId: b.id, toWarehouseId: a.id, occurredOn: '2026-05-02', lines: [{ itemId: item('ZP-03'), quantity: 2 }] });
    const s = await rep.stockSummary(js.ctx, { warehouseId: a.id });
    const pick = (r: (typeof s.rows)[number]) => [r.itemId, r.warehouseId, r.onHand, r.valueFen, r.inTransit, r.minQty, r.maxQty];
    expect(s.rows.map(pick).sort()).toEqual([
      [item('BR-01'), a.id, 10, 4 * 100 + 6 * 200, 0, 5, 50],
      [item('JT-01'), a.id, 7, 7_000, 0, null, null],
      [item('YL-01'), a.id, 0, 0, 0, 3, null],
      [item('ZP-03'), a.id, 0, 0, 2, null, null],
    ].sort());
    // The totals count stock only: two items with stock in this warehouse.
    expect(s.byWarehouse).toEqual([{ warehouseId: a.id, warehouseName: '汇总行仓库甲', unitName: '江山市', valueFen: 8_600, items: 2 }]);
    expect(s.totalValueFen).toBe(8_600);
    const category = (await svc.listItems(js.ctx, {})).find((i) => i.id === item('ZP-03'))!.category;
    const c = await rep.stockSummary(js.ctx, { category });
    expect(c.rows.every((r) => r.category === category)).toBe(true);
    expect(c.rows.filter((r) => r.warehouseId === a.id || r.warehouseId === b.id).map(pick).sort()).toEqual([
      [item('ZP-03'), a.id, 0, 0, 2, null, null],
      [item('ZP-03'), b.id, 3, 54_000, 0, null, null],
    ].sort());
    expect(c.byCategory.map((x) => x.category)).toEqual([category]);
    expect(await reconciled(js)).toEqual([]);
  });

  it('feeds the plan: relief warehouses per county at each year end, and says which counties have none', async () => {
    const cov = await rep.countyCoverage(city.ctx);
    expect(cov.counties.find((c) => c.unitName === '江山市')!.warehouses).toBeGreaterThan(0);
    expect(cov.missing).toContain('常山县');
    expect(cov.allCovered).toBe(false);
    const planId = (await plan.listPlans(city.ctx)).find((x) => x.name.includes('十四五'))!.id;
    const progress = await plan.progress(city.ctx, planId, { year: 2025, unit: '330881' });
    const ind = progress.items.find((i) => i.code === 'relief_warehouses')!;
    expect([ind.actualSource, ind.actual]).toEqual(['computed', (await svc.listWarehouses(js.ctx)).length]);
    const values = await rep.stockValueByUnit(city.ctx);
    expect(values.find((v) => v.unitName === '江山市')!.valueFen).toBeGreaterThan(0);
  });

  it('over HTTP: postings are idempotent, bad quantities are refused naming the field, foreign records are 404', async () => {
    const { app } = await h().app();
    const a = new Agent(app);
    expect((await a.login('wh.city', TEST_PASSWORD)).statusCode).toBe(200);
    const w = (await a.post('/api/warehouses', { code: `HTTP-${h().kind}`, name: '接口测试仓库', address: '衢州市', openedOn: '2025-01-01' })).json();
    expect(w.id).toBeDefined();
    const body = { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('BR-02'), quantity: 10, unitValueFen: 8_000 }] };
    for (const [q, status] of [[-1, 400], [0, 400], [1.0005, 400], [1.5, 422]] as const) {
      const bad = await a.post('/api/warehouses/receipts', { ...body, lines: [{ ...body.lines[0], quantity: q }] });
      expect(bad.statusCode).toBe(status);
      expect(JSON.stringify(bad.json().error.details)).toContain('quantity');
      if (status === 422) expect(bad.json().error.message).toContain('须为整数');
    }
    const headers = { 'idempotency-key': `wh-http-${h().kind}` };
    const first = await a.request({ method: 'POST', url: '/api/warehouses/receipts', payload: body, headers });
    const again = await a.request({ method: 'POST', url: '/api/warehouses/receipts', payload: body, headers });
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().number).toBe(first.json().number);
    expect((await a.request({ method: 'POST', url: '/api/warehouses/receipts', payload: { ...body, occurredOn: '2026-05-02' }, headers })).statusCode).toBe(422);
    expect(await onHand(city, w.id, item('BR-02'))).toBe(10);
    const xlsx = await a.get(`/api/warehouses/documents/${first.json().id}/xlsx`);
    expect([xlsx.statusCode, String(xlsx.headers['content-type'])]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    const card = await a.get(`/api/warehouses/${w.id}/stock-card.xlsx?itemId=${item('BR-02')}`);
    expect(card.statusCode).toBe(200);
    const foreign = new Agent(app);
    await foreign.login('wh.js', TEST_PASSWORD);
    expect((await foreign.get(`/api/warehouses/documents/${first.json().id}`)).statusCode).toBe(404);
    expect((await foreign.get(`/api/warehouses/${w.id}`)).statusCode).toBe(404);
  });
});

/** PGlite runs one transaction at a time and would hide any race: this runs on PostgreSQL only. */
describeDb('warehouses concurrency', (h) => {
  let city: TestUser;
  let itemId: string;
  beforeAll(async () => {
    city = await h().createUser({ username: 'wh.race', unit: '330800', roles: ['staff'] });
    itemId = (await svc.listItems(city.ctx, { q: '毛毯' }))[0]!.id;
  });
  const onHand = async (warehouseId: string) => (await rep.listBatches(city.ctx, warehouseId, { itemId })).reduce((s, b) => s + b.onHand, 0);
  const item = () => itemId;
  const warehouse = (_u: TestUser, name: string) => svc.createWarehouse(city.ctx, { code: 'WH-RACE', name, address: '衢州市', gradeChecks: [], openedOn: '2024-01-01' });
  const reconciled = async (u: TestUser) => (await rep.reconcile(u.ctx)).differences;
  it('grants no more than the stock under 200 concurrent issue requests (PostgreSQL)', async () => {
    const w = await warehouse(city, '并发出库仓库');
    const initial = 150;
    await svc.receive(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item(), quantity: 60, unitValueFen: 100, expiryDate: '2030-01-01' }, { itemId: item(), quantity: 90, unitValueFen: 100 }] });
    const asks = Array.from({ length: 200 }, (_, i) => 1 + (i % 3));
    const results = await Promise.allSettled(asks.map((q) => svc.issue(city.ctx, { warehouseId: w.id, occurredOn: '2026-05-02', destination: 'unit', toOrgName: '并发单位', lines: [{ itemId: item(), quantity: q }] })));
    const granted = results.reduce((s, r, i) => s + (r.status === 'fulfilled' ? asks[i]! : 0), 0);
    const refused = new Set(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as { code?: string }).code));
    const final = await onHand(w.id);
    expect(granted).toBeLessThanOrEqual(initial);
    expect(final).toBeGreaterThanOrEqual(0);
    expect(granted).toBe(initial - final);
    expect(final).toBeLessThan(3);
    expect([...refused]).toEqual(['warehouses.insufficient_stock']);
    expect(await reconciled(city)).toEqual([]);
  }, 180_000);
}, { only: 'postgres' });
