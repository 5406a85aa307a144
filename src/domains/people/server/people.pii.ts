import crypto from 'node:crypto';
import { decryptWith, encryptWith, hmacHex, RandomPool } from '../../../platform/crypto.ts';
import type { Keys } from '../../../platform/keys.ts';
import { maskDocument, maskMobile, maskResidentId, normaliseIdInput, normaliseMobile, parseResidentId } from '../../../platform/validators.ts';
import type { IdType } from '../people.contract.ts';

/**
 * Personal identifiers at rest (docs/decisions/0008): each person has a data key derived from a
 * random 128-bit salt kept in `person_key` and the installation's people key
 * (HMAC-SHA256(key, salt ‖ person id)); the ID number and the mobile are AES-256-GCM under that
 * data key, bound to their column and person by associated data. Deleting the salt makes the
 * ciphertexts unreadable for good (crypto-shredding). A keyed blind index (HMAC-SHA256) allows
 * exact lookup and duplicate detection; a mask is kept for display.
 */
export type DataKey = { raw: Buffer; material: string };

const pool = new RandomPool();
const derived = new WeakMap<Keys, { dek: Buffer; bidx: Buffer }>();
function peopleKeys(keys: Keys) {
  let k = derived.get(keys);
  if (!k) {
    k = { dek: keys.derive('people-data-key/v1'), bidx: keys.derive('people-blind-index/v1') };
    derived.set(keys, k);
  }
  return k;
}

function dataKeyFrom(keys: Keys, personId: string, salt: Buffer) {
  return crypto.createHmac('sha256', peopleKeys(keys).dek).update(salt).update(personId).digest();
}

export function newDataKey(keys: Keys, personId: string): DataKey {
  const salt = pool.take(16);
  return { raw: dataKeyFrom(keys, personId, salt), material: `${keys.version}.h.${salt.toString('base64url')}` };
}

export function unwrapDataKey(keys: Keys, personId: string, material: string): Buffer {
  const [version, kind, salt] = material.split('.');
  if (version !== keys.version || kind !== 'h' || !salt) throw new Error('unknown person key format');
  return dataKeyFrom(keys, personId, Buffer.from(salt, 'base64url'));
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
  return hmacHex(peopleKeys(keys).bidx, `${idType}:${canonical}`);
}
export function mobileIndex(keys: Keys, e164: string) {
  return hmacHex(peopleKeys(keys).bidx, `mobile:${e164}`);
}

export function documentMask(idType: IdType, canonical: string) {
  return idType === 'resident_id' ? maskResidentId(canonical) : maskDocument(canonical);
}

export function sealDocument(keys: Keys, dek: Buffer, personId: string, idType: IdType, value: string | null | undefined) {
  if (!value) return { id_number_enc: null, id_number_bidx: null, id_number_mask: null };
  const canonical = canonicalDocument(idType, value);
  return {
    id_number_enc: encryptWith(dek, 'd1', canonical, `person.id_number:${personId}`, pool.take(12)),
    id_number_bidx: documentIndex(keys, idType, canonical),
    id_number_mask: documentMask(idType, canonical),
  };
}

export function sealMobile(keys: Keys, dek: Buffer, personId: string, value: string | null | undefined) {
  if (!value) return { mobile_enc: null, mobile_bidx: null, mobile_mask: null };
  const m = normaliseMobile(value);
  if (!m.ok) throw new Error('mobile must be validated before sealing');
  return { mobile_enc: encryptWith(dek, 'd1', m.e164, `person.mobile:${personId}`, pool.take(12)), mobile_bidx: mobileIndex(keys, m.e164), mobile_mask: maskMobile(m.e164) };
}

export function openDocument(dek: Buffer, personId: string, enc: string) {
  return decryptWith(dek, enc, `person.id_number:${personId}`);
}
export function openMobile(dek: Buffer, personId: string, enc: string) {
  return decryptWith(dek, enc, `person.mobile:${personId}`);
}
