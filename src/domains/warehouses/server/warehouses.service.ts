import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Ctx, Trx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { listAttachments } from '../../attachments/server/attachments.service.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import { getPerson } from '../../people/server/people.service.ts';
import type {
  CountStocktake,
  CreateIssue,
  CreateItem,
  CreateReceipt,
  CreateTransfer,
  CreateWarehouse,
  CreateWriteOff,
  DocKind,
  DocumentListQuery,
  DocumentSummary,
  Grade,
  Item,
  ItemLevel,
  PickLine,
  ReceiveLine,
  StockDocument,
  TransferDestination,
  UpdateItem,
  UpdateLocation,
  UpdateWarehouse,
  Warehouse,
} from '../warehouses.contract.ts';
import { logStockDocument } from './warehouses.ledger.ts';
import * as repo from './warehouses.repository.ts';

/**
 * Relief-supply stock (docs/decisions/0013).
 * - Stock lives per batch; `on_hand` changes only together with an append-only movement, by a conditional
 *   update under a row lock (batches locked in id order); a CHECK keeps it ≥ 0 and a commit-time trigger
 *   keeps it equal to the sum of its movements.
 * - Every posting is one function running one transaction (the ledger append joins as its last statement).
 * - Posted documents never change; corrections are reversing documents (红冲).
 */

const { num, q3 } = repo;
const PREFIX: Record<DocKind, string> = { receive: 'RK', issue: 'CK', transfer: 'DB', write_off: 'BS', stocktake: 'PD' };

const field = (path: string, message: string, code = 'invalid') => [{ field: path, code, message }];
const fmt = (n: number) => String(Number(n.toFixed(3)));

function actorName(ctx: Ctx) {
  return ctx.actor.displayName ?? ctx.actor.username;
}

function today(ctx: Ctx) {
  return shanghaiDate(ctx.deps.clock.now());
}

/** 王小明 → 王*明, 王明 → 王*: household heads on distribution lists and traces. */
export function maskName(name: string) {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

async function visibleWarehouse(ctx: Ctx, trx: Trx, id: string, opts: { field?: string; lock?: boolean; active?: boolean } = {}) {
  const w = await repo.warehouseRow(trx, id, opts.lock);
  if (!w) {
    if (opts.field) throw new DomainError('warehouses.not_found', undefined, field(opts.field, '仓库不存在或不在管辖范围内', 'not_found'));
    throw new DomainError('warehouses.not_found');
  }
  if (opts.active && w.status !== 'active') throw new DomainError('warehouses.warehouse_closed', { name: w.name }, field(opts.field ?? 'warehouseId', '仓库已停用'));
  return w;
}

function checkQuantity(item: repo.ItemRow, qty: number, path: string) {
  if (item.count_unit && !Number.isInteger(qty)) {
    throw new DomainError('warehouses.fractional_quantity', { item: itemLabel(item), unit: item.unit, field: path }, field(path, `以${item.unit}计，须为整数`));
  }
}
const itemLabel = (i: { name: string; spec: string }) => (i.spec ? `${i.name}（${i.spec}）` : i.name);

/**
 * The lines' items. A retired (inactive) item takes no new goods, but the goods already in stock may
 * still leave: issues and transfers pass `{ retiredOk: true }`.
 */
async function loadItems(trx: Trx, lines: { itemId: string }[], prefix: string, opts: { retiredOk?: boolean } = {}) {
  const items = await repo.itemsByIds(trx, lines.map((l) => l.itemId));
  lines.forEach((l, i) => {
    const it = items.get(l.itemId);
    if (!it || (!it.active && !opts.retiredOk)) throw new DomainError('warehouses.item_not_found', { field: `${prefix}.${i}.itemId` }, field(`${prefix}.${i}.itemId`, '物资不存在或已停用', 'not_found'));
  });
  return items;
}

async function checkLocation(trx: Trx, warehouseId: string, locationId: string | null | undefined, path: string) {
  if (!locationId) return null;
  // A share lock: a bin being retired meanwhile waits for this posting and then sees its goods.
  const loc = await trx.selectFrom('warehouse_location').select(['id', 'code', 'active']).where('id', '=', locationId).where('warehouse_id', '=', warehouseId).forShare().executeTakeFirst();
  if (!loc) throw new DomainError('warehouses.location_not_found', { field: path }, field(path, '库位不属于该仓库', 'not_found'));
  if (!loc.active) throw new DomainError('warehouses.location_inactive', { code: loc.code, field: path }, field(path, `库位 ${loc.code} 已停用`));
  return loc.id;
}

function addMonths(date: string, months: number) {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

async function newDocument(trx: Trx, ctx: Ctx, w: repo.WarehouseRow, d: { kind: DocKind; status: string; occurredOn: string; reverses?: string | null; prefix?: string } & Partial<Record<'source_type' | 'source_id' | 'source_ref' | 'supplier' | 'destination' | 'event_id' | 'to_unit_id' | 'to_org_name' | 'to_warehouse_id' | 'reason' | 'note' | 'requested_by' | 'requested_by_name', string | null>>) {
  const id = crypto.randomUUID();
  const number = await repo.nextNumber(trx, { id: w.org_unit_id, code: w.unit_code }, d.prefix ?? PREFIX[d.kind], Number(d.occurredOn.slice(0, 4)));
  await trx
    .insertInto('stock_document')
    .values({
      id, org_unit_id: w.org_unit_id, warehouse_id: w.id, kind: d.kind, number, status: d.status, occurred_on: d.occurredOn, reverses: d.reverses ?? null,
      source_type: d.source_type ?? null, source_id: d.source_id ?? null, source_ref: d.source_ref ?? null, supplier: d.supplier ?? null, destination: d.destination ?? null,
      event_id: d.event_id ?? null, to_unit_id: d.to_unit_id ?? null, to_org_name: d.to_org_name ?? null, to_warehouse_id: d.to_warehouse_id ?? null, reason: d.reason ?? null,
      note: d.note ?? null, requested_by: d.requested_by ?? null, requested_by_name: d.requested_by_name ?? null, approved_by: null, approved_by_name: null, decided_at: null,
      reject_reason: null, received_by: null, received_by_name: null, received_at: null, received_on: null, created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId, created_by_name: actorName(ctx),
    })
    .execute();
  return { id, number };
}

// ---------------------------------------------------------------- grades, warehouses, bins

const toGrade = (r: { id: string; code: string; name: string; criteria: unknown; sort_order: number; version: number }): Grade => ({ id: r.id, code: r.code, name: r.name, criteria: r.criteria as string[], sortOrder: r.sort_order, version: r.version });

export async function listGrades(ctx: Ctx) {
  requirePermission(ctx, 'warehouses.read');
  const rows = await ctx.run((trx) => trx.selectFrom('warehouse_grade').selectAll().orderBy('sort_order').orderBy('code').execute());
  return rows.map(toGrade);
}

export async function saveGrade(ctx: Ctx, input: { code: string; name: string; criteria: string[]; sortOrder: number }) {
  requirePermission(ctx, 'warehouses.admin');
  if (!ctx.actor.unitId && ctx.actor.kind !== 'system') throw new DomainError('forbidden');
  return ctx.run(async (trx) => {
    const existing = await trx.selectFrom('warehouse_grade').selectAll().where('code', '=', input.code).executeTakeFirst();
    let row;
    if (existing) {
      row = await trx.updateTable('warehouse_grade').set({ name: input.name, criteria: JSON.stringify(input.criteria), sort_order: input.sortOrder, version: existing.version + 1 }).where('id', '=', existing.id).returningAll().executeTakeFirst();
      // Visible but outside the caller's scope (a county looking at the city's list): the policy refused the update.
      if (!row) throw new DomainError('forbidden');
    } else {
      row = await trx.insertInto('warehouse_grade').values({ id: crypto.randomUUID(), org_unit_id: ctx.actor.unitId!, code: input.code, name: input.name, criteria: JSON.stringify(input.criteria), sort_order: input.sortOrder, created_at: ctx.deps.clock.now() }).returningAll().executeTakeFirstOrThrow();
    }
    await recordAudit(ctx, { action: 'warehouses.grade_saved', entityType: 'warehouse_grade', entityId: row.id, unitId: row.org_unit_id, before: existing ? { name: existing.name, criteria: existing.criteria } : undefined, after: { code: row.code, name: row.name, criteria: input.criteria } });
    return toGrade(row);
  });
}

async function toWarehouse(trx: Trx, id: string): Promise<Warehouse | null> {
  const r = await sql<{ id: string; org_unit_id: string; unit_name: string; code: string; name: string; address: string; area_m2: string | null; capacity_m3: string | null; manager_user_id: string | null; manager_name: string | null; manager_phone: string | null; grade_id: string | null; grade_name: string | null; grade_checks: string[]; grade_criteria: string[] | null; status: 'active' | 'closed'; opened_on: string; version: number; value: string }>`
    select w.*, u.name as unit_name, g.name as grade_name, g.criteria as grade_criteria,
      coalesce((select sum(b.on_hand * b.unit_value_fen) from stock_batch b where b.warehouse_id = w.id and b.on_hand > 0), 0)::text as value
    from warehouse w join org_unit u on u.id = w.org_unit_id left join warehouse_grade g on g.id = w.grade_id where w.id = ${id}`.execute(trx);
  const w = r.rows[0];
  if (!w) return null;
  const locations = await repo.locationsOf(trx, id);
  return {
    id: w.id, unitId: w.org_unit_id, unitName: w.unit_name, code: w.code, name: w.name, address: w.address, areaM2: w.area_m2 === null ? null : Number(w.area_m2), capacityM3: w.capacity_m3 === null ? null : Number(w.capacity_m3),
    managerUserId: w.manager_user_id, managerName: w.manager_name, managerPhone: w.manager_phone, gradeId: w.grade_id, gradeName: w.grade_name, gradeChecks: w.grade_checks, gradeCriteria: w.grade_criteria ?? [],
    status: w.status, openedOn: w.opened_on, locations, stockValueFen: Math.round(Number(w.value)), version: w.version,
  };
}

export async function listWarehouses(ctx: Ctx) {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const ids = await sql<{ id: string }>`select w.id from warehouse w join org_unit u on u.id = w.org_unit_id order by u.path, w.code`.execute(trx);
    const out: Warehouse[] = [];
    for (const { id } of ids.rows) out.push((await toWarehouse(trx, id))!);
    return out;
  });
}

