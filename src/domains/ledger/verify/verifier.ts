/**
 * The ledger monitor (reference/ledger.md §8.3), usable from Node and the browser: fetches the
 * checkpoint, checks its signature against the pinned key and the witnesses' cosignatures, checks
 * consistency with the last checkpoint it saw, downloads the entries (c2sp.org/tlog-tiles entry
 * bundles), recomputes the tree, and checks the conservation rules from the log alone:
 * allocations ≤ receipt, disbursements ≤ allocation, stock never negative.
 */
import { canonicalJson } from '../../../platform/canonical-json.ts';
import { ledgerEntry, yuanToFen, type LedgerEntry } from '../ledger.contract.ts';
import { decodeUtf8, fromBase64, parseCheckpoint, parseNote, parseVerifierKey, toBase64, verifyCosignatures, verifyNote, type Ed25519Verify } from './note.ts';
import { bytesEqual, Frontier, makeHasher, tileIndexPath, verifyConsistency, verifyInclusion, type Sha256 } from './tlog.ts';

export type VerifierState = { vkey: string; origin: string; treeSize: number; rootHash: string; checkpoint: string; checkedAt: string };

export type VerifyOptions = {
  /** Base URL of the Boai server, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The pinned verifier key of the log. */
  vkey: string;
  /** Witness keys (cosignature/v1) and how many of them must have cosigned the checkpoint. */
  witnesses?: readonly string[];
  quorum?: number;
  /** What this monitor saw last time (kept by the caller, e.g. in a file). */
  state?: VerifierState | null;
  sha256: Sha256;
  ed25519Verify: Ed25519Verify;
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> }>;
  /** Logs up to this size get every inclusion proof checked; larger ones a random sample (default 512). */
  proofSampleAll?: number;
  /** Skip downloading entries (signature and consistency only). */
  skipEntries?: boolean;
  /**
   * The entries this monitor kept from its last good run (`Verdict.entryBytes`, as many as
   * `state.treeSize`). Used only when they hash to the state's root; then only the entry bundles
   * from the last partial one on are downloaded (plus a few earlier ones, compared byte for byte).
   */
  known?: readonly Uint8Array[] | null;
  /** How many earlier full entry bundles to download again and compare with the kept copy (default 2). */
  recheckBundles?: number;
};

export type Check = { name: string; ok: boolean; detail: string };
/** `entries`: entries checked; `downloaded`: of those, fetched this run; `entryBytes`: every entry, for the next run's `known`. */
export type Verdict = { ok: boolean; treeSize: number | null; rootHash: string | null; checks: Check[]; state: VerifierState | null; entries: number; downloaded: number; entryBytes: Uint8Array[] | null };

const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
function qtyUnits(s: string) {
  const [i, f = ''] = s.split('.');
  return BigInt(i!) * 10_000n + BigInt((f + '0000').slice(0, 4));
}

/** Conservation rules over the whole log; returns the problems found (empty when everything holds). */
export function checkConservation(entries: readonly LedgerEntry[]): string[] {
  const problems: string[] = [];
  const consumed = new Map<number, bigint>();
  const stock = new Map<string, bigint>();
  const CONSUMES: Record<string, string[]> = {
    allocation: ['receipt'],
    disbursement: ['receipt', 'allocation'],
    purchase: ['receipt', 'allocation'],
    correction: ['receipt', 'allocation', 'disbursement', 'stock_in', 'stock_out', 'transfer', 'distribution', 'pledge', 'purchase'],
  };
  entries.forEach((e, idx) => {
    const refs = e.refs ?? [];
    const allowed = CONSUMES[e.type];
    if (refs.length > 0 && allowed && e.amount !== undefined) {
      let sum = 0n;
      for (const r of refs) {
        if (r.i >= idx) {
          problems.push(`#${idx}: 引用了后面的条目 #${r.i} / refers forward to #${r.i}`);
          continue;
        }
        const src = entries[r.i]!;
        if (!allowed.includes(src.type)) problems.push(`#${idx} (${e.type}) 不能引用 ${src.type} #${r.i} / cannot consume a ${src.type}`);
        if (r.amount === undefined || src.amount === undefined) {
          problems.push(`#${idx}: 引用 #${r.i} 缺少金额 / ref to #${r.i} has no amount`);
          continue;
        }
        const take = yuanToFen(r.amount);
        sum += take;
        const used = (consumed.get(r.i) ?? 0n) + take;
        consumed.set(r.i, used);
        if (used > yuanToFen(src.amount)) problems.push(`#${r.i} (${src.type} ${src.amount} 元) 被使用 ${yuan(used)} 元，超出 / is consumed beyond its amount (${yuan(used)})`);
      }
      if (sum !== yuanToFen(e.amount)) problems.push(`#${idx} (${e.type} ${e.amount} 元) 的来源合计 ${yuan(sum)} 元不符 / its sources add up to ${yuan(sum)}`);
    } else if ((e.type === 'allocation' || e.type === 'disbursement') && refs.length === 0) {
      problems.push(`#${idx} (${e.type}) 没有标明资金来源 / names no source entries`);
    }
    if (e.goods && ['stock_in', 'stock_out', 'transfer', 'distribution'].includes(e.type)) {
      const key = `${e.org}|${e.goods.warehouse ?? ''}|${e.goods.item}|${e.goods.unit}`;
      const q = qtyUnits(e.goods.qty);
      const bal = (stock.get(key) ?? 0n) + (e.type === 'stock_in' ? q : -q);
      stock.set(key, bal);
      if (bal < 0n) problems.push(`#${idx}: 库存为负（${e.goods.item}）/ stock of ${e.goods.item} goes negative`);
    }
  });
  return problems;
}

