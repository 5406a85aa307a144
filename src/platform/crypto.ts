import crypto from 'node:crypto';
import type { Keys } from './keys.ts';

/**
 * Field encryption: AES-256-GCM (authenticated), a fresh 96-bit nonce per value, the key version
 * and algorithm stored with the value so that keys and algorithms can be rotated
 * (docs/decisions/0007; SM4 can be added as a second algorithm id when an assessor requires it).
 * Format: `k1.a256gcm.<base64url nonce|ciphertext|tag>`. `context` binds a value to its column so
 * that a ciphertext copied into another column does not decrypt.
 */
export function encryptField(keys: Keys, plaintext: string, context: string): string {
  return encryptWith(keys.fieldEncryption, keys.version, plaintext, context);
}

export function decryptField(keys: Keys, stored: string, context: string): string {
  if (stored.split('.')[0] !== keys.version) throw new Error('unknown key version');
  return decryptWith(keys.fieldEncryption, stored, context);
}

export function hmacHex(key: Buffer, data: string | Buffer): string {
  return crypto.createHmac('sha256', key).update(data).digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function timingSafeEqualStr(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** Encrypts under an explicit key (a per-record data key); same format as encryptField. */
export function encryptWith(key: Buffer, version: string, plaintext: string, context: string, nonce: Buffer = crypto.randomBytes(12)): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${version}.a256gcm.${Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('base64url')}`;
}

export function decryptWith(key: Buffer, stored: string, context: string): string {
  const [, alg, body] = stored.split('.');
  if (alg !== 'a256gcm' || !body) throw new Error('unknown algorithm');
  const raw = Buffer.from(body, 'base64url');
  if (raw.length < 28) throw new Error('ciphertext too short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
}

/**
 * Random bytes drawn from a refilled buffer: one system call per 64 KiB instead of one per nonce
 * (sealing a 100,000-row import needs 300,000 of them).
 */
export class RandomPool {
  #buf = Buffer.alloc(0);
  #pos = 0;
  take(n: number): Buffer {
    if (this.#pos + n > this.#buf.length) {
      this.#buf = crypto.randomBytes(Math.max(65_536, n));
      this.#pos = 0;
    }
    const out = Buffer.from(this.#buf.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return out;
  }
}
