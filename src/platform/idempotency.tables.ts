export interface IdempotencyKeyTable {
  actor_id: string;
  key: string;
  route: string;
  request_hash: string;
  status_code: number | null;
  response: unknown;
  created_at: Date;
}
