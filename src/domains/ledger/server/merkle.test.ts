import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consistencyProof, hasher, inclusionProof, memoryNodes, nodeSha256, rootFromLeafHashes, verifyConsistency, verifyInclusion, Frontier } from './merkle.ts';
import { cosignLine, ed25519FromSeed, makeSigner, nodeEd25519Verify, signCheckpoint, signNote } from './note.ts';
import { fromBase64, parseCheckpoint, parseNote, parseProofBundle, formatProofBundle, parseVerifierKey, SIG_COSIGNATURE_V1, verifyCosignatures, verifyNote, toBase64 } from '../verify/note.ts';
import { parseTileIndex, tileIndexPath } from '../verify/tlog.ts';

/** Public conformance vectors (transparency-dev/merkle testdata), read in place: never copied here. */
const VECTORS = path.resolve('../shared/reference/data/merkle-vectors/testdata');
const haveVectors = fs.existsSync(VECTORS);
if (!haveVectors) console.warn(`[ledger] SKIPPED the merkle probe vectors: ${VECTORS} is absent`);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const h = (s: string) => Buffer.from(s, 'hex');

// RFC 6962 hasher known answers (transparency-dev/merkle rfc6962/rfc6962_test.go).
describe('RFC 6962 hasher', () => {
  it('matches the known answers', () => {
    expect(hex(hasher.empty())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(hasher.leaf(new Uint8Array()))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(hasher.leaf(Buffer.from('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    expect(hex(hasher.node(Buffer.from('N123'), Buffer.from('N456')))).toBe('aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
  });

  // The standard 8-leaf tree (testonly/constants.go): roots of sizes 1..8.
  const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
  const ROOTS = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  it('gives the roots of the standard tree for sizes 0..8, by the stack and by the recursion', () => {
    expect(hex(rootFromLeafHashes(hasher, []))).toBe(hex(hasher.empty()));
    const leafHashes = LEAVES.map((l) => hasher.leaf(l));
    for (let n = 1; n <= 8; n++) {
      expect(hex(rootFromLeafHashes(hasher, leafHashes.slice(0, n)))).toBe(ROOTS[n - 1]);
      // Inclusion proofs of the RFC 6962 §2.1.3 tree verify against the published roots.
      for (let m = 0; m < n; m++) verifyInclusion(hasher, m, n, leafHashes[m]!, inclusionProof(hasher, memoryNodes(hasher, leafHashes), m, n), h(ROOTS[n - 1]!));
    }
  });
  it('reproduces the RFC 6962 §2.1.3 worked example (7 leaves: a, b, c, d, e, f, j)', () => {
    const leaves = LEAVES.slice(0, 7).map((l) => hasher.leaf(l));
    const get = memoryNodes(hasher, leaves);
    // The audit path for d0 is [b, h, l]; for d3 [c, g, l]; for d4 [f, j, k]; for d6 [i, k].
    expect(inclusionProof(hasher, get, 0, 7).length).toBe(3);
    expect(inclusionProof(hasher, get, 6, 7).length).toBe(2);
    expect(hex(inclusionProof(hasher, get, 6, 7)[0]!)).toBe(hex(hasher.node(leaves[4]!, leaves[5]!)));
    // Consistency proofs: PROOF(3, D[7]) = [c, d, g, l]; PROOF(4, D[7]) = [l]; PROOF(6, D[7]) = [i, j, k].
    expect(consistencyProof(hasher, get, 3, 7).length).toBe(4);
    expect(consistencyProof(hasher, get, 4, 7).map(hex)).toEqual([hex(rootFromLeafHashes(hasher, leaves.slice(4, 7)))]);
    expect(consistencyProof(hasher, get, 6, 7).length).toBe(3);
  });
});

describe.skipIf(!haveVectors)('transparency-dev/merkle probe vectors', () => {
  const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f)) : []);
  const b64s = (a: string[] | null) => (a ?? []).map((x) => fromBase64(x));

  it('passes every inclusion probe', () => {
    const all = files(path.join(VECTORS, 'inclusion'));
    expect(all.length).toBeGreaterThan(50);
    for (const f of all) {
      const v = JSON.parse(fs.readFileSync(f, 'utf8')) as { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean };
      let err: unknown = null;
      try {
        verifyInclusion(hasher, v.leafIdx, v.treeSize, fromBase64(v.leafHash), b64s(v.proof), fromBase64(v.root));
      } catch (e) {
        err = e;
      }
      expect(err !== null, `${f}: ${String(err)}`).toBe(v.wantErr);
    }
  });
  it('passes every consistency probe', () => {
    const all = files(path.join(VECTORS, 'consistency'));
    expect(all.length).toBeGreaterThan(50);
    for (const f of all) {
      const v = JSON.parse(fs.readFileSync(f, 'utf8')) as { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; wantErr: boolean };
      let err: unknown = null;
      try {
        verifyConsistency(hasher, v.size1, v.size2, fromBase64(v.root1), fromBase64(v.root2), b64s(v.proof));
      } catch (e) {
        err = e;
      }
      expect(err !== null, `${f}: ${String(err)}`).toBe(v.wantErr);
    }
  });
});

describe('proof generation and verification, every n ≤ 70', () => {
  const N = 70;
  const leaves = Array.from({ length: N + 1 }, (_, i) => hasher.leaf(Buffer.from(`entry ${i}`)));
  const get = memoryNodes(hasher, leaves);
  const roots = Array.from({ length: N + 2 }, (_, n) => rootFromLeafHashes(hasher, leaves.slice(0, n)));
  const flip = (p: Uint8Array[], i: number, bit: number) => p.map((x, j) => (j === i ? Uint8Array.from(x, (b, k) => (k === bit >> 3 ? b ^ (1 << (bit & 7)) : b)) : x));

  it('frontier appends agree with the stack algorithm', () => {
    const f = new Frontier(hasher);
    for (let n = 0; n <= N; n++) {
      expect(hex(f.root())).toBe(hex(roots[n]!));
      if (n < leaves.length) f.push(leaves[n]!);
    }
  });
  it('inclusion: generate → verify; one flipped bit, a wrong size or a wrong index → rejection', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m < n; m++) {
        const p = inclusionProof(hasher, get, m, n);
        verifyInclusion(hasher, m, n, leaves[m]!, p, roots[n]!);
        if (p.length > 0) {
          const i = (m * 7 + n) % p.length;
          expect(() => verifyInclusion(hasher, m, n, leaves[m]!, flip(p, i, (m * 31 + n) % 256), roots[n]!)).toThrow();
        }
        expect(() => verifyInclusion(hasher, m, n + 1, leaves[m]!, p, roots[n + 1]!)).toThrow();
        expect(() => verifyInclusion(hasher, m, n, Uint8Array.from(leaves[m]!, (b, k) => (k === 0 ? b ^ 1 : b)), p, roots[n]!)).toThrow();
        if (m + 1 < n) expect(() => verifyInclusion(hasher, m + 1, n, leaves[m]!, p, roots[n]!)).toThrow();
      }
    }
  });
  it('consistency: generate → verify for every 0 < m ≤ n; one flipped bit or a wrong size → rejection', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const p = consistencyProof(hasher, get, m, n);
        verifyConsistency(hasher, m, n, roots[m]!, roots[n]!, p);
        if (p.length > 0) {
          const i = (m + n) % p.length;
          expect(() => verifyConsistency(hasher, m, n, roots[m]!, roots[n]!, flip(p, i, (m * 13 + n) % 256))).toThrow();
          expect(() => verifyConsistency(hasher, m, n + 1, roots[m]!, roots[n + 1]!, p)).toThrow();
        }
        if (m < n) expect(() => verifyConsistency(hasher, m, n, roots[m - 1 === 0 ? m + 1 : m - 1]!, roots[n]!, p)).toThrow();
      }
    }
  });
});

