import type { ColumnType } from 'kysely';

/** bytea comes back as a Buffer (pg) or a Uint8Array (PGlite): both are Uint8Arrays. */
type Bytes = ColumnType<Uint8Array, Uint8Array, never>;

export interface LogHeadTable {
  id: boolean;
  tree_size: number;
}
export interface LogEntryTable {
  idx: ColumnType<number, number, never>;
  entry: Bytes;
  leaf_hash: Bytes;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export interface LogNodeTable {
  level: ColumnType<number, number, never>;
  n: ColumnType<number, number, never>;
  hash: Bytes;
}
export interface CheckpointTable {
  tree_size: ColumnType<number, number, never>;
  root_hash: Bytes;
  note: ColumnType<string, string, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export interface CheckpointCosignatureTable {
  tree_size: ColumnType<number, number, never>;
  witness: ColumnType<string, string, never>;
  key_id: ColumnType<number, number, never>;
  line: ColumnType<string, string, never>;
  cosigned_at: ColumnType<Date, Date, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
}
export interface LogLinkTable {
  ref_type: ColumnType<string, string, never>;
  ref_id: ColumnType<string, string, never>;
  idx: ColumnType<number, number, never>;
}
export interface LedgerPartySaltTable {
  party_type: string;
  party_id: string;
  org_unit_id: string;
  salt: Bytes;
  created_at: Date;
}

export interface LedgerTables {
  log_head: LogHeadTable;
  log_entry: LogEntryTable;
  log_node: LogNodeTable;
  checkpoint: CheckpointTable;
  checkpoint_cosignature: CheckpointCosignatureTable;
  log_link: LogLinkTable;
  ledger_party_salt: LedgerPartySaltTable;
}
