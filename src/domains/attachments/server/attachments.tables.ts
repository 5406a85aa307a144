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
  /** Who uploaded it, as shown then (the account may be in a jurisdiction the reader cannot see). */
  created_by_name: string | null;
  created_at: ColumnType<Date, Date, never>;
  deleted_at: Date | null;
}

export interface AttachmentsTables {
  attachment: AttachmentTable;
}
