import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Ctx, Deps } from '../../../platform/context.ts';
import { systemCtx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import type { DB } from '../../../server/db/schema.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { fromBase64, parseNote, parseCheckpoint, formatProofBundle, toBase64, cosignedMessage, type Verifier } from '../verify/note.ts';
import { bytesEqual, type NodeSource } from '../verify/tlog.ts';
import { ledgerSettings, type LedgerSettings } from './ledger.config.ts';
import { consistencyProof, hasher, inclusionProof, neededNodes, ProofError, rangeHash, verifyConsistency } from './merkle.ts';
import { nodeEd25519Verify, signCheckpoint } from './note.ts';
import * as repo from './ledger.repository.ts';

/**
 * The read side of the log (proofs, tiles, checkpoints) and the signer (reference/ledger.md §6).
 * Reads go straight to the database: the log is public and belongs to no jurisdiction.
 */
type Db = Kysely<DB>;

/** Runs a proof/root computation over stored subtree hashes: one query for all the nodes it needs. */
async function withStoredNodes<T>(db: Db, plan: (get: NodeSource) => T): Promise<T> {
  const keys = neededNodes(plan);
  const map = await repo.nodes(db, keys);
  return plan((level, n) => {
    const h = map.get(`${level}/${n}`);
    if (!h) throw new Error(`ledger: stored hash ${level}/${n} is missing`);
    return h;
  });
}

export async function rootAt(db: Db, size: number) {
  if (size === 0) return hasher.empty();
  return withStoredNodes(db, (get) => rangeHash(hasher, get, 0, size));
}

async function checkSize(db: Db, field: string, size: number) {
  const current = await repo.treeSize(db);
  if (size > current) throw new DomainError('ledger.bad_range', { field, reason: `当前账本大小为 ${current}` }, [{ field, code: 'out_of_range', message: `不能大于 ${current}` }]);
}

export async function inclusionProofAt(db: Db, index: number, size: number) {
  if (index >= size) throw new DomainError('ledger.bad_range', { field: 'index', reason: `须小于 size（${size}）` }, [{ field: 'index', code: 'out_of_range', message: '须小于 size' }]);
  await checkSize(db, 'size', size);
  return withStoredNodes(db, (get) => inclusionProof(hasher, get, index, size));
}

export async function consistencyProofAt(db: Db, from: number, to: number) {
  if (from > to) throw new DomainError('ledger.bad_range', { field: 'from', reason: `须不大于 to（${to}）` }, [{ field: 'from', code: 'out_of_range', message: '须不大于 to' }]);
  await checkSize(db, 'to', to);
  return withStoredNodes(db, (get) => consistencyProof(hasher, get, from, to));
}

export async function entryAt(db: Db, index: number) {
  const e = await repo.entryByIndex(db, index);
  if (!e) throw new DomainError('ledger.entry_not_found');
  return e;
}

export async function lookupLeaf(db: Db, leafHashText: string) {
  let h: Uint8Array;
  try {
    h = /^[0-9a-f]{64}$/i.test(leafHashText) ? Buffer.from(leafHashText, 'hex') : fromBase64(leafHashText.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    h = new Uint8Array();
  }
  if (h.length !== 32) throw new DomainError('validation_failed', undefined, [{ field: 'leafHash', code: 'invalid', message: '叶哈希须为 32 字节（base64 或十六进制）' }]);
  const idx = await repo.indexByLeafHash(db, h);
  if (idx === null) throw new DomainError('ledger.entry_not_found');
  return idx;
}

/** c2sp.org/tlog-tiles: level L, index N, width W (256 for a full tile). */
export async function tile(db: Db, level: number, n: number, width: number) {
  const size = await repo.treeSize(db);
  const start = n * 256;
  // A tile at level L holds stored level 8L; it exists when all its W hashes do.
  const available = Math.floor(size / 256 ** level) - start;
  if (width < 1 || width > 256 || available < width) throw new DomainError('ledger.tile_not_found');
  const hashes = await repo.tileHashes(db, level * 8, start, width);
  if (hashes.length !== width) throw new DomainError('ledger.tile_not_found');
  return Buffer.concat(hashes);
}

/** Entry bundle N: entries 256N … 256N+W-1, each as u16be(length) || bytes. */
export async function entryBundle(db: Db, n: number, width: number) {
  const size = await repo.treeSize(db);
  if (width < 1 || width > 256 || size < n * 256 + width) throw new DomainError('ledger.tile_not_found');
  const rows = await repo.entries(db, n * 256, n * 256 + width);
  const parts: Buffer[] = [];
  for (const r of rows) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(r.entry.length);
    parts.push(len, Buffer.from(r.entry));
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- checkpoints

/** The latest signed checkpoint with the witnesses' cosignatures appended. */
export async function publishedCheckpoint(db: Db) {
  const c = await repo.latestCheckpoint(db);
  if (!c) throw new DomainError('ledger.no_checkpoint');
  const cos = await repo.cosignatures(db, c.treeSize);
  return { treeSize: c.treeSize, rootHash: c.rootHash, note: c.note + cos.map((x) => `${x.line}\n`).join('') };
}

type SignerState = { origin: string; treeSize: number; rootHash: string };

function readState(file: string): SignerState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const s = JSON.parse(text) as SignerState;
  if (typeof s.treeSize !== 'number' || typeof s.rootHash !== 'string' || typeof s.origin !== 'string') throw new Error(`ledger signer state ${file} is malformed`);
  return s;
}

function writeState(file: string, s: SignerState) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(s) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Re-hashes the entries [from, to): each must match its stored leaf hash; from 0 it also rebuilds
 * every complete subtree, compares each with the stored one, and returns the recomputed root.
 */
async function auditEntries(db: Db, from: number, to: number) {
  const full = from === 0;
  const stack: Uint8Array[] = [];
  const BATCH = 4096;
  for (let a = from; a < to; a += BATCH) {
    const b = Math.min(to, a + BATCH);
    const rows = await repo.entries(db, a, b);
    // The stored subtrees completed by the leaves [a, b): at level L, n runs over ⌈(a+1)/2^L⌉-1 … ⌊b/2^L⌋-1.
    const keys: [number, number][] = [];
    for (let level = 0, w = 1; w <= b; level++, w *= 2) {
      if (!full && level > 0) break;
      for (let n = Math.ceil((a + 1) / w) - 1; n <= Math.floor(b / w) - 1; n++) keys.push([level, n]);
    }
    const stored = await repo.nodes(db, keys);
    const check = (level: number, n: number, h: Uint8Array) => {
      if (!bytesEqual(h, stored.get(`${level}/${n}`) ?? new Uint8Array())) throw new ProofError(`存储的哈希 ${level}/${n} 与条目不符 / stored hash ${level}/${n} does not match the entries`);
    };
    let expect = a;
    for (const r of rows) {
      if (r.idx !== expect) throw new ProofError(`条目 ${expect} 缺失 / entry ${expect} is missing`);
      expect++;
      let h = hasher.leaf(r.entry);
      if (!bytesEqual(h, r.leafHash)) throw new ProofError(`条目 ${r.idx} 的内容与其哈希不符 / entry ${r.idx} does not match its stored hash`);
      check(0, r.idx, h);
      if (!full) continue;
      for (let m = r.idx, level = 0; m % 2 === 1; m = (m - 1) / 2, level++) {
        h = hasher.node(stack.pop()!, h);
        check(level + 1, (m - 1) / 2, h);
      }
      stack.push(h);
    }
    if (expect !== b) throw new ProofError(`条目 ${expect} 缺失 / entry ${expect} is missing`);
  }
  if (!full) return null;
  if (stack.length === 0) return hasher.empty();
  let root = stack[stack.length - 1]!;
  for (let i = stack.length - 2; i >= 0; i--) root = hasher.node(stack[i]!, root);
  return root;
}

export type SignResult = { treeSize: number; rootHash: Uint8Array; note: string; created: boolean };

/**
 * Signs a checkpoint if the tree has grown. Before signing, the signer proves to itself that the
 * stored tree extends the last root it signed — its own copy, in a file outside the database — and
 * that the stored hashes match the entries; otherwise it refuses loudly (error log, failed audit
 * row, error) and signs nothing (reference/ledger.md §6).
 */
export async function signIfGrown(deps: Deps, opts: { settings?: LedgerSettings; actor?: Ctx } = {}): Promise<SignResult> {
  const settings = opts.settings ?? ledgerSettings(deps);
  const ctx = opts.actor ?? systemCtx(deps);
  const refuse = async (reason: string): Promise<never> => {
    deps.log.error({ reason }, 'LEDGER: refusing to sign a checkpoint: the log is not consistent with what was signed before');
    await ctx.run(() => recordAudit(ctx, { action: 'ledger.checkpoint_refused', entityType: 'ledger', result: 'failure', unitId: null, details: { reason } }));
    throw new DomainError('ledger.history_rewritten', { reason });
  };
  const work = await deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const size = await repo.treeSize(trx);
      let state = readState(settings.stateFile);
      if (state && state.origin !== settings.origin) return { refused: `状态文件属于另一个账本（${state.origin}）/ the state file belongs to another log` };
      if (!state) {
        // No memory of our own (first start, or a new data directory): start from the newest
        // checkpoint in the database whose signature is ours, or from nothing.
        const last = await repo.latestCheckpoint(trx);
        if (last) {
          const cp = parseNote(last.note);
          const ok = cp.signatures.some((s) => s.name === settings.signer.name && s.keyId === settings.signer.keyId);
          if (!ok || !(await nodeEd25519Verify(settings.signer.publicKey, Buffer.from(cp.text), cp.signatures.find((s) => s.keyId === settings.signer.keyId)!.sig))) {
            return { refused: '数据库中最新检查点的签名无效 / the newest checkpoint in the database is not signed by this key' };
          }
          deps.log.warn({ stateFile: settings.stateFile, treeSize: last.treeSize }, 'ledger signer: no state file; continuing from the newest signed checkpoint in the database');
          state = { origin: settings.origin, treeSize: last.treeSize, rootHash: toBase64(last.rootHash) };
        }
      }
      const root = await rootAt(trx, size);
      try {
        if (state) {
          if (state.treeSize > size) throw new ProofError(`账本从 ${state.treeSize} 条缩小到 ${size} 条 / the log shrank from ${state.treeSize} to ${size}`);
          if (state.treeSize > 0) {
            const proof = state.treeSize < size ? await consistencyProofAt(trx, state.treeSize, size) : [];
            verifyConsistency(hasher, state.treeSize, size, fromBase64(state.rootHash), root, proof);
          }
        }
        const full = size <= settings.fullAuditMaxSize;
        const recomputed = await auditEntries(trx, full ? 0 : (state?.treeSize ?? 0), size);
        if (recomputed && !bytesEqual(recomputed, root)) throw new ProofError('由条目重算的根与存储的哈希不符 / the root recomputed from the entries differs from the stored hashes');
      } catch (err) {
        if (err instanceof ProofError || (err instanceof Error && /stored hash .* is missing/.test(err.message))) return { refused: err.message };
        throw err;
      }
      if (state && state.treeSize === size) return { size, root, note: null as string | null };
      return { size, root, note: signCheckpoint(settings.signer, size, root) };
    });
  if ('refused' in work) return refuse(work.refused!);
  if (!work.note) {
    const last = await repo.latestCheckpoint(deps.db);
    if (!last) throw new DomainError('ledger.no_checkpoint');
    return { treeSize: last.treeSize, rootHash: last.rootHash, note: last.note, created: false };
  }
  const created = await ctx.run(async (trx) => {
    const inserted = await repo.insertCheckpoint(trx, { treeSize: work.size, rootHash: work.root, note: work.note! });
    if (inserted) await recordAudit(ctx, { action: 'ledger.checkpoint_signed', entityType: 'ledger', entityId: String(work.size), unitId: null, details: { treeSize: work.size, rootHash: toBase64(work.root) } });
    return inserted;
  });
  const stored = created ? { note: work.note } : await repo.checkpointBySize(deps.db, work.size);
  if (!stored) throw new Error('ledger: checkpoint vanished');
  writeState(settings.stateFile, { origin: settings.origin, treeSize: work.size, rootHash: toBase64(work.root) });
  return { treeSize: work.size, rootHash: work.root, note: stored.note, created };
}

