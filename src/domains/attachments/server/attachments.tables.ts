import type { ColumnType } from 'kysely';

export interface AttachmentTable {
  id: string;
  /** The owning record's unit: decides who sees the file. */
  org_unit_id: string;
  owner_type: string;
  owner_id: string;
  sha256: string;
  size: number;
  content_type: string;
  file_name: string;
  note: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date, never>;
  deleted_at: Date | null;
}

export interface AttachmentsTables {
  attachment: AttachmentTable;
}
