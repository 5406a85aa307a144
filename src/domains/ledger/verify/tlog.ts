/**
 * RFC 6962 / RFC 9162 Merkle tree: tree hashes, proof generation and proof verification.
 * Browser-safe (no Node imports): the SHA-256 is injected, so Node uses its native one-shot hash and
 * the browser a synchronous pure-TypeScript one (./sha256.ts). Indexes and sizes are JS numbers
 * (safe up to 2^53); bit arithmetic goes through BigInt, never the 32-bit operators.
 */
export type Hash = Uint8Array;
export type Sha256 = (data: Uint8Array) => Uint8Array;

export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofError';
  }
}

export type Hasher = {
  sha256: Sha256;
  /** SHA-256(0x00 || entry). */
  leaf(entry: Uint8Array): Hash;
  /** SHA-256(0x01 || left || right). */
  node(left: Hash, right: Hash): Hash;
  /** SHA-256 of the empty string: the root of the empty tree. */
  empty(): Hash;
};

export function makeHasher(sha256: Sha256): Hasher {
  const buf = new Uint8Array(65);
  buf[0] = 1;
  const emptyHash = sha256(new Uint8Array(0));
  return {
    sha256,
    leaf(entry) {
      const b = new Uint8Array(entry.length + 1);
      b.set(entry, 1);
      return sha256(b);
    },
    node(left, right) {
      if (left.length === 32 && right.length === 32) {
        buf.set(left, 1);
        buf.set(right, 33);
        return sha256(buf);
      }
      const b = new Uint8Array(1 + left.length + right.length);
      b[0] = 1;
      b.set(left, 1);
      b.set(right, 1 + left.length);
      return sha256(b);
    },
    empty: () => emptyHash.slice(),
  };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** The largest power of two strictly smaller than n (n > 1). */
export function splitPoint(n: number) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const bitLen = (x: bigint) => (x === 0n ? 0 : x.toString(2).length);
const popCount = (x: bigint) => {
  let c = 0;
  for (const ch of x.toString(2)) if (ch === '1') c++;
  return c;
};
const trailingZeros = (x: bigint) => {
  let c = 0;
  while (x > 0n && (x & 1n) === 0n) {
    x >>= 1n;
    c++;
  }
  return c;
};

function checkCount(name: string, v: number) {
  if (!Number.isSafeInteger(v) || v < 0) throw new ProofError(`${name} 不是非负整数 / ${name} is not a non-negative integer`);
}

// ------------------------------------------------------------------ tree hashes

/** MTH over leaf hashes, with the stack algorithm (RFC 9162 §2.1.2): O(n) hashes, O(log n) memory. */
export function rootFromLeafHashes(hasher: Hasher, leaves: readonly Hash[]): Hash {
  const f = new Frontier(hasher);
  for (const l of leaves) f.push(l);
  return f.root();
}

/**
 * The append frontier (a compact range from 0): the roots of the perfect subtrees that make up
 * the tree so far, biggest first. Appending costs one node hash amortised.
 */
export class Frontier {
  private nodes: Hash[] = [];
  size = 0;
  constructor(private readonly hasher: Hasher) {}
  push(leafHash: Hash) {
    let h = leafHash;
    let n = this.size;
    while (n % 2 === 1) {
      h = this.hasher.node(this.nodes.pop()!, h);
      n = Math.floor(n / 2);
    }
    this.nodes.push(h);
    this.size++;
  }
  root(): Hash {
    if (this.nodes.length === 0) return this.hasher.empty();
    let r = this.nodes[this.nodes.length - 1]!;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = this.hasher.node(this.nodes[i]!, r);
    return r;
  }
}

/** How a tree reads the hash of the perfect aligned subtree [n·2^level, (n+1)·2^level). */
export type NodeSource = (level: number, n: number) => Hash;

/** MTH(D[a:b]) from perfect aligned subtrees (the database layout stores exactly those). */
export function rangeHash(hasher: Hasher, get: NodeSource, a: number, b: number): Hash {
  const width = b - a;
  if (width <= 0) throw new RangeError('empty range');
  let level = 0;
  let w = 1;
  while (w < width) {
    w *= 2;
    level++;
  }
  if (w === width && a % w === 0) return get(level, a / w);
  const k = splitPoint(width);
  return hasher.node(rangeHash(hasher, get, a, a + k), rangeHash(hasher, get, a + k, b));
}

/** The perfect subtrees [level, n] that `rangeHash` needs: lets a database fetch them in one query. */
export function neededNodes(plan: (get: NodeSource) => unknown): [number, number][] {
  const out = new Map<string, [number, number]>();
  const zero = new Uint8Array(32);
  plan((level, n) => {
    out.set(`${level}/${n}`, [level, n]);
    return zero;
  });
  return [...out.values()];
}

// ------------------------------------------------------------------ proof generation (RFC 6962 §2.1.1, §2.1.2)

/** PATH(m, D[n]), leaf to root. */
export function inclusionProof(hasher: Hasher, get: NodeSource, index: number, size: number): Hash[] {
  checkCount('index', index);
  checkCount('size', size);
  if (index >= size) throw new ProofError(`序号 ${index} 不在大小为 ${size} 的树中 / index ${index} is not in a tree of size ${size}`);
  const path: Hash[] = [];
  const walk = (m: number, a: number, b: number) => {
    if (b - a === 1) return;
    const k = splitPoint(b - a);
    if (m < k) {
      walk(m, a, a + k);
      path.push(rangeHash(hasher, get, a + k, b));
    } else {
      walk(m - k, a + k, b);
      path.push(rangeHash(hasher, get, a, a + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** PROOF(m, D[n]) for 0 < m <= n (empty when m = n). */
export function consistencyProof(hasher: Hasher, get: NodeSource, m: number, n: number): Hash[] {
  checkCount('from', m);
  checkCount('to', n);
  if (m < 1 || m > n) throw new ProofError(`一致性证明要求 0 < from ≤ to（得到 ${m}, ${n}）/ a consistency proof needs 0 < from <= to (got ${m}, ${n})`);
  const proof: Hash[] = [];
  const sub = (mm: number, a: number, b: number, complete: boolean) => {
    if (mm === b - a) {
      if (!complete) proof.push(rangeHash(hasher, get, a, b));
      return;
    }
    const k = splitPoint(b - a);
    if (mm <= k) {
      sub(mm, a, a + k, complete);
      proof.push(rangeHash(hasher, get, a + k, b));
    } else {
      sub(mm - k, a + k, b, false);
      proof.push(rangeHash(hasher, get, a, a + k));
    }
  };
  if (m < n) sub(m, 0, n, true);
  return proof;
}

/** A node source over leaf hashes held in memory; perfect subtrees are memoised. */
export function memoryNodes(hasher: Hasher, leaves: readonly Hash[]): NodeSource {
  const memo = new Map<string, Hash>();
  const get: NodeSource = (level, n) => {
    if (level === 0) {
      const h = leaves[n];
      if (!h) throw new RangeError(`no leaf ${n}`);
      return h;
    }
    const key = `${level}/${n}`;
    let h = memo.get(key);
    if (!h) {
      h = hasher.node(get(level - 1, 2 * n), get(level - 1, 2 * n + 1));
      memo.set(key, h);
    }
    return h;
  };
  return get;
}

// ------------------------------------------------------------------ verification (RFC 9162 §2.1.3.2, §2.1.4.2)

function chainInner(hasher: Hasher, seed: Hash, proof: readonly Hash[], index: bigint) {
  for (let i = 0; i < proof.length; i++) seed = ((index >> BigInt(i)) & 1n) === 0n ? hasher.node(seed, proof[i]!) : hasher.node(proof[i]!, seed);
  return seed;
}
function chainInnerRight(hasher: Hasher, seed: Hash, proof: readonly Hash[], index: bigint) {
  for (let i = 0; i < proof.length; i++) if (((index >> BigInt(i)) & 1n) === 1n) seed = hasher.node(proof[i]!, seed);
  return seed;
}
function chainBorderRight(hasher: Hasher, seed: Hash, proof: readonly Hash[]) {
  for (const p of proof) seed = hasher.node(p, seed);
  return seed;
}
function decomp(index: bigint, size: bigint) {
  const inner = bitLen(index ^ (size - 1n));
  return { inner, border: popCount(index >> BigInt(inner)) };
}

/** The root an inclusion proof leads to; throws when the proof has the wrong shape. */
export function rootFromInclusionProof(hasher: Hasher, index: number, size: number, leafHash: Hash, proof: readonly Hash[]): Hash {
  checkCount('index', index);
  checkCount('size', size);
  if (index >= size) throw new ProofError(`序号 ${index} 超出树的大小 ${size} / index ${index} is beyond tree size ${size}`);
  if (leafHash.length !== 32) throw new ProofError('叶哈希须为 32 字节 / the leaf hash must be 32 bytes');
  const i = BigInt(index);
  const { inner, border } = decomp(i, BigInt(size));
  if (proof.length !== inner + border) throw new ProofError(`证明长度 ${proof.length} 不对，应为 ${inner + border} / wrong proof size ${proof.length}, want ${inner + border}`);
  const r = chainInner(hasher, leafHash, proof.slice(0, inner), i);
  return chainBorderRight(hasher, r, proof.slice(inner));
}

export function verifyInclusion(hasher: Hasher, index: number, size: number, leafHash: Hash, proof: readonly Hash[], root: Hash) {
  const got = rootFromInclusionProof(hasher, index, size, leafHash, proof);
  if (!bytesEqual(got, root)) throw new ProofError('包含证明与根哈希不符 / the inclusion proof does not lead to the root');
}

/**
 * Consistency of the tree of size1 (root1) with the tree of size2 (root2). As in
 * transparency-dev/merkle, with its probe semantics: size1 = 0 is always an error; size1 = size2
 * needs an empty proof and equal roots.
 */
export function verifyConsistency(hasher: Hasher, size1: number, size2: number, root1: Hash, root2: Hash, proof: readonly Hash[]) {
  checkCount('size1', size1);
  checkCount('size2', size2);
  if (size2 < size1) throw new ProofError(`新树 ${size2} 小于旧树 ${size1} / size2 ${size2} < size1 ${size1}`);
  if (size1 === 0) throw new ProofError('与空树的一致性证明没有意义 / consistency with the empty tree is meaningless');
  if (size1 === size2) {
    if (proof.length > 0) throw new ProofError('两树大小相同时证明须为空 / equal sizes need an empty proof');
    if (!bytesEqual(root1, root2)) throw new ProofError('同样大小的两个根不同：历史被改写 / two different roots for the same size: history was rewritten');
    return;
  }
  if (proof.length === 0) throw new ProofError('一致性证明为空 / empty consistency proof');
  const s1 = BigInt(size1);
  const { inner: inner0, border } = decomp(s1 - 1n, BigInt(size2));
  const shift = trailingZeros(s1);
  const inner = inner0 - shift;
  let seed = proof[0]!;
  let start = 1;
  if (s1 === 1n << BigInt(shift)) {
    seed = root1;
    start = 0;
  }
  if (proof.length !== start + inner + border) throw new ProofError(`证明长度 ${proof.length} 不对，应为 ${start + inner + border} / wrong proof size ${proof.length}, want ${start + inner + border}`);
  const rest = proof.slice(start);
  const mask = (s1 - 1n) >> BigInt(shift);
  const h1 = chainBorderRight(hasher, chainInnerRight(hasher, seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!bytesEqual(h1, root1)) throw new ProofError('一致性证明与旧根不符：历史被改写 / the consistency proof does not match the old root: history was rewritten');
  const h2 = chainBorderRight(hasher, chainInner(hasher, seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!bytesEqual(h2, root2)) throw new ProofError('一致性证明与新根不符 / the consistency proof does not match the new root');
}

// ------------------------------------------------------------------ tiles (c2sp.org/tlog-tiles)

/** Tile path segment for N: 3-digit groups, every group but the last prefixed by x (1234067 → x001/x234/067). */
export function tileIndexPath(n: number) {
  checkCount('N', n);
  let s = String(n);
  while (s.length % 3 !== 0) s = '0' + s;
  const groups = s.match(/.{3}/g)!;
  return groups.map((g, i) => (i < groups.length - 1 ? 'x' + g : g)).join('/');
}

/** Inverse of tileIndexPath; null when malformed. */
export function parseTileIndex(parts: readonly string[]): number | null {
  if (parts.length === 0) return null;
  let s = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const want = i < parts.length - 1 ? /^x\d{3}$/ : /^\d{3}$/;
    if (!want.test(p)) return null;
    s += i < parts.length - 1 ? p.slice(1) : p;
  }
  const n = Number(s);
  return Number.isSafeInteger(n) && (parts.length === 1 || parts[0] !== 'x000') ? n : null;
}
