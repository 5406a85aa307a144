import type { ColumnType } from 'kysely';

/** numeric comes back as a string (connect.ts keeps it exact); the repository turns it into a number. */
type Numeric = ColumnType<string, number | string, number | string>;
type NullableNumeric = ColumnType<string | null, number | string | null, number | string | null>;

export interface PlanTable {
  id: string;
  org_unit_id: string;
  name: string;
  document: string | null;
  period_start: number;
  period_end: number;
  base_year: number;
  thresholds: ColumnType<{ lagging: number; severe: number }, string, string>;
  notes: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: ColumnType<number, number | undefined, number>;
}

export interface PlanIndicatorTable {
  id: string;
  plan_id: string;
  code: string;
  name_zh: string;
  name_en: string;
  category: string;
  unit: string;
  numerator_unit: string;
  kind: string;
  direction: string;
  target: NullableNumeric;
  target_scope: string;
  denominator: string;
  scale: string;
  rank_target: number | null;
  source_domain: string | null;
  responsible_unit_id: string | null;
  description: string | null;
  sort_order: number;
  version: ColumnType<number, number | undefined, number>;
}

export interface PlanTargetTable {
  id: string;
  plan_id: string;
  indicator_id: string;
  unit_id: string;
  year: number | null;
  basis: string;
  value: Numeric;
  stated_total: boolean;
  source: string | null;
  note: string | null;
  updated_at: Date;
}

export interface PlanBaselineTable {
  id: string;
  plan_id: string;
  item: string;
  previous_target: string;
  result: string;
  indicator_code: string | null;
  result_value: NullableNumeric;
  sort_order: number;
}

export interface PlanActualEntryTable {
  id: string;
  org_unit_id: string;
  indicator_code: string;
  year: number;
  numerator: Numeric;
  denominator: NullableNumeric;
  rank: number | null;
  source_document: string;
  note: string | null;
  entered_by: string | null;
  entered_by_name: string | null;
  entered_at: Date;
  superseded_at: Date | null;
  superseded_by: string | null;
}

export interface PlanBulletinTable {
  id: string;
  plan_id: string;
  org_unit_id: string;
  period_kind: string;
  year: number;
  part: number;
  title: string;
  as_of: string;
  remarks: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  version: ColumnType<number, number | undefined, number>;
}

export interface PlanEvaluationTable {
  id: string;
  plan_id: string;
  org_unit_id: string;
  kind: string;
  title: string;
  as_of: string;
  narrative: string | null;
  status: string;
  snapshot: ColumnType<unknown, string | null, string | null>;
  snapshot_text: string | null;
  content_hash: string | null;
  published_at: Date | null;
  published_by: string | null;
  published_by_name: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: ColumnType<number, number | undefined, number>;
}

export interface PlanTables {
  plan: PlanTable;
  plan_indicator: PlanIndicatorTable;
  plan_target: PlanTargetTable;
  plan_baseline: PlanBaselineTable;
  plan_actual_entry: PlanActualEntryTable;
  plan_bulletin: PlanBulletinTable;
  plan_evaluation: PlanEvaluationTable;
}
