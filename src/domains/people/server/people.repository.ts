import { sql, type Kysely, type Insertable, type Updateable } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { PersonConsentTable, PersonLinkTable, PersonTable } from './people.tables.ts';

type Db = Kysely<DB>;

function personSelect(db: Db) {
  return db
    .selectFrom('person as p')
    .leftJoin('org_unit as h', 'h.id', 'p.home_unit_id')
    .leftJoin('person as g', 'g.id', 'p.guardian_id')
    // A person may be visible through a link while the registering unit is another county's.
    .select(sql<string>`boai_unit_name(p.org_unit_id)`.as('unit_name'))
    .select([
      'p.id', 'p.org_unit_id', 'p.name', 'p.id_type', 'p.id_number_mask', 'p.id_number_enc', 'p.sex', 'p.birth_date',
      'p.mobile_mask', 'p.mobile_enc', 'p.address', 'p.home_unit_id', 'h.name as home_unit_name', 'p.notes', 'p.guardian_id',
      'g.name as guardian_name', 'p.guardian_relation', 'p.erased_at', 'p.merged_into', 'p.created_at', 'p.updated_at', 'p.version',
    ]);
}
export type PersonRow = Awaited<ReturnType<ReturnType<typeof personSelect>['executeTakeFirstOrThrow']>>;

export type PersonFilter = {
  q?: string;
  unitPath?: string;
  idType?: string;
  sex?: string;
  /** Born after this date (YYYY-MM-DD): younger than an age limit. */
  bornAfter?: string;
  sort: 'name' | '-name' | 'createdAt' | '-createdAt';
  after?: { k: string; i: string };
};

/** What a name is indexed by: its characters and character pairs, lower-cased, without spaces. */
export function nameGramsOf(name: string): string[] {
  const s = [...name.toLowerCase()].filter((ch) => !/\s/.test(ch));
  const grams = new Set<string>(s);
  for (let i = 0; i < s.length - 1; i++) grams.add(s[i]! + s[i + 1]!);
  return [...grams];
}

/** Name search: every character pair (or the single character) must be among the name's grams, then the exact substring. */
export function nameGrams(q: string): string[] {
  const s = [...q.toLowerCase().replace(/\s+/g, '')];
  if (s.length === 0) return [];
  if (s.length === 1) return [s[0]!];
  const grams = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) grams.add(s[i]! + s[i + 1]!);
  return [...grams];
}

export async function listPeople(db: Db, f: PersonFilter, limit: number) {
  let q = personSelect(db).where('p.merged_into', 'is', null);
  if (f.q) {
    const grams = nameGrams(f.q);
    const like = '%' + f.q.replace(/[\\%_]/g, '\\$&') + '%';
    q = q.where(sql<boolean>`p.id in (select boai_people_named(${sql.val(grams)}::text[], ${like}))`);
  }
  if (f.unitPath) {
    const lo = f.unitPath;
    const hi = f.unitPath.slice(0, -1) + '0';
    q = q.where((eb) => eb.exists(eb.selectFrom('org_unit as u').whereRef('u.id', '=', 'p.org_unit_id').where('u.path', '>=', lo).where('u.path', '<', hi).select('u.id')));
  }
  if (f.idType) q = q.where('p.id_type', '=', f.idType);
  if (f.sex) q = q.where('p.sex', '=', f.sex);
  if (f.bornAfter) q = q.where('p.birth_date', '>', f.bornAfter);
  const desc = f.sort.startsWith('-');
  const col = f.sort.endsWith('name') ? 'p.name' : 'p.created_at';
  if (f.after) {
    const key = col === 'p.created_at' ? new Date(f.after.k) : f.after.k;
    q = q.where((eb) => eb(eb.refTuple(col, 'p.id'), desc ? '<' : '>', eb.tuple(key as never, f.after!.i)));
  }
  return q.orderBy(col, desc ? 'desc' : 'asc').orderBy('p.id', desc ? 'desc' : 'asc').limit(limit).execute();
}

export async function getPerson(db: Db, id: string) {
  return personSelect(db).where('p.id', '=', id).executeTakeFirst();
}

