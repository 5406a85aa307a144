/**
 * Checks a donor's proof bundle in the browser: the checkpoint's Ed25519 signature with WebCrypto
 * (Chromium ≥ 137, Firefox ≥ 129, Safari ≥ 17 support Ed25519), each step's inclusion proof with
 * the synchronous SHA-256 of ./sha256.ts. Nothing here trusts the server's word that a step is in
 * the log: only the signed root does.
 */
import type { PublicProof } from '../ledger.contract.ts';
import { fromBase64, parseCheckpoint, parseNote, parseVerifierKey, utf8, verifyNote, type Ed25519Verify } from './note.ts';
import { sha256 } from './sha256.ts';
import { makeHasher, verifyInclusion } from './tlog.ts';

export const webCryptoEd25519Verify: Ed25519Verify = async (publicKey, message, signature) => {
  const key = await crypto.subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature as BufferSource, message as BufferSource);
};

export type ProofCheck = {
  checkpoint: { ok: boolean; treeSize: number | null; keyId: string | null; detail: string };
  steps: { index: number; type: string; ok: boolean; detail: string }[];
};

export async function checkPublicProof(p: PublicProof, verify: Ed25519Verify = webCryptoEd25519Verify): Promise<ProofCheck> {
  const hasher = makeHasher(sha256);
  let root: Uint8Array | null = null;
  let size: number | null = null;
  let keyId: string | null = null;
  let detail: string;
  try {
    const key = parseVerifierKey(sha256, p.vkey);
    keyId = key.keyId.toString(16).padStart(8, '0');
    const note = parseNote(p.checkpoint);
    await verifyNote(note, [key], verify);
    const cp = parseCheckpoint(note.text);
    root = cp.root;
    size = cp.size;
    detail = `${cp.origin} · ${cp.size}`;
  } catch (err) {
    detail = (err as Error).message;
  }
  const steps = p.steps.map((s) => {
    if (!root || size === null) return { index: s.index, type: s.type, ok: false, detail: '检查点未通过验证 / checkpoint not verified' };
    try {
      verifyInclusion(hasher, s.index, size, hasher.leaf(utf8(s.entry)), s.inclusion.map(fromBase64), root);
      return { index: s.index, type: s.type, ok: true, detail: '' };
    } catch (err) {
      return { index: s.index, type: s.type, ok: false, detail: (err as Error).message };
    }
  });
  return { checkpoint: { ok: root !== null, treeSize: size, keyId, detail }, steps };
}