export async function getWarehouse(ctx: Ctx, id: string) {
  requirePermission(ctx, 'warehouses.read');
  const w = await ctx.run((trx) => toWarehouse(trx, id));
  if (!w) throw new DomainError('warehouses.not_found');
  return w;
}

async function checkGrade(trx: Trx, gradeId: string | null | undefined, checks: string[] | undefined) {
  if (!gradeId) return;
  const g = await trx.selectFrom('warehouse_grade').select(['criteria']).where('id', '=', gradeId).executeTakeFirst();
  if (!g) throw new DomainError('validation_failed', undefined, field('gradeId', '等级不存在', 'not_found'));
  const criteria = g.criteria as string[];
  (checks ?? []).forEach((c, i) => {
    if (!criteria.includes(c)) throw new DomainError('validation_failed', undefined, field(`gradeChecks.${i}`, `“${c}”不是该等级的评定标准`));
  });
}

async function checkManager(ctx: Ctx, managerUserId: string | null | undefined) {
  if (!managerUserId) return;
  const u = await ctx.run((trx) => trx.selectFrom('app_user').select('id').where('id', '=', managerUserId).executeTakeFirst());
  if (!u) throw new DomainError('validation_failed', undefined, field('managerUserId', '负责人账户不存在或不在管辖范围内', 'not_found'));
}

export async function createWarehouse(ctx: Ctx, input: CreateWarehouse) {
  requirePermission(ctx, 'warehouses.admin');
  const unitId = input.unitId ?? ctx.actor.unitId;
  const unit = unitId ? await unitBrief(ctx, unitId) : null;
  if (!unit) throw new DomainError('warehouses.unit_not_found', undefined, field('unitId', '单位不存在或不在管辖范围内', 'not_found'));
  await checkManager(ctx, input.managerUserId);
  return ctx.run(async (trx) => {
    await checkGrade(trx, input.gradeId, input.gradeChecks);
    const dup = await trx.selectFrom('warehouse').select('id').where('code', '=', input.code).executeTakeFirst();
    if (dup) throw new DomainError('warehouses.code_exists', { code: input.code }, field('code', '仓库编码已存在', 'duplicate'));
    const id = crypto.randomUUID();
    await trx
      .insertInto('warehouse')
      .values({ id, org_unit_id: unit.id, code: input.code, name: input.name, address: input.address, area_m2: input.areaM2 ?? null, capacity_m3: input.capacityM3 ?? null, manager_user_id: input.managerUserId ?? null, manager_name: input.managerName ?? null, manager_phone: input.managerPhone ?? null, grade_id: input.gradeId ?? null, grade_checks: JSON.stringify(input.gradeChecks), status: 'active', opened_on: input.openedOn, closed_on: null, created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId })
      .execute();
    await recordAudit(ctx, { action: 'warehouses.warehouse_created', entityType: 'warehouse', entityId: id, unitId: unit.id, after: { code: input.code, name: input.name, address: input.address, gradeId: input.gradeId ?? null } });
    return (await toWarehouse(trx, id))!;
  });
}

export async function updateWarehouse(ctx: Ctx, id: string, input: UpdateWarehouse) {
  requirePermission(ctx, 'warehouses.admin');
  await checkManager(ctx, input.managerUserId);
  return ctx.run(async (trx) => {
    const before = await trx.selectFrom('warehouse').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('warehouses.not_found');
    if (before.version !== input.version) throw new DomainError('conflict');
    const gradeId = input.gradeId === undefined ? before.grade_id : input.gradeId;
    const checks = input.gradeChecks ?? (input.gradeId !== undefined && input.gradeId !== before.grade_id ? [] : (before.grade_checks as string[]));
    await checkGrade(trx, gradeId, checks);
    const status = input.status ?? before.status;
    await trx
      .updateTable('warehouse')
      .set({
        name: input.name ?? before.name, address: input.address ?? before.address, area_m2: input.areaM2 === undefined ? before.area_m2 : input.areaM2, capacity_m3: input.capacityM3 === undefined ? before.capacity_m3 : input.capacityM3,
        manager_user_id: input.managerUserId === undefined ? before.manager_user_id : input.managerUserId, manager_name: input.managerName === undefined ? before.manager_name : input.managerName,
        manager_phone: input.managerPhone === undefined ? before.manager_phone : input.managerPhone, grade_id: gradeId, grade_checks: JSON.stringify(checks), opened_on: input.openedOn ?? before.opened_on,
        status, closed_on: status === 'closed' ? (before.closed_on ?? today(ctx)) : null, version: before.version + 1,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(ctx, { action: 'warehouses.warehouse_updated', entityType: 'warehouse', entityId: id, unitId: before.org_unit_id, before: { name: before.name, gradeId: before.grade_id, gradeChecks: before.grade_checks, status: before.status, managerUserId: before.manager_user_id }, after: { name: input.name, gradeId, gradeChecks: checks, status, managerUserId: input.managerUserId } });
    return (await toWarehouse(trx, id))!;
  });
}

export async function addLocation(ctx: Ctx, warehouseId: string, input: { code: string; name?: string | null | undefined }) {
  requirePermission(ctx, 'warehouses.admin');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, warehouseId);
    const exists = await trx.selectFrom('warehouse_location').select('id').where('warehouse_id', '=', w.id).where('code', '=', input.code).executeTakeFirst();
    if (exists) throw new DomainError('warehouses.code_exists', { code: input.code }, field('code', '库位编码已存在', 'duplicate'));
    const id = crypto.randomUUID();
    await trx.insertInto('warehouse_location').values({ id, org_unit_id: w.org_unit_id, warehouse_id: w.id, code: input.code, name: input.name ?? null }).execute();
    await recordAudit(ctx, { action: 'warehouses.location_added', entityType: 'warehouse', entityId: w.id, unitId: w.org_unit_id, after: { code: input.code, name: input.name ?? null } });
    return { id, code: input.code, name: input.name ?? null, active: true };
  });
}

/** Renames a bin or retires it (refused while any batch in it has stock) or brings it back. */
export async function updateLocation(ctx: Ctx, warehouseId: string, locationId: string, input: UpdateLocation) {
  requirePermission(ctx, 'warehouses.admin');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, warehouseId);
    const before = await trx.selectFrom('warehouse_location').selectAll().where('id', '=', locationId).where('warehouse_id', '=', w.id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('warehouses.location_not_found', { field: 'locationId' }, field('locationId', '库位不属于该仓库', 'not_found'));
    const code = input.code ?? before.code;
    if (code !== before.code) {
      const dup = await trx.selectFrom('warehouse_location').select('id').where('warehouse_id', '=', w.id).where('code', '=', code).executeTakeFirst();
      if (dup) throw new DomainError('warehouses.code_exists', { code }, field('code', '库位编码已存在', 'duplicate'));
    }
    const active = input.active ?? before.active;
    if (before.active && !active) {
      const held = await sql<{ n: number }>`select count(*)::int as n from stock_batch where location_id = ${locationId} and on_hand > 0`.execute(trx);
      const n = held.rows[0]!.n;
      if (n > 0) throw new DomainError('warehouses.location_in_use', { code: before.code, count: n }, field('active', `库位尚有 ${n} 个批次有库存`, 'in_use'));
    }
    const name = input.name === undefined ? before.name : input.name;
    await trx.updateTable('warehouse_location').set({ code, name, active }).where('id', '=', locationId).execute();
    const action = before.active === active ? 'warehouses.location_updated' : active ? 'warehouses.location_reactivated' : 'warehouses.location_deactivated';
    await recordAudit(ctx, { action, entityType: 'warehouse', entityId: w.id, unitId: w.org_unit_id, before: { locationId, code: before.code, name: before.name, active: before.active }, after: { locationId, code, name, active } });
    return { id: locationId, code, name, active };
  });
}

// ---------------------------------------------------------------- items and levels

const toItem = (r: repo.ItemRow): Item => ({ id: r.id, code: r.code, name: r.name, spec: r.spec, category: r.category as Item['category'], unit: r.unit, countUnit: r.count_unit, shelfLifeMonths: r.shelf_life_months, standard: r.standard, active: r.active, version: r.version });

export async function listItems(ctx: Ctx, q: { q?: string | undefined; category?: string | undefined }) {
  requirePermission(ctx, 'warehouses.read');
  const rows = await ctx.run((trx) => {
    let s = trx.selectFrom('relief_item').select(['id', 'code', 'name', 'spec', 'category', 'unit', 'count_unit', 'shelf_life_months', 'standard', 'active', 'version']).orderBy('code');
    if (q.category) s = s.where('category', '=', q.category);
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      s = s.where((eb) => eb.or([eb('name', 'like', like), eb('code', 'like', like), eb('spec', 'like', like)]));
    }
    return s.limit(1000).execute();
  });
  return rows.map((r) => toItem(r as repo.ItemRow));
}

