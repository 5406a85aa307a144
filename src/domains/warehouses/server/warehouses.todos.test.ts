import { beforeAll, expect, it } from 'vitest';
import { describeDb, type TestUser } from '../../../../tests/support/harness.ts';
import { todosFor } from '../../../platform/todos.ts';
import * as svc from './warehouses.service.ts';
import { registerWarehouseTodos } from './warehouses.todos.ts';

describeDb('warehouse to-dos on the home page', (h) => {
  let keeper: TestUser;
  let approver: TestUser;
  let js: TestUser;
  let items: Map<string, string>;
  beforeAll(async () => {
    registerWarehouseTodos();
    keeper = await h().createUser({ username: 'wt.keeper', unit: '330824', roles: ['staff'] });
    approver = await h().createUser({ username: 'wt.approver', unit: '330824', roles: ['staff'] });
    js = await h().createUser({ username: 'wt.js', unit: '330881', roles: ['staff'] });
    items = new Map((await svc.listItems(keeper.ctx, {})).map((i) => [i.code, i.id]));
  });
  const mine = async (u: TestUser) => new Map((await todosFor(u.ctx)).filter((i) => i.domain === 'warehouses').map((i) => [i.key, i]));

  it('names the write-off to approve (not to its requester), the transfer to receive, and expired goods on the shelf', async () => {
    const wh = await svc.createWarehouse(keeper.ctx, { code: `WT-${h().kind}-1`, name: '开化县备灾仓库', address: '开化县某路', gradeChecks: [], openedOn: '2024-01-01' });
    const jsWh = await svc.createWarehouse(js.ctx, { code: `WT-${h().kind}-2`, name: '江山市备灾仓库', address: '江山市某路', gradeChecks: [], openedOn: '2024-01-01' });
    // Water that expired before the test clock's 2026-06-01.
    const old = await svc.receive(keeper.ctx, { warehouseId: wh.id, occurredOn: '2025-01-02', sourceType: 'purchase', lines: [{ itemId: items.get('SP-01')!, quantity: 40, unitValueFen: 200, expiryDate: '2026-01-31' }] });
    await svc.receive(keeper.ctx, { warehouseId: wh.id, occurredOn: '2026-05-02', sourceType: 'purchase', lines: [{ itemId: items.get('BR-01')!, quantity: 50, unitValueFen: 8000 }] });
    expect((await mine(keeper)).get('warehouses.expired')).toMatchObject({ count: 1, severity: 'urgent' });

    await svc.requestWriteOff(keeper.ctx, { warehouseId: wh.id, occurredOn: '2026-06-01', reason: 'expired', note: '饮用水过期', lines: [{ batchId: old.lines[0]!.batchId!, quantity: 40 }] });
    expect((await mine(keeper)).has('warehouses.write_off')).toBe(false);
    expect((await mine(approver)).get('warehouses.write_off')).toMatchObject({ count: 1, label: '1 张报损单待您审批' });

    // A transfer from the city to 江山市 waits for 江山市 to receive it, not for 开化县 or the sender.
    const city = await h().createUser({ username: 'wt.city', unit: '330800', roles: ['staff'] });
    const cityWh = await svc.createWarehouse(city.ctx, { code: `WT-${h().kind}-3`, name: '衢州市备灾仓库', address: '衢州市某路', gradeChecks: [], openedOn: '2024-01-01' });
    await svc.receive(city.ctx, { warehouseId: cityWh.id, occurredOn: '2026-05-02', sourceType: 'purchase', lines: [{ itemId: items.get('BR-01')!, quantity: 10, unitValueFen: 8000 }] });
    const tr = await svc.shipTransfer(city.ctx, { warehouseId: cityWh.id, toWarehouseId: jsWh.id, occurredOn: '2026-06-01', lines: [{ itemId: items.get('BR-01')!, quantity: 5 }] });
    expect((await mine(js)).get('warehouses.arriving')).toMatchObject({ count: 1 });
    expect((await mine(keeper)).has('warehouses.arriving')).toBe(false);
    expect((await mine(city)).has('warehouses.arriving')).toBe(false);
    await svc.receiveTransfer(js.ctx, tr.id, { receivedOn: '2026-06-01' });
    expect((await mine(js)).has('warehouses.arriving')).toBe(false);
  });
});
