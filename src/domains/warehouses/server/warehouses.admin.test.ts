import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { DomainError } from '../../../platform/errors.ts';
import * as rep from './warehouses.reports.ts';
import * as svc from './warehouses.service.ts';

/** The code and first field an error names, or ['ok']. */
async function fields(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return [err.code, (err.details as { field: string }[] | undefined)?.[0]?.field];
  }
  return ['ok'];
}

describeDb('warehouses administration', (h) => {
  let city: TestUser;
  let js: TestUser;
  let kc: TestUser;
  let items: Map<string, string>;
  const item = (c: string) => items.get(c)!;
  let seq = 0;
  const warehouse = (user: TestUser, name: string) => svc.createWarehouse(user.ctx, { code: `ADM-${h().kind}-${++seq}`, name, address: '衢州市某路 1 号', gradeChecks: [], openedOn: '2024-01-01' });
  const onHand = async (user: TestUser, warehouseId: string, itemId: string) => (await rep.listBatches(user.ctx, warehouseId, { itemId })).reduce((s, b) => s + b.onHand, 0);
  const audits = async (action: string, entityId: string) => (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`.execute(h().deps.db)).rows[0]!.n;

  beforeAll(async () => {
    city = await h().createUser({ username: 'adm.city', unit: '330800', roles: ['staff'] });
    js = await h().createUser({ username: 'adm.js', unit: '330881', roles: ['staff'] });
    kc = await h().createUser({ username: 'adm.kc', unit: '330802', roles: ['staff'] });
    items = new Map((await svc.listItems(city.ctx, {})).map((i) => [i.code, i.id]));
  });

  it('a county returns goods to the city warehouse; the city receives; never sideways to another county', async () => {
    const cityWh = await warehouse(city, '市级备灾仓库（回调）');
    const closedCity = await warehouse(city, '市级停用仓库');
    await svc.updateWarehouse(city.ctx, closedCity.id, { version: closedCity.version, status: 'closed' });
    const jsWh = await warehouse(js, '江山仓库（回调）');
    const jsWh2 = await warehouse(js, '江山第二仓库（回调）');
    const kcWh = await warehouse(kc, '柯城仓库（回调）');
    await svc.receive(js.ctx, { warehouseId: jsWh.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('BR-02'), quantity: 40, unitValueFen: 9_000 }] });

    // The county's destination list: its own other warehouse and the city's active ones, not 柯城区's.
    const dest = await svc.transferDestinations(js.ctx, jsWh.id);
    expect(dest.find((d) => d.id === cityWh.id)).toMatchObject({ above: true, unitName: '衢州市', name: '市级备灾仓库（回调）' });
    expect(dest.find((d) => d.id === jsWh2.id)).toMatchObject({ above: false });
    expect(dest.map((d) => d.id)).not.toContain(kcWh.id);
    expect(dest.map((d) => d.id)).not.toContain(closedCity.id);
    expect(dest.map((d) => d.id)).not.toContain(jsWh.id);
    // The city still sends to any county.
    expect((await svc.transferDestinations(city.ctx, cityWh.id)).map((d) => d.id)).toEqual(expect.arrayContaining([jsWh.id, kcWh.id]));
    // Another county's warehouse cannot be the shipping side of the lookup.
    expect(await code(svc.transferDestinations(kc.ctx, jsWh.id))).toBe('warehouses.not_found');

    const moves = async () => (await sql<{ n: number }>`select count(*)::int as n from stock_movement`.execute(h().deps.db)).rows[0]!.n;
    const before = await moves();
    const ship = (to: string) => svc.shipTransfer(js.ctx, { warehouseId: jsWh.id, toWarehouseId: to, occurredOn: '2026-05-03', lines: [{ itemId: item('BR-02'), quantity: 15 }] });
    expect(await fields(ship(kcWh.id))).toEqual(['warehouses.destination_not_allowed', 'toWarehouseId']);
    expect(await fields(ship(crypto.randomUUID()))).toEqual(['warehouses.destination_not_allowed', 'toWarehouseId']);
    expect(await fields(ship(closedCity.id))).toEqual(['warehouses.warehouse_closed', 'toWarehouseId']);
    expect(await moves()).toBe(before);
    expect(await onHand(js, jsWh.id, item('BR-02'))).toBe(40);

    const tr = await ship(cityWh.id);
    expect([tr.status, tr.toWarehouseName, tr.number.startsWith('DB-330881-')]).toEqual(['shipped', '市级备灾仓库（回调）', true]);
    expect(await onHand(js, jsWh.id, item('BR-02'))).toBe(25);
    // Shown on both sides while in transit.
    expect((await svc.listDocuments(js.ctx, { warehouseId: jsWh.id, limit: 50 })).items.map((d) => d.id)).toContain(tr.id);
    expect((await svc.listDocuments(city.ctx, { warehouseId: cityWh.id, limit: 50 })).items.map((d) => d.id)).toContain(tr.id);
    // The county cannot receive at the city; 柯城区 does not even see the document.
    expect(await code(svc.receiveTransfer(js.ctx, tr.id, { receivedOn: '2026-05-04' }))).toBe('warehouses.not_receiver');
    expect(await code(svc.receiveTransfer(kc.ctx, tr.id, { receivedOn: '2026-05-04' }))).toBe('warehouses.document_not_found');
    expect((await svc.getDocument(js.ctx, tr.id)).status).toBe('shipped');

    const got = await svc.receiveTransfer(city.ctx, tr.id, { receivedOn: '2026-05-04' });
    expect([got.status, got.receivedByName]).toEqual(['received', 'adm.city']);
    const cityBatches = await rep.listBatches(city.ctx, cityWh.id, { itemId: item('BR-02') });
    expect(cityBatches.map((b) => [b.onHand, b.sourceType])).toEqual([[15, 'transfer']]);
    expect((await rep.reconcile(city.ctx)).differences).toEqual([]);
    // The county still sees its own document, now received, and nothing of the city's stock.
    expect((await svc.getDocument(js.ctx, tr.id)).status).toBe('received');
    expect(await code(rep.listBatches(js.ctx, cityWh.id, {}))).toBe('warehouses.not_found');
  });

  it('over HTTP: the county ships up, the field is named when it aims sideways, the city receives', async () => {
    const { app } = await h().app();
    const county = new Agent(app);
    expect((await county.login('adm.js', TEST_PASSWORD)).statusCode).toBe(200);
    const town = new Agent(app);
    expect((await town.login('adm.city', TEST_PASSWORD)).statusCode).toBe(200);
    const cityWh = await warehouse(city, '市级仓库（接口）');
    const kcWh = await warehouse(kc, '柯城仓库（接口）');
    const jsWh = await warehouse(js, '江山仓库（接口）');
    await svc.receive(js.ctx, { warehouseId: jsWh.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('ZP-03'), quantity: 10, unitValueFen: 18_000 }] });
    const dest = await county.get(`/api/warehouses/${jsWh.id}/transfer-destinations`);
    expect(dest.statusCode).toBe(200);
    expect(dest.json().items.map((d: { id: string }) => d.id)).toContain(cityWh.id);
    const body = { warehouseId: jsWh.id, occurredOn: '2026-05-02', lines: [{ itemId: item('ZP-03'), quantity: 4 }] };
    const sideways = await county.post('/api/warehouses/transfers', { ...body, toWarehouseId: kcWh.id });
    expect(sideways.statusCode).toBe(422);
    expect(sideways.json().error.details[0].field).toBe('toWarehouseId');
    expect(sideways.json().error.message).toContain('上级单位');
    expect(JSON.stringify(sideways.json())).not.toContain('柯城仓库');
    const up = await county.request({ method: 'POST', url: '/api/warehouses/transfers', payload: { ...body, toWarehouseId: cityWh.id }, headers: { 'idempotency-key': `adm-up-${h().kind}` } });
    expect(up.statusCode).toBe(201);
    const refused = await county.post(`/api/warehouses/transfers/${up.json().id}/receive`, { receivedOn: '2026-05-03' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('衢州市');
    const received = await town.post(`/api/warehouses/transfers/${up.json().id}/receive`, { receivedOn: '2026-05-03' });
    expect([received.statusCode, received.json().status]).toEqual([200, 'received']);
    expect(await onHand(city, cityWh.id, item('ZP-03'))).toBe(4);
    expect(await onHand(js, jsWh.id, item('ZP-03'))).toBe(6);
  });

  it('lists the levels of a warehouse with the stock on hand', async () => {
    const w = await warehouse(js, '上下限仓库');
    await svc.receive(js.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('BR-01'), quantity: 12, unitValueFen: 1 }] });
    await svc.setLevel(js.ctx, w.id, { itemId: item('BR-01'), minQty: 20, maxQty: 200 });
    await svc.setLevel(js.ctx, w.id, { itemId: item('SP-02'), minQty: 2.5 });
    const levels = await svc.listLevels(js.ctx, w.id);
    expect(levels.map((l) => [l.itemCode, l.minQty, l.maxQty, l.onHand])).toEqual([['BR-01', 20, 200, 12], ['SP-02', 2.5, null, 0]]);
    await svc.setLevel(js.ctx, w.id, { itemId: item('BR-01'), minQty: 10 });
    expect((await svc.listLevels(js.ctx, w.id))[0]).toMatchObject({ itemCode: 'BR-01', minQty: 10, maxQty: null });
    expect(await code(svc.listLevels(kc.ctx, w.id))).toBe('warehouses.not_found');
  });

  it('edits an item: name and category always, specification and unit only while no goods of it exist; retires and restores it', async () => {
    const own = await svc.createItem(js.ctx, { code: `JS-ED-${h().kind}`, name: '应急灯', spec: '手提式', category: 'equipment', unit: '个', countUnit: true });
    // No goods yet: the specification may still be corrected.
    const fixed = await svc.updateItem(js.ctx, own.id, { version: own.version, spec: '手提式 LED', shelfLifeMonths: 60 });
    expect([fixed.spec, fixed.shelfLifeMonths, fixed.version]).toEqual(['手提式 LED', 60, own.version + 1]);
    expect(await code(svc.updateItem(js.ctx, own.id, { version: own.version, name: '旧版本' }))).toBe('conflict');
    // Same name and specification as another item: refused on the field.
    expect(await fields(svc.updateItem(js.ctx, own.id, { version: fixed.version, name: '口罩', spec: 'N95' }))).toEqual(['warehouses.item_exists', 'spec']);
    // A county cannot change the city's catalogue; an unknown item is 404.
    expect(await code(svc.updateItem(js.ctx, item('ZB-01'), { version: 1, name: '越权改名' }))).toBe('forbidden');
    expect(await code(svc.updateItem(js.ctx, crypto.randomUUID(), { version: 1, name: 'x' }))).toBe('warehouses.item_missing');

    // Goods of it in the city's warehouse (sent up by the county): the identity is now fixed, even though
    // the county cannot see the batch that fixes it.
    const jsWh = await warehouse(js, '应急灯仓库');
    const cityWh = await warehouse(city, '应急灯市仓');
    await svc.receive(js.ctx, { warehouseId: jsWh.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: own.id, quantity: 5, unitValueFen: 3_000 }] });
    const tr = await svc.shipTransfer(js.ctx, { warehouseId: jsWh.id, toWarehouseId: cityWh.id, occurredOn: '2026-05-02', lines: [{ itemId: own.id, quantity: 5 }] });
    await svc.receiveTransfer(city.ctx, tr.id, { receivedOn: '2026-05-02' });
    expect(await onHand(js, jsWh.id, own.id)).toBe(0);
    const cur = (await svc.listItems(js.ctx, { q: own.code }))[0]!;
    expect(await fields(svc.updateItem(js.ctx, own.id, { version: cur.version, spec: '头戴式' }))).toEqual(['warehouses.item_in_use', 'spec']);
    expect(await fields(svc.updateItem(js.ctx, own.id, { version: cur.version, unit: '盏' }))).toEqual(['warehouses.item_in_use', 'unit']);
    expect(await fields(svc.updateItem(js.ctx, own.id, { version: cur.version, countUnit: false }))).toEqual(['warehouses.item_in_use', 'countUnit']);
    // Sending the same values is not a change.
    const renamed = await svc.updateItem(js.ctx, own.id, { version: cur.version, name: '应急照明灯', spec: cur.spec, unit: cur.unit, category: 'other' });
    expect([renamed.name, renamed.spec, renamed.category]).toEqual(['应急照明灯', '手提式 LED', 'other']);
    expect(await audits('warehouses.item_updated', own.id)).toBe(2);

    // Retired: no new receipts; the stock that exists stays and may still leave.
    const retired = await svc.updateItem(js.ctx, own.id, { version: renamed.version, active: false });
    expect(retired.active).toBe(false);
    expect(await audits('warehouses.item_deactivated', own.id)).toBe(1);
    expect(await fields(svc.receive(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-05-03', sourceType: 'purchase', lines: [{ itemId: own.id, quantity: 1, unitValueFen: 1 }] }))).toEqual(['warehouses.item_not_found', 'lines.0.itemId']);
    expect(await onHand(city, cityWh.id, own.id)).toBe(5);
    await svc.issue(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-05-03', destination: 'unit', toOrgName: '某社区', lines: [{ itemId: own.id, quantity: 2 }] });
    expect(await onHand(city, cityWh.id, own.id)).toBe(3);
    const back = await svc.updateItem(js.ctx, own.id, { version: retired.version, active: true });
    expect(back.active).toBe(true);
    await svc.receive(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-05-04', sourceType: 'purchase', lines: [{ itemId: own.id, quantity: 1, unitValueFen: 1 }] });
    expect(await onHand(city, cityWh.id, own.id)).toBe(4);
    expect((await rep.reconcile(city.ctx)).differences).toEqual([]);
  });

  it('edits and retires bins: a bin holding stock cannot be retired; a retired bin takes no goods', async () => {
    const w = await warehouse(js, '库位仓库');
    const a = await svc.addLocation(js.ctx, w.id, { code: 'A-01', name: '一号货架' });
    const b = await svc.addLocation(js.ctx, w.id, { code: 'B-01' });
    expect(a.active).toBe(true);
    const renamed = await svc.updateLocation(js.ctx, w.id, b.id, { code: 'B-02', name: '二号货架' });
    expect(renamed).toEqual({ id: b.id, code: 'B-02', name: '二号货架', active: true });
    expect(await fields(svc.updateLocation(js.ctx, w.id, b.id, { code: 'A-01' }))).toEqual(['warehouses.code_exists', 'code']);
    const rec = await svc.receive(js.ctx, { warehouseId: w.id, occurredOn: '2026-05-01', sourceType: 'purchase', lines: [{ itemId: item('BR-01'), quantity: 8, unitValueFen: 1, locationId: a.id }] });
    expect(await fields(svc.updateLocation(js.ctx, w.id, a.id, { active: false }))).toEqual(['warehouses.location_in_use', 'active']);
    expect((await svc.getWarehouse(js.ctx, w.id)).locations.find((l) => l.id === a.id)!.active).toBe(true);
    // Emptied, it can be retired.
    await svc.issue(js.ctx, { warehouseId: w.id, occurredOn: '2026-05-02', destination: 'unit', toOrgName: '某村', lines: [{ itemId: item('BR-01'), quantity: 8, batchId: rec.lines[0]!.batchId! }] });
    const retired = await svc.updateLocation(js.ctx, w.id, a.id, { active: false });
    expect(retired.active).toBe(false);
    expect(await audits('warehouses.location_deactivated', w.id)).toBe(1);
    expect(await fields(svc.receive(js.ctx, { warehouseId: w.id, occurredOn: '2026-05-03', sourceType: 'purchase', lines: [{ itemId: item('BR-01'), quantity: 1, unitValueFen: 1, locationId: a.id }] }))).toEqual(['warehouses.location_inactive', 'lines.0.locationId']);
    expect(await code(svc.updateLocation(kc.ctx, w.id, a.id, { active: true }))).toBe('warehouses.not_found');
    expect(await fields(svc.updateLocation(js.ctx, w.id, crypto.randomUUID(), { active: true }))).toEqual(['warehouses.location_not_found', 'locationId']);
    await svc.updateLocation(js.ctx, w.id, a.id, { active: true });
    await svc.receive(js.ctx, { warehouseId: w.id, occurredOn: '2026-05-03', sourceType: 'purchase', lines: [{ itemId: item('BR-01'), quantity: 1, unitValueFen: 1, locationId: a.id }] });
    expect(await onHand(js, w.id, item('BR-01'))).toBe(1);
  });

  it('over HTTP: item and bin edits and the levels list are permission-checked and validated', async () => {
    const { app } = await h().app();
    const a = new Agent(app);
    expect((await a.login('adm.city', TEST_PASSWORD)).statusCode).toBe(200);
    const leader = await h().createUser({ username: `adm.leader`, unit: '330800', roles: ['leader'] });
    const l = new Agent(app);
    expect((await l.login(leader.username, TEST_PASSWORD)).statusCode).toBe(200);
    const w = await warehouse(city, '接口库位仓库');
    const bin = await svc.addLocation(city.ctx, w.id, { code: 'H-01' });
    const it0 = (await svc.listItems(city.ctx, { q: 'ZB-02' }))[0]!;
    expect((await l.patch(`/api/warehouses/items/${it0.id}`, { version: it0.version, name: '发电机组' })).statusCode).toBe(403);
    expect((await l.patch(`/api/warehouses/${w.id}/locations/${bin.id}`, { active: false })).statusCode).toBe(403);
    expect((await l.get(`/api/warehouses/${w.id}/levels`)).statusCode).toBe(200);
    const bad = await a.patch(`/api/warehouses/items/${it0.id}`, { version: it0.version, shelfLifeMonths: -1 });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('shelfLifeMonths');
    const ok = await a.patch(`/api/warehouses/items/${it0.id}`, { version: it0.version, name: '发电机组', active: false });
    expect([ok.statusCode, ok.json().name, ok.json().active]).toEqual([200, '发电机组', false]);
    const binOff = await a.patch(`/api/warehouses/${w.id}/locations/${bin.id}`, { active: false, name: '备用区' });
    expect([binOff.statusCode, binOff.json()]).toEqual([200, { id: bin.id, code: 'H-01', name: '备用区', active: false }]);
    await a.put(`/api/warehouses/${w.id}/levels`, { itemId: item('BR-01'), minQty: 3 });
    const levels = await a.get(`/api/warehouses/${w.id}/levels`);
    expect(levels.json().items).toEqual([{ itemId: item('BR-01'), itemCode: 'BR-01', itemName: '棉被', spec: expect.any(String), unit: '床', active: true, minQty: 3, maxQty: null, onHand: 0 }]);
  });
});