export async function getPersonForUpdate(db: Db, id: string) {
  return db.selectFrom('person').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findVisibleByDocument(db: Db, idType: string, bidx: string) {
  return personSelect(db).where('p.id_type', '=', idType).where('p.id_number_bidx', '=', bidx).where('p.merged_into', 'is', null).executeTakeFirst();
}

export async function findVisibleByMobile(db: Db, bidx: string) {
  return personSelect(db).where('p.mobile_bidx', '=', bidx).where('p.merged_into', 'is', null).limit(20).execute();
}

/** The id of the live record holding a document, wherever it was registered. */
export async function documentOwner(db: Db, idType: string, bidx: string) {
  const r = await sql<{ id: string | null }>`select boai_person_by_document(${idType}, ${bidx}) as id`.execute(db);
  return r.rows[0]?.id ?? null;
}

/** Which of these documents are registered already, anywhere. */
export async function documentsTaken(db: Db, docs: { idType: string; bidx: string }[]) {
  if (docs.length === 0) return new Set<string>();
  const r = await sql<{ id_type: string; id_number_bidx: string }>`select * from boai_people_documents_taken(${sql.val(docs.map((d) => d.idType))}::text[], ${sql.val(docs.map((d) => d.bidx))}::text[])`.execute(db);
  return new Set(r.rows.map((x) => `${x.id_type}:${x.id_number_bidx}`));
}

/** A PostgreSQL array literal of strings (every element quoted), sent as one element of a text[] parameter. */
function textArrayLiteral(items: readonly string[]) {
  let out = '{';
  for (let i = 0; i < items.length; i++) out += (i ? ',"' : '"') + items[i]!.replace(/[\\"]/g, '\\$&') + '"';
  return out + '}';
}

/** Rows per statement: bounded so that one statement's arrays stay a few megabytes. */
const CHUNK = 5000;

/**
 * People in bulk (imports, the demo): one statement per chunk, each column sent as one array
 * parameter and expanded by `unnest`. A VALUES list carried 23 parameters per row, and parsing and
 * binding those was most of an import's insert time; this statement has 23 whatever the row count.
 * Omitted columns take the table's defaults.
 */
export async function insertPeople(db: Db, rows: Insertable<PersonTable>[]) {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(rows.length, start + CHUNK);
    const n = end - start;
    const col = <T>() => new Array<T>(n);
    const c = {
      id: col<string | null>(), org: col<string>(), name: col<string>(), grams: col<string>(), idType: col<string>(), idEnc: col<string | null>(), idBidx: col<string | null>(),
      idMask: col<string | null>(), sex: col<string | null>(), birth: col<string | null>(), mEnc: col<string | null>(), mBidx: col<string | null>(), mMask: col<string | null>(),
      address: col<string | null>(), home: col<string | null>(), notes: col<string | null>(), guardian: col<string | null>(), relation: col<string | null>(),
      merged: col<string | null>(), erased: col<string | null>(), created: col<string | null>(), updated: col<string | null>(), version: col<number | null>(),
    };
    const iso = (d: Date | undefined | null) => (d ? d.toISOString() : null);
    for (let i = 0; i < n; i++) {
      const r = rows[start + i]!;
      c.id[i] = r.id ?? null;
      c.org[i] = r.org_unit_id;
      c.name[i] = r.name;
      c.grams[i] = textArrayLiteral(r.name_grams);
      c.idType[i] = r.id_type;
      c.idEnc[i] = r.id_number_enc ?? null;
      c.idBidx[i] = r.id_number_bidx ?? null;
      c.idMask[i] = r.id_number_mask ?? null;
      c.sex[i] = r.sex ?? null;
      c.birth[i] = r.birth_date ?? null;
      c.mEnc[i] = r.mobile_enc ?? null;
      c.mBidx[i] = r.mobile_bidx ?? null;
      c.mMask[i] = r.mobile_mask ?? null;
      c.address[i] = r.address ?? null;
      c.home[i] = r.home_unit_id ?? null;
      c.notes[i] = r.notes ?? null;
      c.guardian[i] = r.guardian_id ?? null;
      c.relation[i] = r.guardian_relation ?? null;
      c.merged[i] = r.merged_into ?? null;
      c.erased[i] = iso(r.erased_at);
      c.created[i] = iso(r.created_at);
      c.updated[i] = iso(r.updated_at);
      c.version[i] = r.version ?? null;
    }
    await sql`insert into person (id, org_unit_id, name, name_grams, id_type, id_number_enc, id_number_bidx, id_number_mask, sex, birth_date, mobile_enc, mobile_bidx,
        mobile_mask, address, home_unit_id, notes, guardian_id, guardian_relation, merged_into, erased_at, created_at, updated_at, version)
      select coalesce(id, gen_random_uuid()), org, name, grams::text[], id_type, id_enc, id_bidx, id_mask, coalesce(sex, 'U'), birth, m_enc, m_bidx,
        m_mask, address, home, notes, guardian, relation, merged, erased, coalesce(created, now()), coalesce(updated, now()), coalesce(version, 1)
      from unnest(${c.id}::uuid[], ${c.org}::uuid[], ${c.name}::text[], ${c.grams}::text[], ${c.idType}::text[], ${c.idEnc}::text[], ${c.idBidx}::text[],
        ${c.idMask}::text[], ${c.sex}::text[], ${c.birth}::date[], ${c.mEnc}::text[], ${c.mBidx}::text[], ${c.mMask}::text[], ${c.address}::text[],
        ${c.home}::uuid[], ${c.notes}::text[], ${c.guardian}::uuid[], ${c.relation}::text[], ${c.merged}::uuid[], ${c.erased}::timestamptz[],
        ${c.created}::timestamptz[], ${c.updated}::timestamptz[], ${c.version}::int[])
        as t(id, org, name, grams, id_type, id_enc, id_bidx, id_mask, sex, birth, m_enc, m_bidx, m_mask, address, home, notes, guardian, relation, merged, erased, created, updated, version)`.execute(db);
  }
}

export async function insertKeys(db: Db, rows: { person_id: string; key_material: string }[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const slice = rows.slice(i, i + CHUNK);
    await sql`insert into person_key (person_id, key_material)
      select * from unnest(${slice.map((r) => r.person_id)}::uuid[], ${slice.map((r) => r.key_material)}::text[])`.execute(db);
  }
}

export async function getKey(db: Db, personId: string) {
  return (await db.selectFrom('person_key').select('key_material').where('person_id', '=', personId).executeTakeFirst())?.key_material ?? null;
}

export async function deleteKey(db: Db, personId: string) {
  await db.deleteFrom('person_key').where('person_id', '=', personId).execute();
}

export async function updatePersonRow(db: Db, id: string, patch: Updateable<PersonTable>, opts: { expectedVersion?: number; now: Date }) {
  let q = db.updateTable('person').set({ ...patch, updated_at: opts.now, version: sql<number>`version + 1` }).where('id', '=', id);
  if (opts.expectedVersion !== undefined) q = q.where('version', '=', opts.expectedVersion);
  return q.returning(['id', 'version']).executeTakeFirst();
}

/* ---------- links ---------- */

export async function insertLink(db: Db, row: Insertable<PersonLinkTable>) {
  await db.insertInto('person_link').values(row).onConflict((oc) => oc.doNothing()).execute();
}

export async function listLinks(db: Db, personId: string) {
  return db
    .selectFrom('person_link as l')
    .innerJoin('org_unit as u', 'u.id', 'l.org_unit_id')
    .select(['l.domain', 'l.role', 'l.org_unit_id', 'u.name as unit_name', 'l.ref_id', 'l.created_at'])
    .where('l.person_id', '=', personId)
    .orderBy('l.created_at')
    .execute();
}

/** Moves every link, consent and guardianship of one person to another (merge). Runs as the owner: a merge must not leave rows behind in units the caller cannot see. */
export async function moveEverything(db: Db, fromId: string, toId: string) {
  await sql`update person_link l set person_id = ${toId} where person_id = ${fromId}
    and not exists (select 1 from person_link k where k.person_id = ${toId} and k.org_unit_id = l.org_unit_id
      and k.domain = l.domain and k.role = l.role and k.ref_id is not distinct from l.ref_id)`.execute(db);
  await sql`delete from person_link where person_id = ${fromId}`.execute(db);
  await sql`update person_consent set person_id = ${toId} where person_id = ${fromId}`.execute(db);
  await sql`update person set guardian_id = ${toId} where guardian_id = ${fromId}`.execute(db);
  await sql`update person_consent set guardian_id = ${toId} where guardian_id = ${fromId}`.execute(db);
}

/* ---------- consents ---------- */

export async function listConsents(db: Db, personId: string) {
  return db
    .selectFrom('person_consent as c')
    .leftJoin('person as g', 'g.id', 'c.guardian_id')
    .select(['c.id', 'c.person_id', 'c.purpose', 'c.scope', 'c.given_at', 'c.given_by', 'g.name as guardian_name', 'c.evidence', 'c.withdrawn_at', 'c.withdrawn_reason'])
    .where('c.person_id', '=', personId)
    .orderBy('c.given_at', 'desc')
    .execute();
}

export async function insertConsent(db: Db, row: Insertable<PersonConsentTable>) {
  return (await db.insertInto('person_consent').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function getConsent(db: Db, personId: string, id: string) {
  return db.selectFrom('person_consent').selectAll().where('id', '=', id).where('person_id', '=', personId).executeTakeFirst();
}

export async function withdrawConsent(db: Db, id: string, at: Date, reason: string) {
  await db.updateTable('person_consent').set({ withdrawn_at: at, withdrawn_reason: reason }).where('id', '=', id).execute();
}

export async function countPeople(db: Db) {
  const r = await db.selectFrom('person').select(sql<number>`count(*)::int`.as('n')).where('merged_into', 'is', null).executeTakeFirstOrThrow();
  return r.n;
}