export async function createItem(ctx: Ctx, input: CreateItem) {
  requirePermission(ctx, 'warehouses.admin');
  if (!ctx.actor.unitId) throw new DomainError('forbidden');
  return ctx.run(async (trx) => {
    const dup = await trx.selectFrom('relief_item').select(['code', 'name', 'spec']).where((eb) => eb.or([eb('code', '=', input.code), eb.and([eb('name', '=', input.name), eb('spec', '=', input.spec)])])).executeTakeFirst();
    if (dup) throw new DomainError('warehouses.item_exists', { name: itemLabel(dup) }, field(dup.code === input.code ? 'code' : 'spec', dup.code === input.code ? '物资编码已存在' : '同名同规格的物资已存在', 'duplicate'));
    const row = await trx
      .insertInto('relief_item')
      .values({ id: crypto.randomUUID(), org_unit_id: ctx.actor.unitId!, code: input.code, name: input.name, spec: input.spec, category: input.category, unit: input.unit, count_unit: input.countUnit, shelf_life_months: input.shelfLifeMonths ?? null, standard: false, active: true, created_at: ctx.deps.clock.now() })
      .returning(['id', 'code', 'name', 'spec', 'category', 'unit', 'count_unit', 'shelf_life_months', 'standard', 'active', 'version'])
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, { action: 'warehouses.item_created', entityType: 'relief_item', entityId: row.id, after: input });
    return toItem(row as repo.ItemRow);
  });
}

/**
 * Edits a catalogue item (optimistic version). Specification, unit and counting are the item's identity
 * once goods of it exist anywhere (a batch or a count line — possibly in a warehouse the caller cannot
 * see): changing them is refused; the rest, and retiring or restoring the item, is always allowed.
 * The catalogue is read by every unit but changed only by the unit that owns the item.
 */
export async function updateItem(ctx: Ctx, id: string, input: UpdateItem) {
  requirePermission(ctx, 'warehouses.admin');
  return ctx.run(async (trx) => {
    const seen = await trx.selectFrom('relief_item').select('id').where('id', '=', id).executeTakeFirst();
    if (!seen) throw new DomainError('warehouses.item_missing');
    // The lock needs the update policy: another unit's item is visible but not lockable.
    const before = await trx.selectFrom('relief_item').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('forbidden');
    if (before.version !== input.version) throw new DomainError('conflict');
    const next = {
      name: input.name ?? before.name, spec: input.spec ?? before.spec, category: input.category ?? before.category, unit: input.unit ?? before.unit,
      count_unit: input.countUnit ?? before.count_unit, shelf_life_months: input.shelfLifeMonths === undefined ? before.shelf_life_months : input.shelfLifeMonths, active: input.active ?? before.active,
    };
    const identity = ([['spec', 'spec'], ['unit', 'unit'], ['count_unit', 'countUnit']] as const).filter(([col]) => next[col] !== before[col]);
    if (identity.length && (await repo.itemInUse(trx, id))) {
      const f = identity[0]![1];
      throw new DomainError('warehouses.item_in_use', { item: itemLabel(before), field: f }, identity.map(([, name]) => ({ field: name, code: 'in_use', message: '已有入库批次或盘点记录，不能修改' })));
    }
    if (next.name !== before.name || next.spec !== before.spec) {
      const dup = await trx.selectFrom('relief_item').select(['code', 'name', 'spec']).where('name', '=', next.name).where('spec', '=', next.spec).where('id', '<>', id).executeTakeFirst();
      if (dup) throw new DomainError('warehouses.item_exists', { name: itemLabel(dup) }, field(next.spec !== before.spec ? 'spec' : 'name', `同名同规格的物资已存在（${dup.code}）`, 'duplicate'));
    }
    const row = await trx.updateTable('relief_item').set({ ...next, version: before.version + 1 }).where('id', '=', id).returning(['id', 'code', 'name', 'spec', 'category', 'unit', 'count_unit', 'shelf_life_months', 'standard', 'active', 'version']).executeTakeFirstOrThrow();
    const pick = (r: typeof next) => ({ name: r.name, spec: r.spec, category: r.category, unit: r.unit, countUnit: r.count_unit, shelfLifeMonths: r.shelf_life_months, active: r.active });
    const action = before.active === next.active ? 'warehouses.item_updated' : next.active ? 'warehouses.item_reactivated' : 'warehouses.item_deactivated';
    await recordAudit(ctx, { action, entityType: 'relief_item', entityId: id, unitId: before.org_unit_id, before: pick(before), after: pick(next) });
    return toItem(row as repo.ItemRow);
  });
}

/** The minimum and maximum levels set for a warehouse, with the stock on hand of each item. */
export async function listLevels(ctx: Ctx, warehouseId: string): Promise<ItemLevel[]> {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, warehouseId);
    const rows = await repo.levelsOf(trx, w.id);
    return rows.map((r) => ({ itemId: r.item_id, itemCode: r.code, itemName: r.name, spec: r.spec, unit: r.unit, active: r.active, minQty: num(r.min_qty), maxQty: r.max_qty === null ? null : num(r.max_qty), onHand: num(r.on_hand) }));
  });
}

export async function setLevel(ctx: Ctx, warehouseId: string, input: { itemId: string; minQty: number; maxQty?: number | null | undefined }) {
  requirePermission(ctx, 'warehouses.admin');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, warehouseId);
    const items = await loadItems(trx, [input], 'levels');
    const it = items.get(input.itemId)!;
    checkQuantity(it, input.minQty, 'minQty');
    if (input.maxQty != null) checkQuantity(it, input.maxQty, 'maxQty');
    await trx
      .insertInto('item_level')
      .values({ org_unit_id: w.org_unit_id, warehouse_id: w.id, item_id: it.id, min_qty: q3(input.minQty), max_qty: input.maxQty == null ? null : q3(input.maxQty) })
      .onConflict((oc) => oc.columns(['warehouse_id', 'item_id']).doUpdateSet({ min_qty: q3(input.minQty), max_qty: input.maxQty == null ? null : q3(input.maxQty) }))
      .execute();
    await recordAudit(ctx, { action: 'warehouses.level_set', entityType: 'warehouse', entityId: w.id, unitId: w.org_unit_id, after: { itemId: it.id, minQty: input.minQty, maxQty: input.maxQty ?? null } });
    return { itemId: it.id, minQty: input.minQty, maxQty: input.maxQty ?? null };
  });
}

// ---------------------------------------------------------------- disaster events

export async function createEvent(ctx: Ctx, input: { unitId?: string | undefined; name: string; kind: string; occurredOn: string; area: string; note?: string | null | undefined }) {
  requirePermission(ctx, 'warehouses.write');
  const unitId = input.unitId ?? ctx.actor.unitId;
  const unit = unitId ? await unitBrief(ctx, unitId) : null;
  if (!unit) throw new DomainError('warehouses.unit_not_found', undefined, field('unitId', '单位不存在或不在管辖范围内', 'not_found'));
  return ctx.run(async (trx) => {
    const id = crypto.randomUUID();
    await trx.insertInto('disaster_event').values({ id, org_unit_id: unit.id, name: input.name, kind: input.kind, occurred_on: input.occurredOn, area: input.area, note: input.note ?? null, created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId }).execute();
    await recordAudit(ctx, { action: 'warehouses.event_created', entityType: 'disaster_event', entityId: id, unitId: unit.id, after: { name: input.name, kind: input.kind, occurredOn: input.occurredOn, area: input.area } });
    return (await listEventsIn(trx, id))[0]!;
  });
}

async function listEventsIn(trx: Trx, id?: string) {
  const r = await sql<{ id: string; org_unit_id: string; unit_name: string; name: string; kind: string; occurred_on: string; area: string; note: string | null; docs: number; recipients: number }>`
    select e.id, e.org_unit_id, u.name as unit_name, e.name, e.kind, e.occurred_on, e.area, e.note,
      (select count(*)::int from stock_document d where d.event_id = e.id and d.reverses is null) as docs,
      (select count(*)::int from distribution_recipient r join stock_document d on d.id = r.document_id where d.event_id = e.id) as recipients
    from disaster_event e join org_unit u on u.id = e.org_unit_id ${id ? sql`where e.id = ${id}` : sql``} order by e.occurred_on desc, e.name limit 500`.execute(trx);
  return r.rows.map((e) => ({ id: e.id, unitId: e.org_unit_id, unitName: e.unit_name, name: e.name, kind: e.kind as 'flood', occurredOn: e.occurred_on, area: e.area, note: e.note, issuedDocuments: e.docs, recipients: e.recipients }));
}

export async function listEvents(ctx: Ctx) {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run((trx) => listEventsIn(trx));
}

// ---------------------------------------------------------------- receiving

export type ReceiveInput = { warehouseId: string; occurredOn: string; sourceType: 'purchase' | 'donation' | 'allocation'; sourceId?: string | null | undefined; sourceRef?: string | null | undefined; supplier?: string | null | undefined; note?: string | null | undefined; lines: ReceiveLine[] };

/**
 * Receives goods in the caller's open transaction (the receiving note, one batch per line, one movement
 * per batch). Used by `receive` and by other domains (goods donations) that post in their own transaction.
 */
