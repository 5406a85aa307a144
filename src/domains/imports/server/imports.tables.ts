import type { ColumnType } from 'kysely';

export interface ImportJobTable {
  id: string;
  registry: string;
  /** The unit the rows are imported into: decides who sees the job. */
  org_unit_id: string;
  actor_id: string;
  file_name: string;
  file_sha256: string;
  status: string;
  total_rows: number | null;
  processed_rows: number;
  error_count: number;
  inserted_count: number;
  message: string | null;
  message_params: unknown;
  report_file: string | null;
  /** How long validation and the insertion took (benchmarks, support). */
  validation_ms: number | null;
  insert_ms: number | null;
  created_at: ColumnType<Date, Date, never>;
  finished_at: Date | null;
}

export interface ImportsTables {
  import_job: ImportJobTable;
}
