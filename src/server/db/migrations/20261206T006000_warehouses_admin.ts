import { sql, type Kysely } from 'kysely';

/**
 * Warehouse administration (docs/decisions/0013): bins can be retired, catalogue items keep their
 * identity once goods of them exist, and a unit may send goods up to the warehouses of the units
 * above it (a county returns goods to the city's warehouse) without seeing those units' data.
 */
export async function up(db: Kysely<any>) {
  // A retired bin keeps its history (batches and lines point to it) but takes no new goods.
  await sql`alter table warehouse_location add column active boolean not null default true`.execute(db);

  // Whether goods of an item exist anywhere (a batch, even empty, or a count-sheet line): its
  // specification and unit are then part of recorded history. A county editing its own item must
  // learn this about batches in the city's warehouse without seeing them: only the boolean leaves.
  await sql`create function boai_relief_item_in_use(p_item uuid) returns boolean language sql stable security definer set search_path = public as
    $$ select exists (select 1 from stock_batch where item_id = p_item) or exists (select 1 from stocktake_line where item_id = p_item) $$`.execute(db);
  await sql`revoke all on function boai_relief_item_in_use(uuid) from public`.execute(db);
  await sql`grant execute on function boai_relief_item_in_use(uuid) to boai_app`.execute(db);

  // The warehouses of the units above a shipping warehouse the caller can see: the destinations a
  // transfer may be sent up to. Only their names and units leave (as boai_warehouse_name does), and
  // nothing at all unless the shipping warehouse lies in the caller's scope.
  await sql`create function boai_warehouses_above(p_from uuid) returns table (id uuid, code text, name text, status text, unit_id uuid, unit_name text, unit_path text)
    language sql stable security definer set search_path = public as $$
    select w.id, w.code, w.name, w.status, a.id, a.name, a.path
    from warehouse f join org_unit fu on fu.id = f.org_unit_id
      join org_unit a on starts_with(fu.path, a.path) and a.id <> fu.id
      join warehouse w on w.org_unit_id = a.id
    where f.id = p_from and fu.path >= boai_scope_lo() and fu.path < boai_scope_hi()
    order by a.path, w.code $$`.execute(db);
  await sql`revoke all on function boai_warehouses_above(uuid) from public`.execute(db);
  await sql`grant execute on function boai_warehouses_above(uuid) to boai_app`.execute(db);
}
