import crypto from 'node:crypto';
import {
  cosignedMessage,
  formatCheckpoint,
  formatVerifierKey,
  keyId,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  signatureLine,
  u64be,
  utf8,
  type Ed25519Verify,
} from '../verify/note.ts';
import { nodeSha256 } from './merkle.ts';

/**
 * Ed25519 signed notes with node:crypto. Keys are kept as parsed KeyObjects: re-parsing a PEM per
 * signature costs 10–60× (reference/ledger.md §1.5).
 */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type NoteSigner = {
  name: string;
  type: number;
  keyId: number;
  publicKey: Uint8Array;
  vkey: string;
  privateKey: crypto.KeyObject;
};

/** An Ed25519 key from a 32-byte seed (e.g. derived from BOAI_SECRET_KEY). */
export function ed25519FromSeed(seed: Uint8Array) {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: rawPublicKey(crypto.createPublicKey(privateKey)) };
}

export function rawPublicKey(key: crypto.KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

export function makeSigner(name: string, privateKey: crypto.KeyObject, type: number = SIG_ED25519): NoteSigner {
  const publicKey = rawPublicKey(crypto.createPublicKey(privateKey));
  return { name, type, keyId: keyId(nodeSha256, name, type, publicKey), publicKey, vkey: formatVerifierKey(nodeSha256, name, type, publicKey), privateKey };
}

/** Signs the note text (which ends in a newline) and returns the whole signed note. */
export function signNote(text: string, signers: readonly NoteSigner[]) {
  if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
  const lines = signers.map((s) => {
    if (s.type !== SIG_ED25519) throw new Error('signNote signs with Ed25519 (type 0x01) keys');
    return signatureLine(s.name, s.keyId, crypto.sign(null, utf8(text), s.privateKey));
  });
  return `${text}\n${lines.join('\n')}\n`;
}

export const signCheckpoint = (signer: NoteSigner, size: number, root: Uint8Array) => signNote(formatCheckpoint(signer.name, size, root), [signer]);

/** A witness's cosignature/v1 line over a checkpoint text (the witness side; tests and tooling). */
export function cosignLine(witness: NoteSigner, checkpointText: string, time: number) {
  if (witness.type !== SIG_COSIGNATURE_V1) throw new Error('a cosignature uses a type 0x04 key');
  const sig = crypto.sign(null, cosignedMessage(checkpointText, time), witness.privateKey);
  return signatureLine(witness.name, witness.keyId, Buffer.concat([u64be(time), sig]));
}

export const nodeEd25519Verify: Ed25519Verify = async (publicKey, message, signature) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
  return crypto.verify(null, message, key, signature);
};