export async function postReceiptInTrx(ctx: Ctx, trx: Trx, input: ReceiveInput) {
  requirePermission(ctx, 'warehouses.write');
  const w = await visibleWarehouse(ctx, trx, input.warehouseId, { field: 'warehouseId', active: true });
  const items = await loadItems(trx, input.lines, 'lines');
  const prepared = [];
  for (const [i, l] of input.lines.entries()) {
    const it = items.get(l.itemId)!;
    checkQuantity(it, l.quantity, `lines.${i}.quantity`);
    const locationId = await checkLocation(trx, w.id, l.locationId, `lines.${i}.locationId`);
    // The expiry follows from the production date and the shelf life when the label gives none.
    const expiry = l.expiryDate ?? (l.productionDate && it.shelf_life_months ? addMonths(l.productionDate, it.shelf_life_months) : null);
    if (expiry && l.productionDate && expiry < l.productionDate) throw new DomainError('validation_failed', undefined, field(`lines.${i}.expiryDate`, '有效期不能早于生产日期'));
    prepared.push({ ...l, locationId, expiry });
  }
  const doc = await newDocument(trx, ctx, w, { kind: 'receive', status: 'posted', occurredOn: input.occurredOn, source_type: input.sourceType, source_id: input.sourceId ?? null, source_ref: input.sourceRef ?? null, supplier: input.supplier ?? null, note: input.note ?? null });
  const batchIds: string[] = [];
  const lines: repo.LineInput[] = [];
  const moves: repo.MovementInput[] = [];
  for (const [i, l] of prepared.entries()) {
    const batchId = await repo.insertBatch(trx, { org_unit_id: w.org_unit_id, warehouse_id: w.id, item_id: l.itemId, location_id: l.locationId, source_type: input.sourceType, source_id: input.sourceId ?? null, origin_batch_id: null, document_id: doc.id, lot_no: l.lotNo ?? null, quantity: l.quantity, unit_value_fen: l.unitValueFen, production_date: l.productionDate ?? null, expiry_date: l.expiry, received_on: input.occurredOn });
    batchIds.push(batchId);
    lines.push({ org_unit_id: w.org_unit_id, to_unit_id: null, document_id: doc.id, line_no: i + 1, item_id: l.itemId, batch_id: batchId, location_id: l.locationId, quantity: l.quantity, unit_value_fen: l.unitValueFen, production_date: l.productionDate ?? null, expiry_date: l.expiry, lot_no: l.lotNo ?? null });
    moves.push({ org_unit_id: w.org_unit_id, batch_id: batchId, warehouse_id: w.id, item_id: l.itemId, document_id: doc.id, kind: 'receive', quantity: l.quantity, occurred_on: input.occurredOn });
  }
  await repo.insertLines(trx, lines);
  await repo.insertMovements(trx, moves, ctx.deps.clock.now());
  for (const m of moves) await repo.addToBatch(trx, m.batch_id, m.quantity);
  await recordAudit(ctx, { action: 'warehouses.received', entityType: 'stock_document', entityId: doc.id, unitId: w.org_unit_id, after: { number: doc.number, warehouse: w.name, sourceType: input.sourceType, sourceId: input.sourceId ?? null, lines: input.lines.length, quantity: input.lines.reduce((s, l) => s + l.quantity, 0) } });
  return { documentId: doc.id, number: doc.number, batchIds };
}

export async function receive(ctx: Ctx, input: CreateReceipt) {
  requirePermission(ctx, 'warehouses.write');
  return ctx.run(async (trx) => {
    const r = await postReceiptInTrx(ctx, trx, input);
    await logStockDocument(ctx, trx, r.documentId, ['receive']);
    return documentIn(ctx, trx, r.documentId);
  });
}

// ---------------------------------------------------------------- picking (issue, transfer)

type Pick = { lineIndex: number; itemId: string; batch: repo.BatchRow; quantity: number };

/**
 * Takes each line's quantity from the warehouse's batches under their row locks: the named batch, or
 * first-expired-first-out among the unexpired ones. Expired batches are refused (they leave by write-off).
 */
async function pickAndTake(trx: Trx, w: repo.WarehouseRow, lines: PickLine[], items: Map<string, repo.ItemRow>, onDate: string, prefix = 'lines') {
  lines.forEach((l, i) => checkQuantity(items.get(l.itemId)!, l.quantity, `${prefix}.${i}.quantity`));
  const named = lines.flatMap((l) => (l.batchId ? [l.batchId] : []));
  const auto = [...new Set(lines.filter((l) => !l.batchId).map((l) => l.itemId))];
  // One locking statement per kind, each in id order.
  const locked = new Map<string, repo.BatchRow>();
  for (const b of await repo.lockBatches(trx, { warehouseId: w.id, itemIds: auto })) locked.set(b.id, b);
  for (const b of await repo.lockBatches(trx, { warehouseId: w.id, batchIds: named })) locked.set(b.id, b);
  const left = new Map([...locked.values()].map((b) => [b.id, num(b.on_hand)]));
  const picks: Pick[] = [];
  for (const [i, l] of lines.entries()) {
    const it = items.get(l.itemId)!;
    const path = `${prefix}.${i}`;
    if (l.batchId) {
      const b = locked.get(l.batchId);
      if (!b || b.item_id !== l.itemId) throw new DomainError('warehouses.batch_not_found', { field: `${path}.batchId` }, field(`${path}.batchId`, '批次不存在或不在该仓库', 'not_found'));
      if (b.expiry_date && b.expiry_date < onDate) throw new DomainError('warehouses.batch_expired', { expiry: b.expiry_date, field: `${path}.batchId` }, field(`${path}.batchId`, `批次已于 ${b.expiry_date} 过期`));
      const avail = left.get(b.id)!;
      if (avail < l.quantity) throw new DomainError('warehouses.insufficient_stock', { item: itemLabel(it), available: fmt(avail), unit: it.unit, quantity: fmt(l.quantity), field: `${path}.quantity` }, field(`${path}.quantity`, `该批次可用 ${fmt(avail)}${it.unit}`));
      left.set(b.id, avail - l.quantity);
      picks.push({ lineIndex: i, itemId: l.itemId, batch: b, quantity: l.quantity });
      continue;
    }
    const candidates = [...locked.values()]
      .filter((b) => b.item_id === l.itemId && (left.get(b.id) ?? 0) > 0 && !(b.expiry_date && b.expiry_date < onDate))
      .sort((a, b) => (a.expiry_date ?? '9999-12-31').localeCompare(b.expiry_date ?? '9999-12-31') || a.seq - b.seq);
    const avail = candidates.reduce((s, b) => s + left.get(b.id)!, 0);
    if (avail + 1e-9 < l.quantity) throw new DomainError('warehouses.insufficient_stock', { item: itemLabel(it), available: fmt(avail), unit: it.unit, quantity: fmt(l.quantity), field: `${path}.quantity` }, field(`${path}.quantity`, `可用 ${fmt(avail)}${it.unit}（不含过期批次）`));
    let need = l.quantity;
    for (const b of candidates) {
      if (need <= 1e-9) break;
      const take = Math.min(need, left.get(b.id)!);
      left.set(b.id, left.get(b.id)! - take);
      picks.push({ lineIndex: i, itemId: l.itemId, batch: b, quantity: Number(take.toFixed(3)) });
      need = Number((need - take).toFixed(3));
    }
  }
  for (const p of picks) {
    // Under the lock this always succeeds; the condition and the CHECK are the net beneath the lock.
    if (!(await repo.takeFromBatch(trx, p.batch.id, p.quantity))) {
      const it = items.get(p.itemId)!;
      throw new DomainError('warehouses.insufficient_stock', { item: itemLabel(it), available: '?', unit: it.unit, quantity: fmt(p.quantity), field: `${prefix}.${p.lineIndex}.quantity` });
    }
  }
  return picks;
}

/** Suggested first-expired-first-out picking for an issue note (read only: nothing is reserved). */
export async function suggestPicks(ctx: Ctx, warehouseId: string, itemId: string, quantity: number, onDate?: string) {
  requirePermission(ctx, 'warehouses.read');
  const day = onDate ?? today(ctx);
  return ctx.run(async (trx) => {
    await visibleWarehouse(ctx, trx, warehouseId);
    const rows = await sql<{ id: string; seq: number; lot_no: string | null; expiry_date: string | null; on_hand: string }>`
      select id, seq, lot_no, expiry_date, on_hand::text as on_hand from stock_batch where warehouse_id = ${warehouseId} and item_id = ${itemId} and on_hand > 0
      order by expiry_date nulls last, seq`.execute(trx);
    let need = quantity;
    let available = 0;
    let expiredSkipped = 0;
    const picks = [];
    for (const b of rows.rows) {
      const on = num(b.on_hand);
      if (b.expiry_date && b.expiry_date < day) {
        expiredSkipped += on;
        continue;
      }
      available += on;
      if (need > 0) {
        const take = Math.min(need, on);
        picks.push({ batchId: b.id, batchNo: repo.batchNo(b), expiryDate: b.expiry_date, quantity: take, onHand: on });
        need = Number((need - take).toFixed(3));
      }
    }
    return { itemId, requested: quantity, available, picks, expiredSkipped };
  });
}

function lineRows(w: repo.WarehouseRow, docId: string, picks: Pick[], toUnitId: string | null): repo.LineInput[] {
  return picks.map((p, i) => ({ org_unit_id: w.org_unit_id, to_unit_id: toUnitId, document_id: docId, line_no: i + 1, item_id: p.itemId, batch_id: p.batch.id, location_id: p.batch.location_id, quantity: p.quantity, unit_value_fen: p.batch.unit_value_fen, production_date: p.batch.production_date, expiry_date: p.batch.expiry_date, lot_no: p.batch.lot_no }));
}

// ---------------------------------------------------------------- issue notes and distribution

