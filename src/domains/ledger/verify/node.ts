import crypto from 'node:crypto';
import type { Ed25519Verify } from './note.ts';
import type { Sha256 } from './tlog.ts';

/** The verifier's crypto on Node: native SHA-256 and Ed25519. */
export const nodeSha256: Sha256 = (data) => crypto.hash('sha256', data, 'buffer');

export const nodeEd25519Verify: Ed25519Verify = async (publicKey, message, signature) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
  return crypto.verify(null, message, key, signature);
};
