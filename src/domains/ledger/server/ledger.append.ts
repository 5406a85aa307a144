import crypto from 'node:crypto';
import type { Ctx, Trx } from '../../../platform/context.ts';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import { DomainError } from '../../../platform/errors.ts';
import { ledgerEntry, type LedgerEntry } from '../ledger.contract.ts';
import { hasher } from './merkle.ts';
import * as repo from './ledger.repository.ts';

export type AppendResult = { index: number; leafHash: Uint8Array; bytes: Uint8Array };

/** The exact bytes of an entry: RFC 8785 canonical JSON in UTF-8 (never re-serialised later). */
export function entryBytes(entry: LedgerEntry): Uint8Array {
  const parsed = ledgerEntry.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DomainError('ledger.invalid_entry', { reason: `${issue.path.join('.')}: ${issue.message}` });
  }
  const b = Buffer.from(canonicalJson(parsed.data), 'utf8');
  if (b.length > 65_535) throw new DomainError('ledger.invalid_entry', { reason: 'entry exceeds 64 KiB' });
  return b;
}

/**
 * Appends one entry to the log inside the caller's transaction: make it the LAST statement of the
 * business transaction, since it takes the log_head row lock that every appender waits on until
 * commit (reference/ledger.md §3.2, §5.2). The index is the head's size read under that lock, so
 * indexes are dense whatever rolls back. Writes the leaf hash and every subtree the leaf completes
 * (1 + trailing ones of the index), the links from business rows, and bumps the head: one read
 * (the lock and the siblings) and one write statement.
 */
export async function appendLedgerEntry(trx: Trx, entry: LedgerEntry, links: { refType: string; refId: string }[] = []): Promise<AppendResult> {
  const bytes = entryBytes(entry);
  const leafHash = hasher.leaf(bytes);
  const { idx, siblings } = await repo.lockHeadWithSiblings(trx);
  // Under contention the lock is granted after the statement's snapshot was taken: the head row is
  // re-read, but siblings committed meanwhile are not visible to it. Stored hashes never change, so
  // any that are missing are read again, now that the lock is held.
  const want: [number, number][] = [];
  for (let m = idx, level = 0; m % 2 === 1; m = (m - 1) / 2, level++) if (!siblings.get(level)) want.push([level, m - 1]);
  if (want.length) for (const [key, hash] of await repo.nodes(trx, want)) siblings.set(Number(key.split('/')[0]), hash);
  const nodes = [{ level: 0, n: idx, hash: leafHash }];
  let h = leafHash;
  for (let m = idx, level = 0; m % 2 === 1; m = (m - 1) / 2, level++) {
    const s = siblings.get(level);
    if (!s) throw new Error(`ledger: stored hash ${level}/${m - 1} is missing: the log is damaged`);
    h = hasher.node(s, h);
    // The sibling (level, m - 1) is a left child (m - 1 even): their parent is (level + 1, (m - 1) / 2).
    nodes.push({ level: level + 1, n: (m - 1) / 2, hash: h });
  }
  await repo.writeAppend(trx, { idx, entry: bytes, leafHash, nodes, links });
  return { index: idx, leafHash, bytes };
}

/**
 * A party's salted commitment (reference/ledger.md §7): hex(SHA-256("rc-party-v1" || 0x00 ||
 * salt16 || internal id)). The salt is made once per party and kept in the mutable database;
 * deleting it (erasure) leaves the public entry unlinkable to the person.
 */
export async function partyCommitment(ctx: Ctx, trx: Trx, party: { type: string; id: string; unitId: string }) {
  let salt = await repo.partySalt(trx, party.type, party.id);
  if (!salt) {
    await repo.insertPartySalt(trx, { partyType: party.type, partyId: party.id, unitId: party.unitId, salt: crypto.randomBytes(16), at: ctx.deps.clock.now() });
    salt = (await repo.partySalt(trx, party.type, party.id))!;
  }
  return { commitment: commitParty(salt, party.id), salt };
}

export function commitParty(salt: Uint8Array, internalId: string) {
  return crypto.createHash('sha256').update('rc-party-v1').update(Buffer.from([0])).update(salt).update(internalId).digest('hex');
}

/** Forgets a party's salt (erasure): its entries stay, but can no longer be tied to it. */
export async function forgetParty(trx: Trx, partyType: string, partyId: string) {
  await repo.deletePartySalt(trx, partyType, partyId);
}

