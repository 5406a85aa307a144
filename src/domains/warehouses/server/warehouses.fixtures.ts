import type { AuthzFixtures, ForeignWorld } from '../../../../tests/support/authz.ts';
import { addAttachment } from '../../attachments/server/attachments.service.ts';
import { createPerson } from '../../people/server/people.service.ts';
import { registerWarehouseAttachments } from './warehouses.attachments.ts';
import * as svc from './warehouses.service.ts';

/**
 * 江山市 has two warehouses, a receipt from a named supplier, a flood distribution with a recipient,
 * a transfer in transit between its warehouses, a write-off awaiting approval and an open stocktake.
 */
type World = { whId: string; wh2Id: string; itemId: string; localItemId: string; locationId: string; receiptId: string; issueId: string; transferId: string; writeOffId: string; stocktakeId: string; eventId: string; sourceId: string };
const cache = new WeakMap<ForeignWorld, Promise<World>>();

function foreign(w: ForeignWorld) {
  let p = cache.get(w);
  if (!p) {
    p = (async () => {
      registerWarehouseAttachments();
      const ctx = w.user.ctx;
      const itemId = (await svc.listItems(ctx, { q: '棉被' }))[0]!.id;
      const wh = await svc.createWarehouse(ctx, { code: 'JS-AUTHZ-1', name: '江山越权测试仓库', address: '江山市测试路 9 号', gradeChecks: [], openedOn: '2024-01-01' });
      const wh2 = await svc.createWarehouse(ctx, { code: 'JS-AUTHZ-2', name: '江山第二测试仓库', address: '江山市测试路 10 号', gradeChecks: [], openedOn: '2024-01-01' });
      const local = await svc.createItem(ctx, { code: 'JS-LOCAL-1', name: '江山本地物资', spec: '', category: 'other', unit: '个', countUnit: true });
      const bin = await svc.addLocation(ctx, wh.id, { code: 'JS-BIN-1' });
      const sourceId = crypto.randomUUID();
      const receipt = await svc.receive(ctx, { warehouseId: wh.id, occurredOn: '2026-03-01', sourceType: 'donation', sourceId, supplier: '江山秘密供应商', lines: [{ itemId, quantity: 50, unitValueFen: 10_000 }] });
      const event = await svc.createEvent(ctx, { name: '江山秘密灾害', kind: 'flood', occurredOn: '2026-03-02', area: '江山秘密区域' });
      const person = await createPerson(ctx, { name: '江受助人', idType: 'passport', idNumber: 'E55554444' });
      const issue = await svc.issue(ctx, { warehouseId: wh.id, occurredOn: '2026-03-03', destination: 'distribution', eventId: event.id, recipients: [{ kind: 'person', personId: person.id, items: [{ itemId, quantity: 1 }] }] });
      const transfer = await svc.shipTransfer(ctx, { warehouseId: wh.id, toWarehouseId: wh2.id, occurredOn: '2026-03-04', lines: [{ itemId, quantity: 5 }] });
      const wo = await svc.requestWriteOff(ctx, { warehouseId: wh.id, occurredOn: '2026-03-05', reason: 'damaged', note: '江山秘密报损说明', lines: [{ batchId: receipt.lines[0]!.batchId!, quantity: 1 }] });
      await addAttachment(ctx, { ownerType: 'stock_document', ownerId: wo.id, bytes: Buffer.from('%PDF-1.4\n%%EOF\n'), fileName: 'evidence.pdf' });
      const st = await svc.createStocktake(ctx, { warehouseId: wh.id, occurredOn: '2026-03-06' });
      return { whId: wh.id, wh2Id: wh2.id, itemId, localItemId: local.id, locationId: bin.id, receiptId: receipt.id, issueId: issue.id, transferId: transfer.id, writeOffId: wo.id, stocktakeId: st.id, eventId: event.id, sourceId };
    })();
    cache.set(w, p);
  }
  return p;
}
const secrets = ['江山越权测试仓库', '江山第二测试仓库', '江山秘密供应商', '江山秘密灾害', '江山秘密区域', '江山秘密报损说明', 'JS-AUTHZ-1'];
const ids = (x: World) => [x.whId, x.wh2Id, x.receiptId, x.issueId, x.transferId, x.writeOffId, x.stocktakeId];

