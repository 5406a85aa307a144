import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

/**
 * The verifiable public ledger (docs/decisions/0012, reference/ledger.md §3.2): an RFC 6962 tree in
 * the Go sumdb "stored hashes" layout. The log is public and belongs to no county, so its tables
 * carry no row-level security; they are append-only (triggers refuse UPDATE, DELETE and TRUNCATE,
 * and boai_app holds no such privilege). Appends serialise on the single log_head row lock.
 */
export async function up(db: Kysely<any>) {
  await sql`create table log_head (
    id boolean primary key default true check (id),
    tree_size bigint not null check (tree_size >= 0)
  )`.execute(db);
  await sql`insert into log_head (id, tree_size) values (true, 0)`.execute(db);
  // The head only grows: one row, never deleted, its size never goes back.
  await sql`create function log_head_guard() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'UPDATE' or new.tree_size < old.tree_size or new.id is distinct from old.id then
        raise exception 'the ledger head only grows (% refused)', tg_op using errcode = '42501';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger log_head_guard before update or delete on log_head for each row execute function log_head_guard()`.execute(db);
  await sql`create trigger log_head_no_truncate before truncate on log_head for each statement execute function boai_refuse_change()`.execute(db);
  // update: only for the row lock (select … for update) and the size bump under it.
  await grantApp(db, 'log_head', 'select, update');

  await sql`create table log_entry (
    idx bigint primary key check (idx >= 0),
    entry bytea not null check (octet_length(entry) between 2 and 65535),
    leaf_hash bytea not null check (octet_length(leaf_hash) = 32),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index log_entry_leaf_hash on log_entry (leaf_hash)`.execute(db);

  // Complete subtrees only: (level, n) is MTH(D[n·2^level, (n+1)·2^level)); level 0 holds leaf hashes.
  await sql`create table log_node (
    level smallint not null check (level between 0 and 62),
    n bigint not null check (n >= 0),
    hash bytea not null check (octet_length(hash) = 32),
    primary key (level, n)
  )`.execute(db);

  // Every signed checkpoint is kept; the note is the exact signed text the log published.
  await sql`create table checkpoint (
    tree_size bigint primary key check (tree_size >= 0),
    root_hash bytea not null check (octet_length(root_hash) = 32),
    note text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table checkpoint_cosignature (
    tree_size bigint not null references checkpoint (tree_size),
    witness text not null,
    key_id bigint not null,
    line text not null,
    cosigned_at timestamptz not null,
    created_at timestamptz not null default now(),
    primary key (tree_size, witness, key_id)
  )`.execute(db);

  // How business rows find their entries (a donation has its receipt and perhaps a correction).
  await sql`create table log_link (
    ref_type text not null,
    ref_id text not null,
    idx bigint not null references log_entry (idx),
    primary key (ref_type, ref_id, idx)
  )`.execute(db);
  await sql`create index log_link_idx on log_link (idx)`.execute(db);

  for (const table of ['log_entry', 'log_node', 'checkpoint', 'checkpoint_cosignature', 'log_link']) {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
        for each row execute function boai_refuse_change()`.execute(db);
    }
    await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function boai_refuse_change()`.execute(db);
    await grantApp(db, table, 'select, insert');
  }

  // The salt behind a party's commitment lives here, in the mutable database: printed on the donor's
  // receipt, and deleted on erasure, after which the public entry can no longer be tied to the person.
  await sql`create table ledger_party_salt (
    party_type text not null,
    party_id uuid not null,
    org_unit_id uuid not null references org_unit (id),
    salt bytea not null check (octet_length(salt) = 16),
    created_at timestamptz not null,
    primary key (party_type, party_id)
  )`.execute(db);
  await enableJurisdiction(db, 'ledger_party_salt');
  await grantApp(db, 'ledger_party_salt', 'select, insert, delete');
}