/** The staff route: sign now (with the caller's identity in the audit log). */
export async function signNow(ctx: Ctx) {
  requirePermission(ctx, 'ledger.sign');
  return signIfGrown(ctx.deps, { actor: ctx });
}

/** A witness's cosignature/v1 for a checkpoint the log signed; published with that checkpoint. */
export async function addCosignature(deps: Deps, input: { treeSize: number; signature: string }) {
  const settings = ledgerSettings(deps);
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(input.signature.trim());
  if (!m) throw new DomainError('ledger.bad_cosignature', { reason: '签名行格式应为 “— 名称 base64”' }, [{ field: 'signature', code: 'invalid', message: '格式应为 “— 名称 base64”' }]);
  let blob: Uint8Array;
  try {
    blob = fromBase64(m[2]!);
  } catch {
    throw new DomainError('ledger.bad_cosignature', { reason: 'base64 不合法' }, [{ field: 'signature', code: 'invalid', message: 'base64 不合法' }]);
  }
  if (blob.length !== 4 + 8 + 64) throw new DomainError('ledger.bad_cosignature', { reason: '长度不对' }, [{ field: 'signature', code: 'invalid', message: '签名长度不对' }]);
  const keyId = Buffer.from(blob).readUInt32BE(0);
  const witness: Verifier | undefined = settings.witnesses.find((w) => w.name === m[1] && w.keyId === keyId);
  if (!witness) throw new DomainError('ledger.unknown_witness');
  const cp = await repo.checkpointBySize(deps.db, input.treeSize);
  if (!cp) throw new DomainError('ledger.no_checkpoint', undefined, [{ field: 'treeSize', code: 'not_found', message: '没有该大小的检查点' }]);
  const text = parseNote(cp.note).text;
  parseCheckpoint(text);
  const time = Number(Buffer.from(blob).readBigUInt64BE(4));
  if (!(await nodeEd25519Verify(witness.publicKey, cosignedMessage(text, time), blob.slice(12)))) throw new DomainError('ledger.bad_cosignature', { reason: '签名验证失败' }, [{ field: 'signature', code: 'invalid', message: '签名验证失败' }]);
  const ctx = systemCtx(deps);
  const line = `\u2014 ${witness.name} ${m[2]}`;
  const created = await ctx.run(async (trx) => {
    const inserted = await repo.insertCosignature(trx, { treeSize: input.treeSize, witness: witness.name, keyId, line, cosignedAt: new Date(time * 1000) });
    if (inserted) await recordAudit(ctx, { action: 'ledger.cosignature_added', entityType: 'ledger', entityId: String(input.treeSize), unitId: null, details: { witness: witness.vkey, time } });
    return inserted;
  });
  return { treeSize: input.treeSize, witness: witness.name, created };
}

