import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';

/** SQL only (reference/ledger.md §3.2). The log is public: reads need no jurisdiction. */
type Db = Kysely<DB>;

const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Takes the sequencer lock and, in the same round trip, reads the stored siblings the next leaf
 * completes: for each run of trailing one bits of the index up to level L, the left sibling
 * (L, (idx >> L) - 1).
 */
export async function lockHeadWithSiblings(trx: Db) {
  const r = await sql<{ tree_size: number; level: number | null; hash: Uint8Array | null }>`
    select h.tree_size, g.lv as level, s.hash
    from (select tree_size from log_head where id for update) h
    left join lateral (select lv from generate_series(0, 52) lv where (h.tree_size & ((2::bigint << lv) - 1)) = (2::bigint << lv) - 1) g on true
    left join log_node s on s.level = g.lv and s.n = (h.tree_size >> g.lv) - 1
    order by g.lv`.execute(trx);
  const idx = Number(r.rows[0]!.tree_size);
  const siblings = new Map<number, Uint8Array | null>();
  for (const row of r.rows) if (row.level !== null) siblings.set(Number(row.level), row.hash ? new Uint8Array(row.hash) : null);
  return { idx, siblings };
}

export async function treeSize(db: Db) {
  const r = await db.selectFrom('log_head').select('tree_size').executeTakeFirstOrThrow();
  return Number(r.tree_size);
}

export async function nodes(db: Db, keys: readonly (readonly [number, number])[]) {
  const out = new Map<string, Uint8Array>();
  if (keys.length === 0) return out;
  // Two array parameters, however many keys: a row-value IN list of hundreds of pairs (the signer's
  // full audit) broke PGlite ("bad buffer ID: 0") once the log passed ~300 entries.
  const r = await sql<{ level: number; n: number; hash: Uint8Array }>`
    select x.level, x.n, x.hash from log_node x
    join unnest(${keys.map((k) => k[0])}::smallint[], ${keys.map((k) => String(k[1]))}::bigint[]) as k(level, n) on x.level = k.level and x.n = k.n`.execute(db);
  for (const row of r.rows) out.set(`${row.level}/${Number(row.n)}`, new Uint8Array(row.hash));
  return out;
}

/** One statement: the entry, its completed subtree hashes, its links, and the head bump. */
export async function writeAppend(trx: Db, a: { idx: number; entry: Uint8Array; leafHash: Uint8Array; nodes: { level: number; n: number; hash: Uint8Array }[]; links: { refType: string; refId: string }[] }) {
  const nodeRows = sql.join(a.nodes.map((x) => sql`(${x.level}::smallint, ${x.n}::bigint, ${bytes(x.hash)}::bytea)`));
  const linkRows = a.links.length ? sql.join(a.links.map((l) => sql`(${l.refType}, ${l.refId}, ${a.idx}::bigint)`)) : null;
  const r = await sql<{ tree_size: number }>`with
    e as (insert into log_entry (idx, entry, leaf_hash) values (${a.idx}::bigint, ${bytes(a.entry)}::bytea, ${bytes(a.leafHash)}::bytea) returning idx),
    nd as (insert into log_node (level, n, hash) values ${nodeRows} returning 1)
    ${linkRows ? sql`, l as (insert into log_link (ref_type, ref_id, idx) select v.ref_type, v.ref_id, e.idx from (values ${linkRows}) v(ref_type, ref_id, idx) cross join e returning 1)` : sql``}
    update log_head set tree_size = ${a.idx + 1}::bigint where id and tree_size = ${a.idx}::bigint and exists (select 1 from e)
    returning tree_size`.execute(trx);
  if (r.rows.length !== 1) throw new Error('ledger: the head moved under its lock');
}

export async function entries(db: Db, from: number, to: number) {
  const rows = await db.selectFrom('log_entry').select(['idx', 'entry', 'leaf_hash']).where('idx', '>=', from).where('idx', '<', to).orderBy('idx').execute();
  return rows.map((r) => ({ idx: Number(r.idx), entry: new Uint8Array(r.entry), leafHash: new Uint8Array(r.leaf_hash) }));
}

