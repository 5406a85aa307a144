import type { ColumnType, Generated } from 'kysely';

/** bigint columns come back as JS numbers (connect.ts parses int8 exactly up to 2^53 and refuses beyond). */
type Fen = ColumnType<number, number, number>;

export interface DonorTable {
  id: string;
  org_unit_id: string;
  kind: string;
  person_id: string | null;
  org_name: string | null;
  credit_code: string | null;
  contact_name: string | null;
  public_consent: boolean;
  created_at: Date;
  created_by: string | null;
}

export interface DonationCounterTable {
  org_unit_id: string;
  year: number;
  last: number;
}

export interface DonationTable {
  id: string;
  org_unit_id: string;
  number: string;
  received_on: string;
  donor_id: string;
  channel: string;
  amount_fen: Fen;
  designation: string;
  project_id: string | null;
  beneficiary: string | null;
  purpose: string | null;
  receipt_no: string | null;
  receipt_waiver: string | null;
  waiver_note: string | null;
  status: string;
  reversed_at: Date | null;
  reverse_reason: string | null;
  lookup_hash: string | null;
  lookup_sealed: string | null;
  note: string | null;
  created_at: Date;
  created_by: string | null;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  version: ColumnType<number, number | undefined, number>;
  /** Goods (migration 20261206T004000): lines in donation_goods_line, received into `warehouse_id` on confirmation. */
  has_goods: ColumnType<boolean, boolean | undefined, boolean>;
  goods_value_fen: ColumnType<number, number | undefined, number>;
  warehouse_id: ColumnType<string | null, string | null | undefined, string | null>;
  goods_document_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DonationGoodsLineTable {
  id: string;
  donation_id: string;
  org_unit_id: string;
  seq: number;
  item_id: string;
  item_code: string;
  item_name: string;
  spec: string;
  unit: string;
  /** numeric(18,3): comes back as a string. */
  quantity: ColumnType<string, string | number, never>;
  unit_value_fen: Fen;
  value_fen: Fen;
  production_date: string | null;
  expiry_date: string | null;
}

export interface FundTable {
  id: string;
  org_unit_id: string;
  kind: string;
  project_id: string | null;
  donation_id: string | null;
  name: string;
  created_at: Date;
  /** Kept by the journal's insert trigger; never written by the app (migration 20261206T005000). */
  balance_fen: Generated<Fen>;
}

export interface JournalEntryTable {
  id: string;
  org_unit_id: string;
  seq: Generated<number>;
  kind: string;
  ref_type: string;
  ref_id: string;
  reverses: string | null;
  occurred_on: string;
  memo: string;
  created_at: Date;
  created_by: string | null;
}

export interface JournalLineTable {
  id: Generated<number>;
  entry_id: string;
  org_unit_id: string;
  fund_id: string;
  amount_fen: Fen;
}

export interface GiftSliceTable {
  id: string;
  org_unit_id: string;
  seq: Generated<number>;
  donation_id: string;
  fund_id: string;
  amount_fen: Fen;
  remaining_fen: Fen;
  source_type: string;
  source_id: string;
}

export interface GiftFlowTable {
  id: string;
  org_unit_id: string;
  donation_id: string;
  slice_id: string;
  to_type: string;
  to_id: string;
  amount_fen: Fen;
  created_at: Date;
}

export interface AllocationTable {
  id: string;
  org_unit_id: string;
  project_id: string;
  amount_fen: Fen;
  decided_by: string;
  decided_on: string;
  reason: string;
  document: string | null;
  entry_id: string;
  created_at: Date;
  created_by: string | null;
}

export interface DisbursementTable {
  id: string;
  org_unit_id: string;
  fund_id: string;
  category: string;
  beneficiary_kind: string;
  person_id: string | null;
  org_name: string | null;
  amount_fen: Fen;
  paid_on: string;
  paid_from: string;
  purpose: string;
  status: string;
  maker_id: string;
  maker_name: string | null;
  approver_id: string | null;
  approver_name: string | null;
  decided_at: Date | null;
  reject_reason: string | null;
  entry_id: string | null;
  created_at: Date;
  version: ColumnType<number, number | undefined, number>;
}

export interface DisclosureReportTable {
  id: string;
  org_unit_id: string;
  period_start: string;
  period_end: string;
  title: string;
  status: string;
  corrects: string | null;
  snapshot_text: string | null;
  content_hash: string | null;
  published_at: Date | null;
  published_by: string | null;
  published_by_name: string | null;
  created_at: Date;
  created_by: string | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface DisclosedDonationTable {
  report_id: string;
  donation_id: string;
  org_unit_id: string;
}

export interface DonationsTables {
  disclosure_report: DisclosureReportTable;
  disclosed_donation: DisclosedDonationTable;
  donor: DonorTable;
  donation_counter: DonationCounterTable;
  donation: DonationTable;
  donation_goods_line: DonationGoodsLineTable;
  fund: FundTable;
  journal_entry: JournalEntryTable;
  journal_line: JournalLineTable;
  gift_slice: GiftSliceTable;
  gift_flow: GiftFlowTable;
  allocation: AllocationTable;
  disbursement: DisbursementTable;
}
