import crypto from 'node:crypto';
import { decryptWith, encryptField, decryptField, encryptWith, hmacHex } from '../../../platform/crypto.ts';
import type { Keys } from '../../../platform/keys.ts';
import { maskDocument, maskMobile, maskResidentId, normaliseIdInput, normaliseMobile, parseResidentId } from '../../../platform/validators.ts';
import type { IdType } from '../people.contract.ts';

/**
 * Personal identifiers at rest (docs/decisions/0008): each person has a random 256-bit data key,
 * stored wrapped by the installation's field-encryption key in `person_key`; the ID number and the
 * mobile are AES-256-GCM under that data key, bound to their column and person by associated data.
 * A keyed blind index (HMAC-SHA256) allows exact lookup and duplicate detection; a mask is kept for
 * display. Dropping the person's key row makes the ciphertexts unreadable (crypto-shredding).
 */
export type DataKey = { raw: Buffer; wrapped: string };

export function newDataKey(keys: Keys, personId: string): DataKey {
  const raw = crypto.randomBytes(32);
  return { raw, wrapped: encryptField(keys, raw.toString('base64'), `person_key:${personId}`) };
}

export function unwrapDataKey(keys: Keys, personId: string, wrapped: string): Buffer {
  return Buffer.from(decryptField(keys, wrapped, `person_key:${personId}`), 'base64');
}

function bidxKey(keys: Keys) {
  return keys.derive('people-blind-index/v1');
}

/** The canonical form of a document number: resident IDs upgraded to 18 digits, others upper-cased without separators. */
export function canonicalDocument(idType: IdType, value: string): string {
  if (idType === 'resident_id') {
    const p = parseResidentId(value);
    if (p.ok) return p.id.value;
  }
  return normaliseIdInput(value);
}

export function documentIndex(keys: Keys, idType: IdType, canonical: string) {
  return hmacHex(bidxKey(keys), `${idType}:${canonical}`);
}
export function mobileIndex(keys: Keys, e164: string) {
  return hmacHex(bidxKey(keys), `mobile:${e164}`);
}

export function documentMask(idType: IdType, canonical: string) {
  return idType === 'resident_id' ? maskResidentId(canonical) : maskDocument(canonical);
}

export type SealedPii = {
  id_number_enc: string | null;
  id_number_bidx: string | null;
  id_number_mask: string | null;
  mobile_enc: string | null;
  mobile_bidx: string | null;
  mobile_mask: string | null;
};

export function sealDocument(keys: Keys, dek: Buffer, personId: string, idType: IdType, value: string | null | undefined): Pick<SealedPii, 'id_number_enc' | 'id_number_bidx' | 'id_number_mask'> {
  if (!value) return { id_number_enc: null, id_number_bidx: null, id_number_mask: null };
  const canonical = canonicalDocument(idType, value);
  return {
    id_number_enc: encryptWith(dek, 'd1', canonical, `person.id_number:${personId}`),
    id_number_bidx: documentIndex(keys, idType, canonical),
    id_number_mask: documentMask(idType, canonical),
  };
}

export function sealMobile(keys: Keys, dek: Buffer, personId: string, value: string | null | undefined): Pick<SealedPii, 'mobile_enc' | 'mobile_bidx' | 'mobile_mask'> {
  if (!value) return { mobile_enc: null, mobile_bidx: null, mobile_mask: null };
  const m = normaliseMobile(value);
  if (!m.ok) throw new Error('mobile must be validated before sealing');
  return { mobile_enc: encryptWith(dek, 'd1', m.e164, `person.mobile:${personId}`), mobile_bidx: mobileIndex(keys, m.e164), mobile_mask: maskMobile(m.e164) };
}

export function openDocument(dek: Buffer, personId: string, enc: string) {
  return decryptWith(dek, enc, `person.id_number:${personId}`);
}
export function openMobile(dek: Buffer, personId: string, enc: string) {
  return decryptWith(dek, enc, `person.mobile:${personId}`);
}
