import type { Generated } from 'kysely';

export interface AuditLogTable {
  /** Dense sequence assigned under the chain lock: a missing number is a deleted row. */
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  actor_unit_id: string | null;
  /** The unit the event concerns; decides who may read the row. */
  org_unit_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  result: string;
  request_id: string | null;
  ip: string | null;
  before: unknown;
  after: unknown;
  details: unknown;
  /** Canonical JSON of the row's content: the exact bytes that were hashed. */
  payload: string;
  /** Path of the unit when the event happened (set by the database); decides who may read the row. */
  unit_path: Generated<string | null>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: Generated<number>;
  seq: number;
  hash: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
}