describe('C2SP signed notes', () => {
  // The example of c2sp.org/signed-note (from golang.org/x/mod/sumdb/note).
  const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const SKEY_SEED = fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz').slice(1);
  const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

  it('verifies the specification example, recomputes its key ID, and rejects a tampered text', async () => {
    const v = parseVerifierKey(nodeSha256, VKEY);
    expect(v.keyId).toBe(0xc74f20a3);
    expect(v.name).toBe('PeterNeumann');
    expect(await verifyNote(parseNote(NOTE), [v], nodeEd25519Verify)).toEqual([v]);
    await expect(verifyNote(parseNote(NOTE.replace('cryptography', 'cryptographY')), [v], nodeEd25519Verify)).rejects.toThrow();
    // Ed25519 is deterministic: signing the text with the example key gives the published note.
    const signer = makeSigner('PeterNeumann', ed25519FromSeed(SKEY_SEED).privateKey);
    expect(signer.vkey).toBe(VKEY);
    expect(signNote(TEXT, [signer])).toBe(NOTE);
    // A mangled key ID is refused, and an unknown key alone does not verify.
    expect(() => parseVerifierKey(nodeSha256, VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow();
    const other = makeSigner('Other', crypto.generateKeyPairSync('ed25519').privateKey);
    await expect(verifyNote(parseNote(NOTE), [parseVerifierKey(nodeSha256, other.vkey)], nodeEd25519Verify)).rejects.toThrow(/no known signature/);
  });

  it('round-trips with random keys, including keys whose base64 contains +', async () => {
    let withPlus = 0;
    for (let i = 0; withPlus < 5 || i < 20; i++) {
      const s = makeSigner(`boai.test/log${i}`, crypto.generateKeyPairSync('ed25519').privateKey);
      if (s.vkey.split('+').length > 3) withPlus++;
      const v = parseVerifierKey(nodeSha256, s.vkey);
      const note = signCheckpoint(s, i * 1000 + 7, hasher.leaf(Buffer.from([i])));
      expect((await verifyNote(parseNote(note), [v], nodeEd25519Verify))[0]!.vkey).toBe(s.vkey);
      expect(parseCheckpoint(parseNote(note).text)).toMatchObject({ origin: s.name, size: i * 1000 + 7 });
      const bad = note.replace(/\n(\d+)\n/, (_, d: string) => `\n${Number(d) + 1}\n`);
      await expect(verifyNote(parseNote(bad), [v], nodeEd25519Verify)).rejects.toThrow();
    }
  });

  it('checks witness cosignatures (cosignature/v1) and proof bundles', async () => {
    const log = makeSigner('boai.test/log', crypto.generateKeyPairSync('ed25519').privateKey);
    const witness = makeSigner('witness.test/audit', crypto.generateKeyPairSync('ed25519').privateKey, SIG_COSIGNATURE_V1);
    const note = signCheckpoint(log, 5, hasher.empty());
    const text = parseNote(note).text;
    const cosigned = note + cosignLine(witness, text, 1_780_000_000) + '\n';
    const wv = parseVerifierKey(nodeSha256, witness.vkey);
    expect(await verifyCosignatures(parseNote(cosigned), [wv], nodeEd25519Verify)).toEqual([{ witness: wv, time: 1_780_000_000 }]);
    const forged = note + cosignLine(witness, text.replace('\n5\n', '\n6\n'), 1_780_000_000) + '\n';
    await expect(verifyCosignatures(parseNote(forged), [wv], nodeEd25519Verify)).rejects.toThrow();
    const bundle = formatProofBundle({ extra: null, index: 3, proof: [hasher.empty()], checkpoint: cosigned });
    expect(parseProofBundle(bundle)).toEqual({ extra: null, index: 3, proof: [new Uint8Array(hasher.empty())], checkpoint: cosigned });
    expect(toBase64(parseProofBundle(bundle).proof[0]!)).toBe(toBase64(hasher.empty()));
  });

  it('names tiles as c2sp.org/tlog-tiles does', () => {
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(tileIndexPath(5)).toBe('005');
    expect(parseTileIndex(['x001', 'x234', '067'])).toBe(1234067);
    expect(parseTileIndex(['5'])).toBeNull();
  });
});