export const authzFixtures: AuthzFixtures = {
  'GET /api/warehouses/grades': () => ({ kind: 'not-jurisdictional', reason: 'the grade list is one configuration read by every unit' }),
  'POST /api/warehouses/grades': () => ({ kind: 'not-jurisdictional', reason: 'grades belong to the caller’s own unit; the policy refuses changing another unit’s grade' }),
  'GET /api/warehouses': async (w) => ({ kind: 'no-leak', secrets: [...secrets, ...ids(await foreign(w))] }),
  'POST /api/warehouses': (w) => ({ kind: 'foreign', body: { unitId: w.countyId, code: 'X-FOREIGN', name: '越权仓库', address: '越权', openedOn: '2024-01-01' }, secrets: [w.countyId] }),
  'GET /api/warehouses/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, secrets }),
  'PATCH /api/warehouses/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, body: { version: 1, name: '越权改名' }, secrets }),
  'POST /api/warehouses/:id/locations': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, body: { code: 'X-1' }, secrets }),
  'PATCH /api/warehouses/:id/locations/:locationId': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId, locationId: (await foreign(w)).locationId }, body: { active: false }, secrets }),
  'GET /api/warehouses/:id/levels': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, secrets }),
  'GET /api/warehouses/:id/transfer-destinations': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, secrets }),
  'PUT /api/warehouses/:id/levels': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, body: { itemId: (await foreign(w)).itemId, minQty: 1 }, secrets }),
  'GET /api/warehouses/items': () => ({ kind: 'not-jurisdictional', reason: 'the item catalogue is shared by every unit (items carry no stock)' }),
  'POST /api/warehouses/items': () => ({ kind: 'not-jurisdictional', reason: 'a new item belongs to the caller’s own unit' }),
  'PATCH /api/warehouses/items/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).localItemId }, body: { version: 1, name: '越权改名' }, secrets: [...secrets, 'JS-LOCAL-1'] }),
  'GET /api/warehouses/events': async (w) => ({ kind: 'no-leak', secrets: [...secrets, (await foreign(w)).eventId] }),
  'POST /api/warehouses/events': (w) => ({ kind: 'foreign', body: { unitId: w.countyId, name: '越权事件', kind: 'flood', occurredOn: '2026-01-01', area: '越权' }, secrets: [w.countyId] }),
  'GET /api/warehouses/:id/batches': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, secrets }),
  'GET /api/warehouses/:id/pick-suggestion': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, query: { itemId: (await foreign(w)).itemId, quantity: '1' }, secrets }),
  'GET /api/warehouses/:id/stock-card': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, query: { itemId: (await foreign(w)).itemId }, secrets }),
  'GET /api/warehouses/:id/stock-card.xlsx': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).whId }, query: { itemId: (await foreign(w)).itemId }, secrets }),
  'GET /api/warehouses/documents': async (w) => ({ kind: 'no-leak', secrets: [...secrets, ...ids(await foreign(w))] }),
  'GET /api/warehouses/documents/:id': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).issueId }, secrets }),
  'GET /api/warehouses/documents/:id/xlsx': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).receiptId }, secrets }),
  'POST /api/warehouses/receipts': async (w) => ({ kind: 'foreign', body: { warehouseId: (await foreign(w)).whId, occurredOn: '2026-03-01', sourceType: 'purchase', lines: [{ itemId: (await foreign(w)).itemId, quantity: 1, unitValueFen: 1 }] }, secrets }),
  'POST /api/warehouses/issues': async (w) => ({ kind: 'foreign', body: { warehouseId: (await foreign(w)).whId, occurredOn: '2026-03-07', destination: 'unit', toOrgName: '越权', lines: [{ itemId: (await foreign(w)).itemId, quantity: 1 }] }, secrets }),
  'POST /api/warehouses/transfers': async (w) => ({ kind: 'foreign', body: { warehouseId: (await foreign(w)).whId, toWarehouseId: (await foreign(w)).wh2Id, occurredOn: '2026-03-07', lines: [{ itemId: (await foreign(w)).itemId, quantity: 1 }] }, secrets }),
  'POST /api/warehouses/transfers/:id/receive': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).transferId }, body: { receivedOn: '2026-03-08' }, secrets }),
  'POST /api/warehouses/write-offs': async (w) => ({ kind: 'foreign', body: { warehouseId: (await foreign(w)).whId, occurredOn: '2026-03-07', reason: 'lost', note: '越权', lines: [{ batchId: (await foreign(w)).receiptId, quantity: 1 }] }, secrets }),
  'POST /api/warehouses/write-offs/:id/decision': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).writeOffId }, body: { version: 1, decision: 'approve' }, secrets }),
  'POST /api/warehouses/stocktakes': async (w) => ({ kind: 'foreign', body: { warehouseId: (await foreign(w)).whId, occurredOn: '2026-03-07' }, secrets }),
  'POST /api/warehouses/stocktakes/:id/counts': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).stocktakeId }, body: { version: 1, counts: [{ itemId: (await foreign(w)).itemId, countedQty: 1, unitValueFen: 0 }] }, secrets }),
  'POST /api/warehouses/stocktakes/:id/finalise': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).stocktakeId }, body: { version: 1 }, secrets }),
  'POST /api/warehouses/documents/:id/reverse': async (w) => ({ kind: 'foreign', params: { id: (await foreign(w)).receiptId }, body: { reason: '越权冲销', occurredOn: '2026-03-08' }, secrets }),
  'GET /api/warehouses/stock/summary': async (w) => ({ kind: 'no-leak', secrets: [...secrets, ...ids(await foreign(w))] }),
  'GET /api/warehouses/stock/summary.xlsx': async (w) => ({ kind: 'no-leak', secrets: [...secrets, ...ids(await foreign(w))] }),
  'GET /api/warehouses/stock/alerts': async (w) => ({ kind: 'no-leak', secrets: [...secrets, ...ids(await foreign(w))] }),
  'GET /api/warehouses/stock/reconciliation': async (w) => ({ kind: 'no-leak', query: { warehouseId: (await foreign(w)).whId }, secrets: [...secrets, ...ids(await foreign(w))] }),
  'GET /api/warehouses/stock/value-by-unit': async (w) => ({ kind: 'no-leak', secrets: [...secrets, w.countyId] }),
  'GET /api/warehouses/stock/coverage': async (w) => ({ kind: 'no-leak', secrets: [...secrets, ...ids(await foreign(w))] }),
  'GET /api/warehouses/trace': async (w) => ({ kind: 'no-leak', query: { sourceType: 'donation', sourceId: (await foreign(w)).sourceId }, secrets: [...secrets, ...ids(await foreign(w))] }),
};