export async function issue(ctx: Ctx, input: CreateIssue) {
  requirePermission(ctx, 'warehouses.write');
  // People are read through their own service (masked), before the posting's transaction opens.
  const persons = new Map<string, { name: string; idNumberMasked: string | null }>();
  for (const [i, r] of (input.recipients ?? []).entries()) {
    if (r.kind !== 'person') continue;
    try {
      const p = await getPerson(ctx, r.personId!);
      persons.set(r.personId!, { name: p.name, idNumberMasked: p.idNumberMasked });
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'people.not_found' || err.code === 'forbidden' || err.code === 'not_found')) {
        throw new DomainError('warehouses.person_not_found', { field: `recipients.${i}.personId` }, field(`recipients.${i}.personId`, '人员不存在或不在管辖范围内', 'not_found'));
      }
      throw err;
    }
  }
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, input.warehouseId, { field: 'warehouseId', active: true });
    let toUnitId: string | null = null;
    let toName: string | null = input.toOrgName ?? null;
    if (input.toUnitId) {
      const u = await unitBrief(ctx, input.toUnitId);
      if (!u) throw new DomainError('warehouses.unit_not_found', undefined, field('toUnitId', '接收单位不存在或不在管辖范围内', 'not_found'));
      toUnitId = u.id;
      toName = input.toOrgName ?? u.name;
    }
    if (input.destination === 'distribution') {
      const ev = await trx.selectFrom('disaster_event').select('id').where('id', '=', input.eventId!).executeTakeFirst();
      if (!ev) throw new DomainError('warehouses.event_not_found', undefined, field('eventId', '灾害事件不存在', 'not_found'));
    }
    const recipients = input.recipients ?? [];
    const allItemIds = [...(input.lines ?? []), ...recipients.flatMap((r) => r.items)];
    const items = await repo.itemsByIds(trx, allItemIds.map((l) => l.itemId));
    (input.lines ?? []).forEach((l, i) => {
      if (!items.get(l.itemId)) throw new DomainError('warehouses.item_not_found', { field: `lines.${i}.itemId` }, field(`lines.${i}.itemId`, '物资不存在或已停用', 'not_found'));
    });
    const totals = new Map<string, number>();
    recipients.forEach((r, ri) =>
      r.items.forEach((x, xi) => {
        const it = items.get(x.itemId);
        if (!it) throw new DomainError('warehouses.item_not_found', { field: `recipients.${ri}.items.${xi}.itemId` }, field(`recipients.${ri}.items.${xi}.itemId`, '物资不存在或已停用', 'not_found'));
        checkQuantity(it, x.quantity, `recipients.${ri}.items.${xi}.quantity`);
        totals.set(x.itemId, Number(((totals.get(x.itemId) ?? 0) + x.quantity).toFixed(3)));
      }),
    );
    let lines: PickLine[] = input.lines ?? [];
    if (input.destination === 'distribution') {
      if (lines.length) {
        const picked = new Map<string, number>();
        for (const l of lines) picked.set(l.itemId, Number(((picked.get(l.itemId) ?? 0) + l.quantity).toFixed(3)));
        for (const id of new Set([...picked.keys(), ...totals.keys()])) {
          if ((picked.get(id) ?? 0) !== (totals.get(id) ?? 0)) throw new DomainError('warehouses.recipients_mismatch', { item: itemLabel(items.get(id)!), expected: fmt(totals.get(id) ?? 0), actual: fmt(picked.get(id) ?? 0) }, field('lines', '出库明细与发放名单合计不一致'));
        }
      } else lines = [...totals.entries()].map(([itemId, quantity]) => ({ itemId, quantity }));
    }
    const picks = await pickAndTake(trx, w, lines, items, input.occurredOn);
    const doc = await newDocument(trx, ctx, w, { kind: 'issue', status: 'posted', occurredOn: input.occurredOn, destination: input.destination, event_id: input.eventId ?? null, to_unit_id: toUnitId, to_org_name: toName, note: input.note ?? null });
    await repo.insertLines(trx, lineRows(w, doc.id, picks, toUnitId));
    await repo.insertMovements(trx, picks.map((p) => ({ org_unit_id: w.org_unit_id, batch_id: p.batch.id, warehouse_id: w.id, item_id: p.itemId, document_id: doc.id, kind: 'issue', quantity: -p.quantity, occurred_on: input.occurredOn })), ctx.deps.clock.now());
    for (const [i, r] of recipients.entries()) {
      const rid = crypto.randomUUID();
      await trx.insertInto('distribution_recipient').values({ id: rid, org_unit_id: w.org_unit_id, document_id: doc.id, seq: i + 1, kind: r.kind, person_id: r.kind === 'person' ? r.personId! : null, org_name: r.kind === 'organisation' ? r.orgName! : null, household_size: r.householdSize ?? null, address: r.address ?? null }).execute();
      const merged = new Map<string, number>();
      for (const x of r.items) merged.set(x.itemId, (merged.get(x.itemId) ?? 0) + x.quantity);
      await trx.insertInto('distribution_item').values([...merged.entries()].map(([itemId, qty]) => ({ id: crypto.randomUUID(), org_unit_id: w.org_unit_id, recipient_id: rid, item_id: itemId, quantity: q3(qty) }))).execute();
    }
    await recordAudit(ctx, { action: 'warehouses.issued', entityType: 'stock_document', entityId: doc.id, unitId: w.org_unit_id, after: { number: doc.number, warehouse: w.name, destination: input.destination, to: toName, eventId: input.eventId ?? null, recipients: recipients.length, lines: picks.map((p) => ({ itemId: p.itemId, batchId: p.batch.id, quantity: p.quantity })) } });
    await logStockDocument(ctx, trx, doc.id, ['issue']);
    return documentIn(ctx, trx, doc.id);
  });
}

// ---------------------------------------------------------------- transfers

/**
 * Where a warehouse may ship: any active warehouse of the caller's jurisdiction, or of a unit above the
 * shipping warehouse's unit (a county returns goods to the city) — found by a security-definer lookup
 * that gives names only; never a sibling county's. Receiving stays with the destination's unit.
 */
async function destinationsIn(trx: Trx, from: repo.WarehouseRow) {
  const own = await sql<{ id: string; code: string; name: string; status: string; unit_id: string; unit_name: string; unit_path: string }>`
    select w.id, w.code, w.name, w.status, u.id as unit_id, u.name as unit_name, u.path as unit_path from warehouse w join org_unit u on u.id = w.org_unit_id
    where w.id <> ${from.id} order by u.path, w.code`.execute(trx);
  const ownIds = new Set(own.rows.map((r) => r.id));
  const above = (await repo.warehousesAbove(trx, from.id)).filter((r) => !ownIds.has(r.id));
  return [...above.map((r) => ({ ...r, above: true })), ...own.rows.map((r) => ({ ...r, above: false }))];
}

export async function transferDestinations(ctx: Ctx, warehouseId: string): Promise<TransferDestination[]> {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, warehouseId);
    return (await destinationsIn(trx, w)).filter((d) => d.status === 'active').map((d) => ({ id: d.id, code: d.code, name: d.name, unitId: d.unit_id, unitName: d.unit_name, above: d.above }));
  });
}

export async function shipTransfer(ctx: Ctx, input: CreateTransfer) {
  requirePermission(ctx, 'warehouses.write');
  if (input.toWarehouseId === input.warehouseId) throw new DomainError('warehouses.same_warehouse', undefined, field('toWarehouseId', '调入仓库不能与调出仓库相同'));
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, input.warehouseId, { field: 'warehouseId', active: true });
    const to = (await destinationsIn(trx, w)).find((d) => d.id === input.toWarehouseId);
    // Unknown, or another county's (a sibling): one answer for both, naming nothing.
    if (!to) throw new DomainError('warehouses.destination_not_allowed', undefined, field('toWarehouseId', '调入仓库须为本辖区或上级单位的在用仓库', 'not_allowed'));
    if (to.status !== 'active') throw new DomainError('warehouses.warehouse_closed', { name: to.name }, field('toWarehouseId', '仓库已停用'));
    const items = await loadItems(trx, input.lines, 'lines', { retiredOk: true });
    const picks = await pickAndTake(trx, w, input.lines, items, input.occurredOn);
    const doc = await newDocument(trx, ctx, w, { kind: 'transfer', status: 'shipped', occurredOn: input.occurredOn, to_unit_id: to.unit_id, to_warehouse_id: to.id, to_org_name: to.name, note: input.note ?? null });
    await repo.insertLines(trx, lineRows(w, doc.id, picks, to.unit_id));
    await repo.insertMovements(trx, picks.map((p) => ({ org_unit_id: w.org_unit_id, batch_id: p.batch.id, warehouse_id: w.id, item_id: p.itemId, document_id: doc.id, kind: 'transfer_out', quantity: -p.quantity, occurred_on: input.occurredOn })), ctx.deps.clock.now());
    await recordAudit(ctx, { action: 'warehouses.transfer_shipped', entityType: 'stock_document', entityId: doc.id, unitId: w.org_unit_id, after: { number: doc.number, from: w.name, to: to.name, lines: picks.map((p) => ({ itemId: p.itemId, batchId: p.batch.id, quantity: p.quantity })) } });
    await logStockDocument(ctx, trx, doc.id, ['transfer_out']);
    return documentIn(ctx, trx, doc.id);
  });
}

export async function receiveTransfer(ctx: Ctx, id: string, input: { receivedOn: string; locationId?: string | null | undefined }) {
  requirePermission(ctx, 'warehouses.write');
  return ctx.run(async (trx) => {
    const d = await trx.selectFrom('stock_document').selectAll().where('id', '=', id).where('kind', '=', 'transfer').forUpdate().executeTakeFirst();
    if (!d) throw new DomainError('warehouses.document_not_found');
    if (d.status === 'received') throw new DomainError('warehouses.already_received', { number: d.number, date: d.received_on }, field('id', `已于 ${d.received_on} 收货`, 'already_received'));
    if (d.status !== 'shipped') throw new DomainError('warehouses.not_in_transit', { number: d.number, status: d.status });
    // The shipping side sees the document but not a warehouse above it: only the destination's unit receives.
    if (!(await repo.warehouseRow(trx, d.to_warehouse_id!))) {
      const unit = await sql<{ name: string | null }>`select boai_unit_name(${d.to_unit_id}) as name`.execute(trx);
      throw new DomainError('warehouses.not_receiver', { number: d.number, unit: unit.rows[0]?.name ?? '' });
    }
    const to = await visibleWarehouse(ctx, trx, d.to_warehouse_id!, { field: 'toWarehouseId', active: true });
    if (input.receivedOn < d.occurred_on) throw new DomainError('validation_failed', undefined, field('receivedOn', `收货日期不能早于调出日期 ${d.occurred_on}`));
    const locationId = await checkLocation(trx, to.id, input.locationId, 'locationId');
    const lines = await trx.selectFrom('stock_document_line').selectAll().where('document_id', '=', id).orderBy('line_no').execute();
    const moves: repo.MovementInput[] = [];
    for (const l of lines) {
      const batchId = await repo.insertBatch(trx, { org_unit_id: to.org_unit_id, warehouse_id: to.id, item_id: l.item_id, location_id: locationId, source_type: 'transfer', source_id: d.id, origin_batch_id: l.batch_id, document_id: d.id, lot_no: l.lot_no, quantity: num(l.quantity), unit_value_fen: l.unit_value_fen, production_date: l.production_date, expiry_date: l.expiry_date, received_on: input.receivedOn });
      moves.push({ org_unit_id: to.org_unit_id, batch_id: batchId, warehouse_id: to.id, item_id: l.item_id, document_id: d.id, kind: 'transfer_in', quantity: num(l.quantity), occurred_on: input.receivedOn });
    }
    await repo.insertMovements(trx, moves, ctx.deps.clock.now());
    for (const m of moves) await repo.addToBatch(trx, m.batch_id, m.quantity);
    await trx.updateTable('stock_document').set({ status: 'received', received_by: ctx.actor.userId, received_by_name: actorName(ctx), received_at: ctx.deps.clock.now(), received_on: input.receivedOn, version: d.version + 1 }).where('id', '=', id).where('status', '=', 'shipped').execute();
    await recordAudit(ctx, { action: 'warehouses.transfer_received', entityType: 'stock_document', entityId: id, unitId: to.org_unit_id, details: { number: d.number, warehouse: to.name, receivedOn: input.receivedOn } });
    await logStockDocument(ctx, trx, id, ['transfer_in']);
    return documentIn(ctx, trx, id);
  });
}

