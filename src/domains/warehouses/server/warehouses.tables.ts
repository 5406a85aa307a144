import type { ColumnType, Generated } from 'kysely';

/** bigint columns come back as JS numbers (connect.ts); numeric quantities as strings, converted at the repository edge. */
type Fen = ColumnType<number, number, number>;
type Qty = ColumnType<string, string | number, string | number>;
type Json = ColumnType<unknown, string, string>;

export interface WarehouseGradeTable {
  id: string;
  org_unit_id: string;
  code: string;
  name: string;
  criteria: Json;
  sort_order: number;
  created_at: Date;
  version: Generated<number>;
}

export interface WarehouseTable {
  id: string;
  org_unit_id: string;
  code: string;
  name: string;
  address: string;
  area_m2: Qty | null;
  capacity_m3: Qty | null;
  manager_user_id: string | null;
  manager_name: string | null;
  manager_phone: string | null;
  grade_id: string | null;
  grade_checks: Json;
  status: string;
  opened_on: string;
  closed_on: string | null;
  created_at: Date;
  created_by: string | null;
  version: Generated<number>;
}

export interface WarehouseLocationTable {
  id: string;
  org_unit_id: string;
  warehouse_id: string;
  code: string;
  name: string | null;
  /** Migration 20261206T006000: a retired bin takes no new goods. */
  active: Generated<boolean>;
}

export interface ReliefItemTable {
  id: string;
  org_unit_id: string;
  code: string;
  name: string;
  spec: string;
  category: string;
  unit: string;
  count_unit: boolean;
  shelf_life_months: number | null;
  standard: boolean;
  active: boolean;
  created_at: Date;
  version: Generated<number>;
}

export interface ItemLevelTable {
  org_unit_id: string;
  warehouse_id: string;
  item_id: string;
  min_qty: Qty;
  max_qty: Qty | null;
}

export interface DisasterEventTable {
  id: string;
  org_unit_id: string;
  name: string;
  kind: string;
  occurred_on: string;
  area: string;
  note: string | null;
  created_at: Date;
  created_by: string | null;
}

export interface StockCounterTable {
  org_unit_id: string;
  prefix: string;
  year: number;
  last: number;
}

export interface StockDocumentTable {
  id: string;
  org_unit_id: string;
  warehouse_id: string;
  kind: string;
  number: string;
  status: string;
  occurred_on: string;
  reverses: string | null;
  source_type: string | null;
  source_id: string | null;
  source_ref: string | null;
  supplier: string | null;
  destination: string | null;
  event_id: string | null;
  to_unit_id: string | null;
  to_org_name: string | null;
  to_warehouse_id: string | null;
  reason: string | null;
  note: string | null;
  requested_by: string | null;
  requested_by_name: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
  received_by: string | null;
  received_by_name: string | null;
  received_at: Date | null;
  received_on: string | null;
  created_at: Date;
  created_by: string | null;
  created_by_name: string | null;
  version: Generated<number>;
}

export interface StockBatchTable {
  id: string;
  org_unit_id: string;
  seq: Generated<number>;
  warehouse_id: string;
  item_id: string;
  location_id: string | null;
  source_type: string;
  source_id: string | null;
  origin_batch_id: string | null;
  document_id: string;
  lot_no: string | null;
  received_qty: Qty;
  on_hand: Qty;
  unit_value_fen: Fen;
  production_date: string | null;
  expiry_date: string | null;
  received_on: string;
}

export interface StockDocumentLineTable {
  id: string;
  org_unit_id: string;
  to_unit_id: string | null;
  document_id: string;
  line_no: number;
  item_id: string;
  batch_id: string | null;
  location_id: string | null;
  quantity: Qty;
  unit_value_fen: Fen;
  production_date: string | null;
  expiry_date: string | null;
  lot_no: string | null;
}

export interface StockMovementTable {
  id: Generated<number>;
  org_unit_id: string;
  batch_id: string;
  warehouse_id: string;
  item_id: string;
  document_id: string;
  kind: string;
  quantity: Qty;
  occurred_on: string;
  created_at: Date;
}

export interface StocktakeLineTable {
  id: string;
  org_unit_id: string;
  document_id: string;
  line_no: number;
  item_id: string;
  batch_id: string | null;
  location_id: string | null;
  book_qty: Qty;
  counted_qty: Qty | null;
  reason: string | null;
  unit_value_fen: Fen;
  expiry_date: string | null;
  counted_by: string | null;
  counted_at: Date | null;
}

export interface DistributionRecipientTable {
  id: string;
  org_unit_id: string;
  document_id: string;
  seq: number;
  kind: string;
  person_id: string | null;
  org_name: string | null;
  household_size: number | null;
  address: string | null;
}

export interface DistributionItemTable {
  id: string;
  org_unit_id: string;
  recipient_id: string;
  item_id: string;
  quantity: Qty;
}

export interface WarehousesTables {
  warehouse_grade: WarehouseGradeTable;
  warehouse: WarehouseTable;
  warehouse_location: WarehouseLocationTable;
  relief_item: ReliefItemTable;
  item_level: ItemLevelTable;
  disaster_event: DisasterEventTable;
  stock_counter: StockCounterTable;
  stock_document: StockDocumentTable;
  stock_batch: StockBatchTable;
  stock_document_line: StockDocumentLineTable;
  stock_movement: StockMovementTable;
  stocktake_line: StocktakeLineTable;
  distribution_recipient: DistributionRecipientTable;
  distribution_item: DistributionItemTable;
}
