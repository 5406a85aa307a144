import { sql, type Kysely } from 'kysely';
import { grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  // Idempotency keys are per user: a key only ever replays its own author's first response.
  await sql`create table idempotency_key (
    actor_id uuid not null,
    key text not null check (char_length(key) between 1 and 255),
    route text not null,
    request_hash text not null,
    status_code int,
    response jsonb,
    created_at timestamptz not null,
    primary key (actor_id, key)
  )`.execute(db);
  await sql`create index idempotency_key_created on idempotency_key (created_at)`.execute(db);
  await sql`alter table idempotency_key enable row level security`.execute(db);
  await sql`create policy own_keys on idempotency_key to boai_app
    using (actor_id::text = current_setting('boai.actor', true))
    with check (actor_id::text = current_setting('boai.actor', true))`.execute(db);
  await grantApp(db, 'idempotency_key', 'select, insert, update, delete');
}
