import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../../../platform/context.ts';
import { parseVerifierKey, SIG_COSIGNATURE_V1, type Verifier } from '../verify/note.ts';
import { nodeSha256 } from './merkle.ts';
import { ed25519FromSeed, makeSigner, type NoteSigner } from './note.ts';

/**
 * Ledger settings, from the environment (read once per configuration):
 * - BOAI_LEDGER_ORIGIN: the checkpoint origin and key name (default boai.quzhou.redcross/donations/v1);
 * - BOAI_LEDGER_KEY_FILE: an Ed25519 private key (PKCS#8 PEM, or a base64 32-byte seed); without
 *   it the key is derived from the master secret (BOAI_SECRET_KEY or the sandbox secret file);
 * - BOAI_LEDGER_STATE_FILE: the signer's own copy of the last signed checkpoint, kept OUTSIDE the
 *   database (default <data dir>/ledger/signer-state.json);
 * - BOAI_LEDGER_WITNESSES: witness verifier keys (cosignature/v1), separated by commas or spaces;
 * - BOAI_LEDGER_SIGN_INTERVAL: seconds between scheduled signings (default 60; 0 turns it off).
 */
export type LedgerSettings = {
  origin: string;
  signer: NoteSigner;
  stateFile: string;
  witnesses: Verifier[];
  signIntervalMs: number;
  /** Up to this size every signing re-hashes every entry; above it, only the new ones. */
  fullAuditMaxSize: number;
};

const cache = new WeakMap<object, LedgerSettings>();

export const DEFAULT_ORIGIN = 'boai.quzhou.redcross/donations/v1';

export function loadSigningKey(deps: Pick<Deps, 'keys'>, keyFile: string | undefined) {
  if (!keyFile) return ed25519FromSeed(deps.keys.derive('ledger-signing/v1', 32)).privateKey;
  const text = fs.readFileSync(keyFile, 'utf8').trim();
  if (text.startsWith('-----BEGIN')) return crypto.createPrivateKey(text);
  return ed25519FromSeed(Buffer.from(text, 'base64')).privateKey;
}

export function ledgerSettings(deps: Pick<Deps, 'config' | 'keys'>, env: Record<string, string | undefined> = process.env): LedgerSettings {
  let s = cache.get(deps.config);
  if (s) return s;
  const origin = env.BOAI_LEDGER_ORIGIN || DEFAULT_ORIGIN;
  const witnesses = (env.BOAI_LEDGER_WITNESSES ?? '').split(/[\s,]+/).filter(Boolean).map((v) => parseVerifierKey(nodeSha256, v));
  for (const w of witnesses) if (w.type !== SIG_COSIGNATURE_V1) throw new Error(`BOAI_LEDGER_WITNESSES: ${w.name} is not a cosignature/v1 (type 0x04) key`);
  const interval = env.BOAI_LEDGER_SIGN_INTERVAL === undefined || env.BOAI_LEDGER_SIGN_INTERVAL === '' ? 60 : Number(env.BOAI_LEDGER_SIGN_INTERVAL);
  if (!Number.isFinite(interval) || interval < 0) throw new Error('BOAI_LEDGER_SIGN_INTERVAL: expected seconds (0 = off)');
  s = {
    origin,
    signer: makeSigner(origin, loadSigningKey(deps, env.BOAI_LEDGER_KEY_FILE || undefined)),
    stateFile: env.BOAI_LEDGER_STATE_FILE || path.join(deps.config.dataDir, 'ledger', 'signer-state.json'),
    witnesses,
    signIntervalMs: interval * 1000,
    fullAuditMaxSize: 250_000,
  };
  cache.set(deps.config, s);
  return s;
}

/** Replaces parts of the settings of one configuration (tests, tooling). */
export function configureLedger(deps: Pick<Deps, 'config' | 'keys'>, patch: Partial<LedgerSettings>) {
  const s = { ...ledgerSettings(deps), ...patch };
  cache.set(deps.config, s);
  return s;
}
