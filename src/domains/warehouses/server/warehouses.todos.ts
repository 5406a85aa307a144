import { sql } from 'kysely';
import type { Ctx } from '../../../platform/context.ts';
import { hasPermission } from '../../../platform/context.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { registerTodoProvider, type TodoItem } from '../../../platform/todos.ts';

const label = (ctx: Ctx, zh: string, en: string) => (ctx.lang === 'en' ? en : zh);
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * The warehouse work that waits for the caller, within their jurisdiction: write-offs to approve
 * (never their own request), transfers in transit to their own unit's warehouses, stocktakes of warehouses they
 * manage still being counted, and expired goods still on the shelf (they leave by write-off).
 */
export async function warehouseTodos(ctx: Ctx): Promise<TodoItem[]> {
  if (!hasPermission(ctx.actor, 'warehouses.read')) return [];
  const me = ctx.actor.userId ?? NO_USER;
  const today = shanghaiDate(ctx.deps.clock.now());
  return ctx.run(async (trx) => {
    const r = await sql<{ write_offs: number; arriving: number; counting: number; expired: number }>`
      select
        (select count(*)::int from stock_document d where d.kind = 'write_off' and d.status = 'requested' and coalesce(d.requested_by, ${NO_USER}::uuid) <> ${me}::uuid) as write_offs,
        (select count(*)::int from stock_document d where d.kind = 'transfer' and d.status = 'shipped' and d.to_unit_id = ${ctx.actor.unitId ?? NO_USER}::uuid) as arriving,
        (select count(*)::int from stock_document d join warehouse w on w.id = d.warehouse_id where d.kind = 'stocktake' and d.status = 'counting' and w.manager_user_id = ${me}::uuid) as counting,
        (select count(*)::int from stock_batch b where b.on_hand > 0 and b.expiry_date < ${today}::date) as expired`.execute(trx);
    const n = r.rows[0]!;
    const items: TodoItem[] = [];
    const path = '/warehouses/documents';
    if (hasPermission(ctx.actor, 'warehouses.approve')) {
      items.push({ key: 'warehouses.write_off', domain: 'warehouses', count: n.write_offs, label: label(ctx, `${n.write_offs} 张报损单待您审批`, `${n.write_offs} write-off(s) await your approval`), path, severity: 'normal' });
      items.push({ key: 'warehouses.stocktake', domain: 'warehouses', count: n.counting, label: label(ctx, `${n.counting} 次盘点待您定稿`, `${n.counting} stocktake(s) to finalise`), path, severity: 'normal' });
    }
    if (hasPermission(ctx.actor, 'warehouses.write')) {
      items.push({ key: 'warehouses.arriving', domain: 'warehouses', count: n.arriving, label: label(ctx, `${n.arriving} 张调拨单在途，到货后请收货`, `${n.arriving} transfer(s) in transit to receive`), path, severity: 'normal' });
      items.push({ key: 'warehouses.expired', domain: 'warehouses', count: n.expired, label: label(ctx, `${n.expired} 批物资已过期仍在库，请报损`, `${n.expired} expired batch(es) still in stock: write them off`), path: '/warehouses/summary', severity: 'urgent' });
    }
    return items;
  });
}

export function registerWarehouseTodos() {
  registerTodoProvider('warehouses', warehouseTodos);
}