// ---------------------------------------------------------------- proof bundles

/**
 * Entries, inclusion proofs and the latest checkpoint for a set of indexes (a donor's gift):
 * each step also as a self-contained c2sp.org/tlog-proof@v1 bundle. Entries the latest checkpoint
 * does not cover yet are counted as pending.
 */
export async function proofsFor(db: Db, indexes: readonly number[]) {
  const cp = await publishedCheckpoint(db);
  const steps = [];
  let pending = 0;
  for (const index of [...new Set(indexes)].sort((a, b) => a - b)) {
    if (index >= cp.treeSize) {
      pending++;
      continue;
    }
    const e = await entryAt(db, index);
    const proof = await withStoredNodes(db, (get) => inclusionProof(hasher, get, index, cp.treeSize));
    const entryText = Buffer.from(e.entry).toString('utf8');
    steps.push({
      index,
      type: (JSON.parse(entryText) as { type: string }).type,
      entry: entryText,
      leafHash: toBase64(e.leafHash),
      inclusion: proof.map(toBase64),
      bundle: formatProofBundle({ extra: e.entry, index, proof, checkpoint: cp.note }),
    });
  }
  return { checkpoint: cp.note, treeSize: cp.treeSize, steps, pending };
}

/** Ledger indexes of business rows (log_link), oldest first. */
export const linkedIndexes = repo.linkedIndexes;

export function verifierKey(deps: Pick<Deps, 'config' | 'keys'>) {
  return ledgerSettings(deps).signer.vkey;
}

/** Scheduled signing while the server listens (started on listen, stopped on close). */
export function startSigner(deps: Deps) {
  const settings = ledgerSettings(deps);
  if (settings.signIntervalMs <= 0) return () => undefined;
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    signIfGrown(deps)
      .catch((err) => deps.log.error({ err }, 'ledger signing failed'))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, settings.signIntervalMs);
  timer.unref();
  setTimeout(tick, 1000).unref();
  return () => clearInterval(timer);
}