// ---------------------------------------------------------------- write-offs

export async function requestWriteOff(ctx: Ctx, input: CreateWriteOff) {
  requirePermission(ctx, 'warehouses.write');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, input.warehouseId, { field: 'warehouseId' });
    const batches = new Map((await repo.batchesByIds(trx, input.lines.map((l) => l.batchId))).map((b) => [b.id, b]));
    const items = await repo.itemsByIds(trx, [...batches.values()].map((b) => b.item_id));
    const asked = new Map<string, number>();
    const lines: repo.LineInput[] = [];
    for (const [i, l] of input.lines.entries()) {
      const b = batches.get(l.batchId);
      if (!b || b.warehouse_id !== w.id) throw new DomainError('warehouses.batch_not_found', { field: `lines.${i}.batchId` }, field(`lines.${i}.batchId`, '批次不存在或不在该仓库', 'not_found'));
      const it = items.get(b.item_id)!;
      checkQuantity(it, l.quantity, `lines.${i}.quantity`);
      const total = (asked.get(b.id) ?? 0) + l.quantity;
      asked.set(b.id, total);
      if (total > num(b.on_hand)) throw new DomainError('warehouses.insufficient_stock', { item: itemLabel(it), available: fmt(num(b.on_hand)), unit: it.unit, quantity: fmt(total), field: `lines.${i}.quantity` }, field(`lines.${i}.quantity`, `该批次现有 ${fmt(num(b.on_hand))}${it.unit}`));
      lines.push({ org_unit_id: w.org_unit_id, to_unit_id: null, document_id: '', line_no: i + 1, item_id: b.item_id, batch_id: b.id, location_id: b.location_id, quantity: l.quantity, unit_value_fen: b.unit_value_fen, production_date: b.production_date, expiry_date: b.expiry_date, lot_no: b.lot_no });
    }
    const doc = await newDocument(trx, ctx, w, { kind: 'write_off', status: 'requested', occurredOn: input.occurredOn, reason: input.reason, note: input.note, requested_by: ctx.actor.userId, requested_by_name: actorName(ctx) });
    await repo.insertLines(trx, lines.map((l) => ({ ...l, document_id: doc.id })));
    await recordAudit(ctx, { action: 'warehouses.write_off_requested', entityType: 'stock_document', entityId: doc.id, unitId: w.org_unit_id, after: { number: doc.number, reason: input.reason, note: input.note, lines: input.lines } });
    return documentIn(ctx, trx, doc.id);
  });
}

/** Approval by someone other than the requester, with the evidence attached; expired batches may leave this way. */
export async function decideWriteOff(ctx: Ctx, id: string, input: { version: number; decision: 'approve' | 'reject'; rejectReason?: string | null | undefined }) {
  requirePermission(ctx, 'warehouses.approve');
  const evidence = input.decision === 'approve' ? (await listAttachments(ctx, 'stock_document', id).catch(() => [])).length : 0;
  return ctx.run(async (trx) => {
    const d = await trx.selectFrom('stock_document').selectAll().where('id', '=', id).where('kind', '=', 'write_off').forUpdate().executeTakeFirst();
    if (!d) throw new DomainError('warehouses.document_not_found');
    if (d.requested_by === ctx.actor.userId) throw new DomainError('warehouses.self_approval');
    if (d.status !== 'requested') throw new DomainError('warehouses.not_pending', { status: d.status });
    if (d.version !== input.version) throw new DomainError('conflict');
    const now = ctx.deps.clock.now();
    if (input.decision === 'reject') {
      // The requester is told why: a rejection without a reason is refused.
      const reason = input.rejectReason?.trim();
      if (!reason) throw new DomainError('validation_failed', undefined, field('rejectReason', '驳回须说明理由', 'required'));
      await trx.updateTable('stock_document').set({ status: 'rejected', approved_by: ctx.actor.userId, approved_by_name: actorName(ctx), decided_at: now, reject_reason: reason, version: d.version + 1 }).where('id', '=', id).execute();
      await recordAudit(ctx, { action: 'warehouses.write_off_rejected', entityType: 'stock_document', entityId: id, unitId: d.org_unit_id, details: { number: d.number, reason } });
      return documentIn(ctx, trx, id);
    }
    if (evidence === 0) throw new DomainError('warehouses.evidence_required', undefined, field('evidence', '请先上传报损证明材料', 'required'));
    const w = await visibleWarehouse(ctx, trx, d.warehouse_id);
    const lines = await trx.selectFrom('stock_document_line').selectAll().where('document_id', '=', id).orderBy('line_no').execute();
    await repo.lockBatches(trx, { warehouseId: w.id, batchIds: [...new Set(lines.map((l) => l.batch_id!))] });
    const items = await repo.itemsByIds(trx, lines.map((l) => l.item_id));
    for (const [i, l] of lines.entries()) {
      if (!(await repo.takeFromBatch(trx, l.batch_id!, num(l.quantity)))) {
        const it = items.get(l.item_id)!;
        const cur = await repo.batchesByIds(trx, [l.batch_id!]);
        throw new DomainError('warehouses.insufficient_stock', { item: itemLabel(it), available: fmt(num(cur[0]?.on_hand)), unit: it.unit, quantity: fmt(num(l.quantity)), field: `lines.${i}.quantity` }, field(`lines.${i}.quantity`, '申请后库存已变动'));
      }
    }
    await repo.insertMovements(trx, lines.map((l) => ({ org_unit_id: d.org_unit_id, batch_id: l.batch_id!, warehouse_id: d.warehouse_id, item_id: l.item_id, document_id: id, kind: 'write_off', quantity: -num(l.quantity), occurred_on: d.occurred_on })), now);
    await trx.updateTable('stock_document').set({ status: 'approved', approved_by: ctx.actor.userId, approved_by_name: actorName(ctx), decided_at: now, version: d.version + 1 }).where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'warehouses.write_off_approved', entityType: 'stock_document', entityId: id, unitId: d.org_unit_id, details: { number: d.number, reason: d.reason, evidence } });
    await logStockDocument(ctx, trx, id, ['write_off']);
    return documentIn(ctx, trx, id);
  });
}

// ---------------------------------------------------------------- stocktakes

export async function createStocktake(ctx: Ctx, input: { warehouseId: string; occurredOn: string; category?: string | undefined; note?: string | null | undefined }) {
  requirePermission(ctx, 'warehouses.write');
  return ctx.run(async (trx) => {
    const w = await visibleWarehouse(ctx, trx, input.warehouseId, { field: 'warehouseId', active: true });
    const doc = await newDocument(trx, ctx, w, { kind: 'stocktake', status: 'counting', occurredOn: input.occurredOn, note: input.note ?? null });
    // The count sheet: every batch with stock (a warehouse with none gives an empty sheet: found goods are added as they are counted).
    const r = await sql<{ id: string; item_id: string; location_id: string | null; on_hand: string; unit_value_fen: number; expiry_date: string | null }>`
      select b.id, b.item_id, b.location_id, b.on_hand::text as on_hand, b.unit_value_fen, b.expiry_date from stock_batch b join relief_item i on i.id = b.item_id
      where b.warehouse_id = ${w.id} and b.on_hand > 0 ${input.category ? sql`and i.category = ${input.category}` : sql``} order by i.code, b.expiry_date nulls last, b.seq`.execute(trx);
    if (r.rows.length) {
      await trx.insertInto('stocktake_line').values(r.rows.map((b, i) => ({ id: crypto.randomUUID(), org_unit_id: w.org_unit_id, document_id: doc.id, line_no: i + 1, item_id: b.item_id, batch_id: b.id, location_id: b.location_id, book_qty: b.on_hand, counted_qty: null, reason: null, unit_value_fen: b.unit_value_fen, expiry_date: b.expiry_date, counted_by: null, counted_at: null }))).execute();
    }
    await recordAudit(ctx, { action: 'warehouses.stocktake_started', entityType: 'stock_document', entityId: doc.id, unitId: w.org_unit_id, after: { number: doc.number, lines: r.rows.length } });
    return documentIn(ctx, trx, doc.id);
  });
}