/** Encodes entries as an entry bundle (u16be length-prefixed), the form the CLI keeps them in. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(entries.reduce((s, e) => s + 2 + e.length, 0));
  let p = 0;
  for (const e of entries) {
    out[p++] = e.length >> 8;
    out[p++] = e.length & 0xff;
    out.set(e, p);
    p += e.length;
  }
  return out;
}

/** Decodes an entry bundle: u16be length-prefixed entries. */
export function decodeEntryBundle(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < b.length) {
    if (p + 2 > b.length) throw new Error('truncated entry bundle');
    const len = (b[p]! << 8) | b[p + 1]!;
    p += 2;
    if (p + len > b.length) throw new Error('truncated entry bundle');
    out.push(b.subarray(p, p + len));
    p += len;
  }
  return out;
}

export async function verifyLedger(o: VerifyOptions): Promise<Verdict> {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const doFetch = o.fetch ?? ((u: string) => fetch(u));
  const base = o.url.replace(/\/+$/, '');
  const get = async (p: string) => {
    const r = await doFetch(base + p);
    if (!r.ok) throw new Error(`GET ${p} → HTTP ${r.status}`);
    return r;
  };
  const hasher = makeHasher(o.sha256);
  const verdict = (treeSize: number | null, root: string | null, state: VerifierState | null, entries = 0, downloaded = 0, entryBytes: Uint8Array[] | null = null): Verdict => ({ ok: checks.every((c) => c.ok), treeSize, rootHash: root, checks, state, entries, downloaded, entryBytes });

  // 1. The checkpoint and its signature by the pinned key.
  let note;
  let cp;
  try {
    const key = parseVerifierKey(o.sha256, o.vkey);
    note = parseNote(await (await get('/api/ledger/checkpoint')).text());
    await verifyNote(note, [key], o.ed25519Verify);
    cp = parseCheckpoint(note.text);
    if (cp.origin !== key.name) throw new Error(`来源 ${cp.origin} 与密钥名 ${key.name} 不符 / origin does not match the key name`);
    add('signature', true, `检查点签名有效：${cp.origin}，${cp.size} 条 / checkpoint signature valid`);
  } catch (err) {
    add('signature', false, `检查点签名无效 / checkpoint signature invalid: ${(err as Error).message}`);
    return verdict(null, null, o.state ?? null);
  }
  const root = toBase64(cp.root);

  // 2. Witnesses.
  if ((o.quorum ?? 0) > 0 || (o.witnesses?.length ?? 0) > 0) {
    try {
      const ws = (o.witnesses ?? []).map((w) => parseVerifierKey(o.sha256, w));
      const cos = await verifyCosignatures(note, ws, o.ed25519Verify);
      const need = o.quorum ?? ws.length;
      add('witnesses', cos.length >= need, `见证人联署 ${cos.length}/${need}：${cos.map((c) => c.witness.name).join(', ') || '无'} / witness cosignatures`);
    } catch (err) {
      add('witnesses', false, `见证人联署无效 / invalid cosignature: ${(err as Error).message}`);
    }
  }

  // 3. Consistency with what this monitor saw last.
  const prev = o.state;
  if (prev) {
    try {
      if (prev.vkey !== o.vkey || prev.origin !== cp.origin) throw new Error('状态文件属于另一个账本或密钥 / the state belongs to another log or key');
      let proof: Uint8Array[] = [];
      if (prev.treeSize < cp.size) proof = ((JSON.parse(await (await get(`/api/ledger/proof/consistency?from=${prev.treeSize}&to=${cp.size}`)).text()) as { hashes: string[] }).hashes).map(fromBase64);
      verifyConsistency(hasher, prev.treeSize, cp.size, fromBase64(prev.rootHash), cp.root, proof);
      add('consistency', true, `与上次所见检查点（${prev.treeSize} 条）一致 / consistent with the last checkpoint seen (${prev.treeSize})`);
    } catch (err) {
      add('consistency', false, `与上次所见检查点不一致：历史被改写或分叉 / NOT consistent with the last checkpoint seen (${prev.treeSize}): ${(err as Error).message}`);
      // Keep the old state: the evidence of the fork must not be overwritten.
      return verdict(cp.size, root, prev);
    }
  } else add('consistency', true, '首次检查：记录此检查点 / first run: this checkpoint is recorded');

  // 4. Entries: download (only what is new, when the kept copy from the last run is sound),
  //    recompute the tree, check each entry, check conservation over the whole log.
  let count = 0;
  let downloaded = 0;
  let all: Uint8Array[] | null = null;
  if (!o.skipEntries) {
    const bundles = Math.ceil(cp.size / 256);
    const widthOf = (n: number) => Math.min(256, cp.size - n * 256);
    const bundlePath = (n: number) => `${tileIndexPath(n)}${widthOf(n) < 256 ? `.p/${widthOf(n)}` : ''}`;
    // The kept copy counts only if it is exactly what the last checkpoint seen committed to.
    let known: readonly Uint8Array[] = [];
    if (o.known?.length && prev && o.known.length === prev.treeSize && prev.treeSize <= cp.size) {
      const f = new Frontier(hasher);
      for (const b of o.known) f.push(hasher.leaf(b));
      if (bytesEqual(f.root(), fromBase64(prev.rootHash))) known = o.known;
      // The monitor's own copy is damaged, not the log: say so, and check everything from the server.
      else add('known', true, `本地保存的条目与上次检查点不符，已全部重新下载 / the kept entries do not hash to the last checkpoint seen; everything was downloaded again`);
    }
    const firstNew = Math.floor(known.length / 256);
    const recheck = new Set<number>();
    for (let i = 0; i < Math.min(o.recheckBundles ?? 2, firstNew); i++) recheck.add(Math.floor(Math.random() * firstNew));
    const fetched = new Set<number>([...recheck, ...Array.from({ length: bundles - firstNew }, (_, i) => firstNew + i)]);
    const entries: Uint8Array[] = known.slice();
    const frontier = new Frontier(hasher);
    const leafHashes: Uint8Array[] = [];
    const parsed: LedgerEntry[] = [];
    const bad: string[] = [];
    try {
      for (const n of [...fetched].sort((a, b) => a - b)) {
        const r = await get(`/api/ledger/tile/entries/${bundlePath(n)}`);
        const list = decodeEntryBundle(new Uint8Array(await r.arrayBuffer()));
        if (list.length !== widthOf(n)) throw new Error(`条目包 ${n} 有 ${list.length} 条，应为 ${widthOf(n)} / entry bundle ${n} has ${list.length} entries`);
        list.forEach((bytes, i) => {
          const idx = n * 256 + i;
          if (idx < known.length) {
            // Already seen and committed to: the server must still serve the very same bytes.
            if (!bytesEqual(bytes, known[idx]!)) bad.push(`#${idx}: 服务器现在提供的条目与此前所见不同（被改写）/ the server now serves different bytes than it did (rewritten)`);
          } else {
            entries[idx] = bytes;
            downloaded++;
          }
        });
      }
      for (const bytes of entries) {
        const idx = count++;
        const lh = hasher.leaf(bytes);
        leafHashes.push(lh);
        frontier.push(lh);
        let text = '';
        try {
          text = decodeUtf8(bytes);
          const value: unknown = JSON.parse(text);
          if (canonicalJson(value) !== text) bad.push(`#${idx}: 不是规范化 JSON / not canonical JSON`);
          const e = ledgerEntry.safeParse(value);
          if (!e.success) {
            bad.push(`#${idx}: 格式不对 / malformed: ${e.error.issues[0]!.path.join('.')}`);
            parsed.push({ v: 1, type: 'receipt', id: '?', ts: '1970-01-01T00:00:00Z', org: '?' });
          } else parsed.push(e.data);
        } catch {
          bad.push(`#${idx}: 无法解析 / unreadable`);
          parsed.push({ v: 1, type: 'receipt', id: '?', ts: '1970-01-01T00:00:00Z', org: '?' });
        }
      }
      const got = frontier.root();
      // The hashes the server serves must be the ones the entries give: the level-0 tiles of the
      // bundles fetched, and inclusion proofs (all of them for a small log, a sample otherwise).
      const tileBad: string[] = [];
      for (const n of fetched) {
        const t = new Uint8Array(await (await get(`/api/ledger/tile/0/${bundlePath(n)}`)).arrayBuffer());
        for (let i = 0; i < widthOf(n); i++) if (!bytesEqual(t.subarray(32 * i, 32 * i + 32), leafHashes[n * 256 + i]!)) tileBad.push(`#${n * 256 + i}`);
      }
      const sample = cp.size <= (o.proofSampleAll ?? 512) ? [...Array(cp.size).keys()] : Array.from({ length: 32 }, () => Math.floor(Math.random() * cp.size));
      for (const i of sample) {
        const p = (JSON.parse(await (await get(`/api/ledger/proof/inclusion?index=${i}&size=${cp.size}`)).text()) as { hashes: string[] }).hashes.map(fromBase64);
        try {
          verifyInclusion(hasher, i, cp.size, leafHashes[i]!, p, cp.root);
        } catch {
          tileBad.push(`proof #${i}`);
        }
      }
      add('hashes', tileBad.length === 0, tileBad.length === 0 ? `服务器提供的哈希分片与 ${sample.length} 个包含证明均正确 / served tiles and ${sample.length} inclusion proofs verify` : `服务器存储的哈希被篡改 / the server's stored hashes are wrong: ${tileBad.slice(0, 10).join(', ')}`);
      const fetchedNote = known.length ? `；下载 ${downloaded} 条新条目，${known.length} 条沿用上次所见并抽查 ${recheck.size} 个条目包 / ${downloaded} new entries downloaded, ${known.length} kept from the last run (${recheck.size} earlier bundles re-checked)` : '';
      add('tree', bytesEqual(got, cp.root), bytesEqual(got, cp.root) ? `由 ${count} 条条目重算的根与检查点一致${fetchedNote} / root recomputed from ${count} entries matches` : `由条目重算的根 ${toBase64(got)} 与检查点 ${root} 不符：条目被篡改 / the entries do NOT hash to the signed root: tampered`);
      add('entries', bad.length === 0, bad.length === 0 ? '每条条目格式正确 / every entry well-formed' : bad.slice(0, 10).join('; '));
      const problems = checkConservation(parsed);
      add('conservation', problems.length === 0, problems.length === 0 ? '守恒规则成立：分配 ≤ 收入，拨付 ≤ 分配，库存不为负 / conservation holds' : problems.slice(0, 10).join('; '));
      all = entries;
    } catch (err) {
      add('tree', false, `下载或重算失败 / could not download or recompute: ${(err as Error).message}`);
    }
  }

  const ok = checks.every((c) => c.ok);
  const state: VerifierState | null = ok ? { vkey: o.vkey, origin: cp.origin, treeSize: cp.size, rootHash: root, checkpoint: note.text + '', checkedAt: new Date().toISOString() } : (prev ?? null);
  return verdict(cp.size, root, state, count, downloaded, ok ? all : null);
}

export function formatVerdict(v: Verdict) {
  const lines = v.checks.map((c) => `${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}`);
  lines.push(v.ok ? `结论：账本可信（${v.treeSize} 条）/ VERDICT: the ledger verifies (${v.treeSize} entries)` : '结论：账本未通过验证 / VERDICT: the ledger does NOT verify');
  return lines.join('\n');
}
