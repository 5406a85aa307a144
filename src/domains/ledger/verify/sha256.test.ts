import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from './sha256.ts';

describe('pure-TypeScript SHA-256', () => {
  it('agrees with node:crypto on the FIPS examples and on every length 0..300', () => {
    expect(Buffer.from(sha256(Buffer.from('abc'))).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(Buffer.from(sha256(new Uint8Array())).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let n = 0; n <= 300; n++) {
      const b = crypto.randomBytes(n);
      expect(Buffer.from(sha256(b)).toString('hex')).toBe(crypto.createHash('sha256').update(b).digest('hex'));
    }
  });
});