export async function countStocktake(ctx: Ctx, id: string, input: CountStocktake) {
  requirePermission(ctx, 'warehouses.write');
  return ctx.run(async (trx) => {
    const d = await trx.selectFrom('stock_document').selectAll().where('id', '=', id).where('kind', '=', 'stocktake').forUpdate().executeTakeFirst();
    if (!d) throw new DomainError('warehouses.document_not_found');
    if (d.status !== 'counting') throw new DomainError('warehouses.stocktake_closed', { number: d.number });
    if (d.version !== input.version) throw new DomainError('conflict');
    const existing = new Map((await trx.selectFrom('stocktake_line').selectAll().where('document_id', '=', id).execute()).map((l) => [l.id, l]));
    let lineNo = Math.max(0, ...[...existing.values()].map((l) => l.line_no));
    const newItemIds = input.counts.flatMap((c) => ('itemId' in c ? [c.itemId] : []));
    const items = await repo.itemsByIds(trx, [...newItemIds, ...[...existing.values()].map((l) => l.item_id)]);
    const now = ctx.deps.clock.now();
    for (const [i, c] of input.counts.entries()) {
      if ('lineId' in c) {
        const l = existing.get(c.lineId);
        if (!l) throw new DomainError('validation_failed', undefined, field(`counts.${i}.lineId`, '盘点行不存在', 'not_found'));
        checkQuantity(items.get(l.item_id)!, c.countedQty, `counts.${i}.countedQty`);
        await trx.updateTable('stocktake_line').set({ counted_qty: q3(c.countedQty), reason: c.reason ?? null, counted_by: ctx.actor.userId, counted_at: now }).where('id', '=', l.id).execute();
      } else {
        const it = items.get(c.itemId);
        if (!it?.active) throw new DomainError('warehouses.item_not_found', { field: `counts.${i}.itemId` }, field(`counts.${i}.itemId`, '物资不存在或已停用', 'not_found'));
        checkQuantity(it, c.countedQty, `counts.${i}.countedQty`);
        const locationId = await checkLocation(trx, d.warehouse_id, c.locationId, `counts.${i}.locationId`);
        await trx.insertInto('stocktake_line').values({ id: crypto.randomUUID(), org_unit_id: d.org_unit_id, document_id: id, line_no: ++lineNo, item_id: c.itemId, batch_id: null, location_id: locationId, book_qty: '0', counted_qty: q3(c.countedQty), reason: c.reason ?? null, unit_value_fen: c.unitValueFen, expiry_date: c.expiryDate ?? null, counted_by: ctx.actor.userId, counted_at: now }).execute();
      }
    }
    await trx.updateTable('stock_document').set({ version: d.version + 1 }).where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'warehouses.stocktake_counted', entityType: 'stock_document', entityId: id, unitId: d.org_unit_id, details: { number: d.number, counts: input.counts } });
    return documentIn(ctx, trx, id);
  });
}

/** Finalisation by the warehouse manager: variances become adjustments (with their reasons); the sheet freezes. */
export async function finaliseStocktake(ctx: Ctx, id: string, input: { version: number }) {
  requirePermission(ctx, 'warehouses.approve');
  return ctx.run(async (trx) => {
    const d = await trx.selectFrom('stock_document').selectAll().where('id', '=', id).where('kind', '=', 'stocktake').forUpdate().executeTakeFirst();
    if (!d) throw new DomainError('warehouses.document_not_found');
    if (d.status !== 'counting') throw new DomainError('warehouses.stocktake_closed', { number: d.number });
    if (d.version !== input.version) throw new DomainError('conflict');
    const w = await visibleWarehouse(ctx, trx, d.warehouse_id);
    if (w.manager_user_id && w.manager_user_id !== ctx.actor.userId) throw new DomainError('warehouses.not_manager', { manager: w.manager_name ?? '—' });
    const lines = await trx.selectFrom('stocktake_line').selectAll().where('document_id', '=', id).orderBy('line_no').execute();
    const open = lines.filter((l) => l.counted_qty === null);
    if (open.length) throw new DomainError('warehouses.stocktake_incomplete', { count: open.length }, open.map((l) => ({ field: `lines.${l.line_no}.countedQty`, code: 'required', message: '未录入实盘数' })));
    lines.forEach((l) => {
      if (num(l.counted_qty) !== num(l.book_qty) && !l.reason) throw new DomainError('warehouses.variance_reason_required', { field: `lines.${l.line_no}.reason` }, field(`lines.${l.line_no}.reason`, '盘盈盘亏须填写原因'));
    });
    const locked = new Map((await repo.lockBatches(trx, { warehouseId: w.id, batchIds: lines.flatMap((l) => (l.batch_id ? [l.batch_id] : [])) })).map((b) => [b.id, b]));
    const items = await repo.itemsByIds(trx, lines.map((l) => l.item_id));
    const moves: repo.MovementInput[] = [];
    const docLines: repo.LineInput[] = [];
    for (const l of lines) {
      const diff = Number((num(l.counted_qty) - num(l.book_qty)).toFixed(3));
      let batchId = l.batch_id;
      if (batchId) {
        const b = locked.get(batchId)!;
        if (num(b.on_hand) !== num(l.book_qty)) throw new DomainError('warehouses.stocktake_book_changed', { item: itemLabel(items.get(l.item_id)!) }, field(`lines.${l.line_no}.countedQty`, `账面数已变为 ${fmt(num(b.on_hand))}`));
      }
      if (diff === 0) continue;
      if (!batchId) {
        batchId = await repo.insertBatch(trx, { org_unit_id: w.org_unit_id, warehouse_id: w.id, item_id: l.item_id, location_id: l.location_id, source_type: 'stocktake', source_id: id, origin_batch_id: null, document_id: id, lot_no: null, quantity: diff, unit_value_fen: l.unit_value_fen, production_date: null, expiry_date: l.expiry_date, received_on: d.occurred_on });
      }
      moves.push({ org_unit_id: w.org_unit_id, batch_id: batchId, warehouse_id: w.id, item_id: l.item_id, document_id: id, kind: 'adjust', quantity: diff, occurred_on: d.occurred_on });
      docLines.push({ org_unit_id: w.org_unit_id, to_unit_id: null, document_id: id, line_no: docLines.length + 1, item_id: l.item_id, batch_id: batchId, location_id: l.location_id, quantity: Math.abs(diff), unit_value_fen: l.unit_value_fen, production_date: null, expiry_date: l.expiry_date, lot_no: null });
    }
    await repo.insertMovements(trx, moves, ctx.deps.clock.now());
    for (const m of moves) {
      if (m.quantity > 0) await repo.addToBatch(trx, m.batch_id, m.quantity);
      else if (!(await repo.takeFromBatch(trx, m.batch_id, -m.quantity))) throw new Error('stocktake: on hand changed under the lock');
    }
    await repo.insertLines(trx, docLines);
    await trx.updateTable('stock_document').set({ status: 'finalised', approved_by: ctx.actor.userId, approved_by_name: actorName(ctx), decided_at: ctx.deps.clock.now(), version: d.version + 1 }).where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'warehouses.stocktake_finalised', entityType: 'stock_document', entityId: id, unitId: d.org_unit_id, details: { number: d.number, adjustments: moves.map((m) => ({ itemId: m.item_id, batchId: m.batch_id, quantity: m.quantity })) } });
    await logStockDocument(ctx, trx, id, ['adjust']);
    return documentIn(ctx, trx, id);
  });
}

// ---------------------------------------------------------------- reversal (红冲)

export async function reverseDocument(ctx: Ctx, id: string, input: { reason: string; occurredOn: string }) {
  requirePermission(ctx, 'warehouses.write');
  return ctx.run(async (trx) => {
    const d = await trx.selectFrom('stock_document').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!d) throw new DomainError('warehouses.document_not_found');
    const refuse = (why: string) => new DomainError('warehouses.not_reversible', { number: d.number, why }, field('id', why, 'not_reversible'));
    if (d.reverses) throw refuse('冲销单本身不能再冲销');
    if (!((d.kind === 'receive' && d.status === 'posted') || (d.kind === 'issue' && d.status === 'posted') || (d.kind === 'write_off' && d.status === 'approved'))) {
      throw refuse(d.kind === 'transfer' ? '调拨请做反向调拨' : d.kind === 'stocktake' ? '盘点结果请以新的盘点更正' : '单据尚未过账');
    }
    const already = await trx.selectFrom('stock_document').select('number').where('reverses', '=', id).executeTakeFirst();
    if (already) throw refuse(`已由 ${already.number} 冲销`);
    const w = await visibleWarehouse(ctx, trx, d.warehouse_id);
    const moves = await repo.documentMovements(trx, id);
    await repo.lockBatches(trx, { warehouseId: w.id, batchIds: [...new Set(moves.map((m) => m.batch_id))] });
    const rev = await newDocument(trx, ctx, w, { kind: d.kind as DocKind, status: 'posted', occurredOn: input.occurredOn, reverses: id, prefix: 'HC', destination: d.destination, event_id: d.event_id, to_unit_id: d.to_unit_id, to_org_name: d.to_org_name, reason: d.reason, source_type: d.source_type, source_id: d.source_id, note: input.reason });
    const items = await repo.itemsByIds(trx, moves.map((m) => m.item_id));
    for (const m of moves) {
      const q = num(m.quantity);
      if (q > 0 && !(await repo.takeFromBatch(trx, m.batch_id, q))) throw refuse(`“${itemLabel(items.get(m.item_id)!)}”已有部分出库，须先冲销后续单据`);
      if (q < 0) await repo.addToBatch(trx, m.batch_id, -q);
    }
    await repo.insertMovements(trx, moves.map((m) => ({ org_unit_id: m.org_unit_id, batch_id: m.batch_id, warehouse_id: m.warehouse_id, item_id: m.item_id, document_id: rev.id, kind: 'reversal', quantity: -num(m.quantity), occurred_on: input.occurredOn })), ctx.deps.clock.now());
    const orig = await trx.selectFrom('stock_document_line').selectAll().where('document_id', '=', id).orderBy('line_no').execute();
    await repo.insertLines(trx, orig.map((l) => ({ org_unit_id: l.org_unit_id, to_unit_id: l.to_unit_id, document_id: rev.id, line_no: l.line_no, item_id: l.item_id, batch_id: l.batch_id, location_id: l.location_id, quantity: num(l.quantity), unit_value_fen: l.unit_value_fen, production_date: l.production_date, expiry_date: l.expiry_date, lot_no: l.lot_no })));
    await recordAudit(ctx, { action: 'warehouses.reversed', entityType: 'stock_document', entityId: id, unitId: d.org_unit_id, details: { number: d.number, reversal: rev.number, reason: input.reason } });
    await logStockDocument(ctx, trx, rev.id, ['reversal']);
    return documentIn(ctx, trx, rev.id);
  });
}

// ---------------------------------------------------------------- reading documents

