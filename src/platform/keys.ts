import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Every key Boai uses is derived (HKDF-SHA256) from one master secret: BOAI_SECRET_KEY, or on the
 * embedded sandbox a random secret generated at first start in `<data dir>/secret.key` (mode 0600).
 * The master secret must never change once data exists: password hashes are peppered with, the
 * audit chain is keyed with, and personal data is encrypted with keys derived from it.
 */
export type Keys = {
  /** Version tag stored next to everything made with these keys. */
  version: 'k1';
  auditChain: Buffer;
  passwordPepper: Buffer;
  fieldEncryption: Buffer;
  derive(purpose: string, length?: number): Buffer;
};

export function keysFromSecret(secret: Buffer): Keys {
  if (secret.length < 32) throw new Error('the master secret must be at least 32 bytes');
  const derive = (purpose: string, length = 32) =>
    Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.from('boai'), Buffer.from(purpose), length));
  return {
    version: 'k1',
    auditChain: derive('audit-chain/v1'),
    passwordPepper: derive('password-pepper/v1'),
    fieldEncryption: derive('field-encryption/v1'),
    derive,
  };
}

export function decodeSecret(text: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length < 32) throw new Error('BOAI_SECRET_KEY must decode to at least 32 bytes');
  return buf;
}

/** The sandbox secret: read it from the data directory, or create it on first start. */
export function loadOrCreateSecretFile(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return decodeSecret(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = crypto.randomBytes(32);
  fs.writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
