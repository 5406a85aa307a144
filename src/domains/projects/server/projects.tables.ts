import type { ColumnType } from 'kysely';

export interface ProjectTable {
  id: string;
  org_unit_id: string;
  code: string;
  name: string;
  kind: string;
  category: string;
  summary: string | null;
  /** date columns come back as 'YYYY-MM-DD' strings (connect.ts). */
  period_start: string | null;
  period_end: string | null;
  affected_area: string | null;
  /** bigint fen; connect.ts returns int8 as a safe-integer number. */
  goal_fen: number | null;
  status: string;
  beneficiary_groups: ColumnType<string[], string, string>;
  brand_project: boolean;
  public_text: string | null;
  public_image_id: string | null;
  internal_notes: string | null;
  closed_at: Date | null;
  closed_reason: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: ColumnType<number, number | undefined, number>;
}

export interface ProjectsTables {
  project: ProjectTable;
}