async function recipientsOf(ctx: Ctx, trx: Trx, documentId: string) {
  const rows = await trx.selectFrom('distribution_recipient').selectAll().where('document_id', '=', documentId).orderBy('seq').execute();
  if (!rows.length) return [];
  const items = await sql<{ recipient_id: string; item_id: string; name: string; spec: string; unit: string; quantity: string }>`
    select di.recipient_id, di.item_id, i.name, i.spec, i.unit, di.quantity::text as quantity from distribution_item di join relief_item i on i.id = di.item_id
    where di.recipient_id in (${sql.join(rows.map((r) => r.id))}) order by i.code`.execute(trx);
  const evidence = await sql<{ owner_id: string; n: number }>`select owner_id, count(*)::int as n from attachment where owner_type = 'distribution_recipient' and deleted_at is null and owner_id in (${sql.join(rows.map((r) => r.id))}) group by 1`.execute(trx);
  const evidenceBy = new Map(evidence.rows.map((e) => [e.owner_id, e.n]));
  const out = [];
  for (const r of rows) {
    let name = r.org_name ?? '';
    let idNumberMasked: string | null = null;
    if (r.kind === 'person') {
      const p = await personBrief(ctx, r.person_id!);
      name = p ? maskName(p.name) : '（受助人）';
      idNumberMasked = p?.idNumberMasked ?? null;
    }
    out.push({ id: r.id, seq: r.seq, kind: r.kind as 'person', name, idNumberMasked, householdSize: r.household_size, address: r.address, items: items.rows.filter((x) => x.recipient_id === r.id).map((x) => ({ itemId: x.item_id, itemName: itemLabel(x), unit: x.unit, quantity: num(x.quantity) })), evidenceCount: evidenceBy.get(r.id) ?? 0 });
  }
  return out;
}

export async function personBrief(ctx: Ctx, personId: string) {
  try {
    const p = await getPerson(ctx, personId);
    return { name: p.erased ? '（已删除）' : p.name, idNumberMasked: p.idNumberMasked };
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'people.not_found' || err.code === 'forbidden')) return null;
    throw err;
  }
}

async function documentIn(ctx: Ctx, trx: Trx, id: string): Promise<StockDocument> {
  const r = await sql<Record<string, any>>`
    select d.*, boai_unit_name(d.org_unit_id) as unit_name, boai_warehouse_name(d.warehouse_id) as warehouse_name, boai_warehouse_name(d.to_warehouse_id) as to_warehouse_name, e.name as event_name, boai_unit_name(d.to_unit_id) as to_unit_name,
      rv.number as reverses_number, rb.id as reversed_by_id, rb.number as reversed_by_number,
      (select count(*)::int from attachment a where a.owner_type = 'stock_document' and a.owner_id = d.id and a.deleted_at is null) as evidence
    from stock_document d left join disaster_event e on e.id = d.event_id
      left join stock_document rv on rv.id = d.reverses left join stock_document rb on rb.reverses = d.id
    where d.id = ${id}`.execute(trx);
  const d = r.rows[0];
  if (!d) throw new DomainError('warehouses.document_not_found');
  const lines = await sql<Record<string, any>>`
    select l.line_no, l.item_id, i.code, i.name, i.spec, i.unit, l.batch_id, b.seq, b.lot_no, loc.code as location_code, l.quantity::text as quantity, l.unit_value_fen, l.production_date, l.expiry_date
    from stock_document_line l join relief_item i on i.id = l.item_id left join stock_batch b on b.id = l.batch_id left join warehouse_location loc on loc.id = l.location_id
    where l.document_id = ${id} order by l.line_no`.execute(trx);
  const st = d.kind === 'stocktake'
    ? await sql<Record<string, any>>`
      select s.id, s.line_no, s.item_id, i.name, i.spec, i.unit, s.batch_id, b.seq, b.lot_no, loc.code as location_code, s.book_qty::text as book_qty, s.counted_qty::text as counted_qty, s.reason, s.expiry_date
      from stocktake_line s join relief_item i on i.id = s.item_id left join stock_batch b on b.id = s.batch_id left join warehouse_location loc on loc.id = s.location_id
      where s.document_id = ${id} order by s.line_no`.execute(trx)
    : { rows: [] };
  const docLines = lines.rows.map((l) => ({ lineNo: l.line_no, itemId: l.item_id, itemCode: l.code, itemName: l.name, spec: l.spec, unit: l.unit, batchId: l.batch_id, batchNo: l.batch_id ? repo.batchNo({ seq: l.seq, lot_no: l.lot_no }) : null, locationCode: l.location_code, quantity: num(l.quantity), unitValueFen: l.unit_value_fen, productionDate: l.production_date, expiryDate: l.expiry_date }));
  return {
    id: d.id, unitId: d.org_unit_id, unitName: d.unit_name, warehouseId: d.warehouse_id, warehouseName: d.warehouse_name, kind: d.kind, number: d.number, status: d.status, occurredOn: d.occurred_on,
    reverses: d.reverses ? { id: d.reverses, number: d.reverses_number } : null, reversedBy: d.reversed_by_id ? { id: d.reversed_by_id, number: d.reversed_by_number } : null,
    sourceType: d.source_type, sourceId: d.source_id, sourceRef: d.source_ref, supplier: d.supplier, destination: d.destination, eventId: d.event_id, eventName: d.event_name,
    toUnitId: d.to_unit_id, toName: d.to_org_name ?? d.to_unit_name ?? null, toWarehouseId: d.to_warehouse_id, toWarehouseName: d.to_warehouse_name, reason: d.reason, note: d.note,
    requestedByName: d.requested_by_name, approvedByName: d.approved_by_name, decidedAt: d.decided_at?.toISOString() ?? null, rejectReason: d.reject_reason, receivedByName: d.received_by_name, receivedOn: d.received_on,
    createdByName: d.created_by_name, createdAt: d.created_at.toISOString(), totalValueFen: Math.round(docLines.reduce((s, l) => s + l.quantity * l.unitValueFen, 0)),
    lines: docLines,
    stocktakeLines: st.rows.map((s) => ({ id: s.id, lineNo: s.line_no, itemId: s.item_id, itemName: s.name, spec: s.spec, unit: s.unit, batchId: s.batch_id, batchNo: s.batch_id ? repo.batchNo({ seq: s.seq, lot_no: s.lot_no }) : null, locationCode: s.location_code, bookQty: num(s.book_qty), countedQty: s.counted_qty === null ? null : num(s.counted_qty), variance: s.counted_qty === null ? null : Number((num(s.counted_qty) - num(s.book_qty)).toFixed(3)), reason: s.reason, expiryDate: s.expiry_date })),
    recipients: await recipientsOf(ctx, trx, id),
    evidenceCount: d.evidence,
    version: d.version,
  };
}

export async function getDocument(ctx: Ctx, id: string) {
  requirePermission(ctx, 'warehouses.read');
  return ctx.run((trx) => documentIn(ctx, trx, id));
}

const docCursor = z.object({ d: z.string(), n: z.string() });

export async function listDocuments(ctx: Ctx, q: DocumentListQuery) {
  requirePermission(ctx, 'warehouses.read');
  const after = decodeCursor(q.cursor, docCursor);
  const rows = await ctx.run(async (trx) => {
    const conds = [sql`true`];
    if (q.warehouseId) conds.push(sql`(d.warehouse_id = ${q.warehouseId} or d.to_warehouse_id = ${q.warehouseId})`);
    if (q.kind) conds.push(sql`d.kind = ${q.kind}`);
    if (q.status) conds.push(sql`d.status = ${q.status}`);
    if (q.from) conds.push(sql`d.occurred_on >= ${q.from}`);
    if (q.to) conds.push(sql`d.occurred_on <= ${q.to}`);
    if (after) conds.push(sql`(d.occurred_on, d.number) < (${after.d}::date, ${after.n})`);
    const r = await sql<Record<string, any>>`
      select d.id, boai_unit_name(d.org_unit_id) as unit_name, d.warehouse_id, boai_warehouse_name(d.warehouse_id) as warehouse_name, d.kind, d.number, d.status, d.occurred_on, coalesce(d.to_org_name, boai_unit_name(d.to_unit_id)) as to_name, boai_warehouse_name(d.to_warehouse_id) as to_warehouse_name,
        d.reason, d.created_by_name, d.version, d.reverses is not null as is_reversal, exists (select 1 from stock_document x where x.reverses = d.id) as reversed,
        (select count(*)::int from stock_document_line l where l.document_id = d.id) + (select count(*)::int from stocktake_line s where s.document_id = d.id) as line_count,
        coalesce((select sum(l.quantity * l.unit_value_fen) from stock_document_line l where l.document_id = d.id), 0)::text as value
      from stock_document d
      where ${sql.join(conds, sql` and `)} order by d.occurred_on desc, d.number desc limit ${q.limit + 1}`.execute(trx);
    return r.rows;
  });
  return pageFrom(
    rows,
    q.limit,
    (d): DocumentSummary => ({ id: d.id, unitName: d.unit_name, warehouseId: d.warehouse_id, warehouseName: d.warehouse_name, kind: d.kind, number: d.number, status: d.status, occurredOn: d.occurred_on, toName: d.to_name, toWarehouseName: d.to_warehouse_name, reason: d.reason, createdByName: d.created_by_name, totalValueFen: Math.round(Number(d.value)), version: d.version, lineCount: d.line_count, reversed: d.reversed, isReversal: d.is_reversal }),
    (d) => ({ d: d.occurred_on, n: d.number }),
  );
}

/** The unit of a document or recipient the caller can see (attachments: evidence, signatures). */
export async function documentUnit(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => trx.selectFrom('stock_document').select('org_unit_id').where('id', '=', id).executeTakeFirst());
  return row?.org_unit_id ?? null;
}
export async function recipientUnit(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => trx.selectFrom('distribution_recipient').select('org_unit_id').where('id', '=', id).executeTakeFirst());
  return row?.org_unit_id ?? null;
}