export async function entryByIndex(db: Db, idx: number) {
  return (await entries(db, idx, idx + 1))[0] ?? null;
}

export async function indexByLeafHash(db: Db, leafHash: Uint8Array) {
  const r = await db.selectFrom('log_entry').select('idx').where('leaf_hash', '=', bytes(leafHash)).executeTakeFirst();
  return r ? Number(r.idx) : null;
}

export async function tileHashes(db: Db, level: number, from: number, count: number) {
  const rows = await db.selectFrom('log_node').select(['n', 'hash']).where('level', '=', level).where('n', '>=', from).where('n', '<', from + count).orderBy('n').execute();
  return rows.map((r) => new Uint8Array(r.hash));
}

export async function linkedIndexes(db: Db, refType: string, refIds: readonly string[]) {
  if (refIds.length === 0) return [];
  const rows = await db.selectFrom('log_link').select(['ref_id', 'idx']).where('ref_type', '=', refType).where('ref_id', 'in', refIds).orderBy('idx').execute();
  return rows.map((r) => ({ refId: r.ref_id, idx: Number(r.idx) }));
}

export async function latestCheckpoint(db: Db) {
  const r = await db.selectFrom('checkpoint').select(['tree_size', 'root_hash', 'note', 'created_at']).orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  return r ? { treeSize: Number(r.tree_size), rootHash: new Uint8Array(r.root_hash), note: r.note, createdAt: r.created_at } : null;
}

export async function checkpointBySize(db: Db, size: number) {
  const r = await db.selectFrom('checkpoint').select(['tree_size', 'root_hash', 'note']).where('tree_size', '=', size).executeTakeFirst();
  return r ? { treeSize: Number(r.tree_size), rootHash: new Uint8Array(r.root_hash), note: r.note } : null;
}

export async function insertCheckpoint(db: Db, c: { treeSize: number; rootHash: Uint8Array; note: string }) {
  const r = await db.insertInto('checkpoint').values({ tree_size: c.treeSize, root_hash: bytes(c.rootHash), note: c.note }).onConflict((oc) => oc.column('tree_size').doNothing()).returning('tree_size').executeTakeFirst();
  return r !== undefined;
}

export async function cosignatures(db: Db, size: number) {
  return db.selectFrom('checkpoint_cosignature').select(['witness', 'key_id', 'line', 'cosigned_at']).where('tree_size', '=', size).orderBy('witness').execute();
}

export async function insertCosignature(db: Db, c: { treeSize: number; witness: string; keyId: number; line: string; cosignedAt: Date }) {
  const r = await db
    .insertInto('checkpoint_cosignature')
    .values({ tree_size: c.treeSize, witness: c.witness, key_id: c.keyId, line: c.line, cosigned_at: c.cosignedAt })
    .onConflict((oc) => oc.columns(['tree_size', 'witness', 'key_id']).doNothing())
    .returning('tree_size')
    .executeTakeFirst();
  return r !== undefined;
}

export async function partySalt(db: Db, partyType: string, partyId: string) {
  const r = await db.selectFrom('ledger_party_salt').select('salt').where('party_type', '=', partyType).where('party_id', '=', partyId).executeTakeFirst();
  return r ? new Uint8Array(r.salt) : null;
}

export async function insertPartySalt(db: Db, p: { partyType: string; partyId: string; unitId: string; salt: Uint8Array; at: Date }) {
  await db.insertInto('ledger_party_salt').values({ party_type: p.partyType, party_id: p.partyId, org_unit_id: p.unitId, salt: bytes(p.salt), created_at: p.at }).onConflict((oc) => oc.columns(['party_type', 'party_id']).doNothing()).execute();
}

export async function deletePartySalt(db: Db, partyType: string, partyId: string) {
  await db.deleteFrom('ledger_party_salt').where('party_type', '=', partyType).where('party_id', '=', partyId).execute();
}
