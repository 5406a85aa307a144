import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  // The name's characters and character pairs are computed by the application (nameGrams in
  // people.repository.ts) and searched through a GIN index: any substring of a Chinese name (2–4
  // characters, too short for trigrams) on PostgreSQL and PGlite alike.
  await sql`create table person (
    id uuid primary key default gen_random_uuid(),
    org_unit_id uuid not null references org_unit(id),
    name text not null check (char_length(name) between 1 and 50),
    name_grams text[] not null,
    id_type text not null check (id_type in ('resident_id','passport','hk_macao_permit','taiwan_permit','foreign_permanent','other')),
    id_number_enc text,
    id_number_bidx text,
    id_number_mask text,
    sex text not null default 'U' check (sex in ('M','F','U')),
    birth_date date,
    mobile_enc text,
    mobile_bidx text,
    mobile_mask text,
    address text,
    home_unit_id uuid references org_unit(id),
    notes text,
    guardian_id uuid references person(id),
    guardian_relation text,
    merged_into uuid references person(id),
    erased_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    version int not null default 1,
    check (id_number_bidx is null or id_number_enc is not null),
    check (mobile_bidx is null or mobile_enc is not null),
    check (erased_at is null or (id_number_bidx is null and mobile_bidx is null))
  )`.execute(db);
  // One live record per document, across every jurisdiction.
  await sql`create unique index person_document on person (id_type, id_number_bidx) where id_number_bidx is not null and merged_into is null`.execute(db);
  await sql`create index person_mobile on person (mobile_bidx) where mobile_bidx is not null`.execute(db);
  await sql`create index person_unit_created on person (org_unit_id, created_at desc, id desc)`.execute(db);
  await sql`create index person_created on person (created_at desc, id desc)`.execute(db);
  await sql`create index person_name on person (name, id)`.execute(db);
  await sql`create index person_name_grams on person using gin (name_grams)`.execute(db);

  await sql`create table person_link (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person(id) on delete cascade,
    org_unit_id uuid not null references org_unit(id),
    domain text not null,
    role text not null,
    ref_id text,
    created_at timestamptz not null default now(),
    unique (person_id, org_unit_id, domain, role, ref_id)
  )`.execute(db);
  await sql`create index person_link_unit on person_link (org_unit_id, person_id)`.execute(db);
  await enableJurisdiction(db, 'person_link');
  await grantApp(db, 'person_link', 'select, insert, update, delete');

  // A person is visible where it was registered and wherever a unit in scope has linked it.
  await sql`alter table person enable row level security`.execute(db);
  await sql`create policy jurisdiction on person to boai_app
    using (
      exists (select 1 from org_unit u where u.id = person.org_unit_id and u.path >= boai_scope_lo() and u.path < boai_scope_hi())
      or exists (select 1 from person_link l join org_unit u on u.id = l.org_unit_id
                  where l.person_id = person.id and u.path >= boai_scope_lo() and u.path < boai_scope_hi()))
    with check (
      exists (select 1 from org_unit u where u.id = person.org_unit_id and u.path >= boai_scope_lo() and u.path < boai_scope_hi())
      or exists (select 1 from person_link l join org_unit u on u.id = l.org_unit_id
                  where l.person_id = person.id and u.path >= boai_scope_lo() and u.path < boai_scope_hi()))`.execute(db);
  await grantApp(db, 'person', 'select, insert, update');

  // Data keys live apart from the data: dropping a row shreds that person's ciphertexts, and this
  // table can be kept out of long-lived backups.
  await sql`create table person_key (
    person_id uuid primary key references person(id) on delete cascade,
    key_material text not null
  )`.execute(db);
  await sql`alter table person_key enable row level security`.execute(db);
  await sql`create policy via_person on person_key to boai_app
    using (exists (select 1 from person p where p.id = person_key.person_id))
    with check (exists (select 1 from person p where p.id = person_key.person_id))`.execute(db);
  await grantApp(db, 'person_key', 'select, insert, delete');

  // A county registering a person learns whether the document is registered elsewhere (and may
  // link that record to itself), without seeing anything else of it.
  await sql`create function boai_person_by_document(p_type text, p_bidx text) returns uuid
    language sql stable security definer set search_path = public as
    $$ select id from person where id_type = p_type and id_number_bidx = p_bidx and merged_into is null $$`.execute(db);
  await sql`create function boai_people_documents_taken(p_types text[], p_bidx text[]) returns table (id_type text, id_number_bidx text)
    language sql stable security definer set search_path = public as
    $$ select p.id_type, p.id_number_bidx from person p
         join unnest(p_types, p_bidx) as d(t, b) on p.id_type = d.t and p.id_number_bidx = d.b
        where p.merged_into is null $$`.execute(db);
  for (const fn of ['boai_person_by_document(text, text)', 'boai_people_documents_taken(text[], text[])']) {
    await sql`revoke all on function ${sql.raw(fn)} from public`.execute(db);
    await sql`grant execute on function ${sql.raw(fn)} to boai_app`.execute(db);
  }

  // The name of a unit, whoever asks: a person linked from another county still shows who registered them.
  await sql`create function boai_unit_name(p_unit uuid) returns text
    language sql stable security definer set search_path = public as
    $$ select name from org_unit where id = p_unit $$`.execute(db);
  await sql`revoke all on function boai_unit_name(uuid) from public`.execute(db);
  await sql`grant execute on function boai_unit_name(uuid) to boai_app`.execute(db);

  await sql`create table person_consent (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references person(id) on delete cascade,
    org_unit_id uuid not null references org_unit(id),
    purpose text not null,
    scope text not null,
    given_at timestamptz not null,
    given_by text not null check (given_by in ('self','guardian')),
    guardian_id uuid references person(id),
    evidence text,
    withdrawn_at timestamptz,
    withdrawn_reason text,
    recorded_by uuid,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index person_consent_person on person_consent (person_id, given_at desc)`.execute(db);
  await enableJurisdiction(db, 'person_consent');
  await grantApp(db, 'person_consent', 'select, insert, update');
}
