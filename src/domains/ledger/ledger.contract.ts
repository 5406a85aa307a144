import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, type RoleGrants } from '../../platform/contract-kit.ts';

/**
 * The verifiable public ledger (docs/decisions/0012): every donation event as one canonical-JSON
 * entry of an RFC 6962 transparency log, signed C2SP checkpoints, public proofs. Browser-safe.
 */
export const ledgerPermissions = definePermissions({
  'ledger.sign': { zh: '签署公开账本检查点', en: 'Sign ledger checkpoints', category: 'system' },
});

export const ledgerRoleGrants: RoleGrants = {
  sys_admin: ['ledger.sign'],
};

export const ledgerErrors = {
  'ledger.entry_not_found': { status: 404, zh: '账本中没有该条目', en: 'No such ledger entry' },
  'ledger.no_checkpoint': { status: 404, zh: '账本尚无已签署的检查点', en: 'The ledger has no signed checkpoint yet' },
  'ledger.bad_range': { status: 422, zh: '{field} 超出账本范围：{reason}', en: '{field} is out of range: {reason}' },
  'ledger.tile_not_found': { status: 404, zh: '没有该分片', en: 'No such tile' },
  'ledger.history_rewritten': { status: 500, zh: '账本历史与上次签署的检查点不一致，拒绝签署：{reason}', en: 'The log is not consistent with the last signed checkpoint; refusing to sign: {reason}' },
  'ledger.unknown_witness': { status: 422, zh: '联署不是来自已配置的见证人', en: 'The cosignature is not from a configured witness' },
  'ledger.bad_cosignature': { status: 422, zh: '联署无效：{reason}', en: 'Invalid cosignature: {reason}' },
  'ledger.invalid_entry': { status: 500, zh: '账本条目不合法：{reason}', en: 'Invalid ledger entry: {reason}' },
} satisfies ErrorCatalog;

export const ENTRY_TYPES = ['receipt', 'pledge', 'allocation', 'purchase', 'disbursement', 'correction', 'stock_in', 'stock_out', 'transfer', 'distribution'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Yuan as a decimal string with two places (money is integer fen everywhere else). */
export const yuanString = z.string().regex(/^(0|[1-9]\d{0,15})\.\d{2}$/, '金额须为两位小数的元，如 "12.50"');
const qtyString = z.string().regex(/^(0|[1-9]\d{0,15})(\.\d{1,4})?$/, '数量须为非负十进制数');
/** A salted commitment: hex SHA-256, never a name or an ID number. */
const commitment = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One ledger entry. `refs` are the earlier entries this one consumes, with how much of each, so
 * conservation (allocations ≤ receipt, disbursements ≤ allocation, stock never negative) can be
 * checked from the log alone.
 */
export const ledgerEntry = z.strictObject({
  v: z.literal(1),
  type: z.enum(ENTRY_TYPES),
  id: z.string().min(1).max(64),
  ts: z.iso.datetime(),
  date: z.iso.date().optional(),
  org: z.string().min(1).max(64),
  project: z.string().max(64).optional(),
  channel: z.string().max(32).optional(),
  designation: z.string().max(32).optional(),
  amount: yuanString.optional(),
  currency: z.literal('CNY').optional(),
  goods: z.strictObject({ item: z.string().min(1).max(64), qty: qtyString, unit: z.string().min(1).max(16), warehouse: z.string().max(64).optional(), estValue: yuanString.optional() }).optional(),
  refs: z.array(z.strictObject({ i: z.number().int().min(0), amount: yuanString.optional(), qty: qtyString.optional() })).max(1000).optional(),
  party: commitment.optional(),
  evidence: z.array(z.string().regex(/^sha256:[0-9a-f]{64}$/)).max(20).optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

export const proofHashes = z.object({ hashes: z.array(z.string()) });
export const inclusionQuery = z.strictObject({ index: z.coerce.number().int().min(0), size: z.coerce.number().int().min(1) });
export const consistencyQuery = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
export const lookupQuery = z.strictObject({ leafHash: z.string().min(1).max(100) });
export const cosignatureInput = z.strictObject({
  treeSize: z.number().int().min(0),
  /** The witness's signature line: `— <witness name> <base64(key ID || u64 time || signature)>`. */
  signature: z.string().min(10).max(400),
});
export const signedCheckpoint = z.object({ treeSize: z.number().int(), rootHash: z.string(), note: z.string(), created: z.boolean() });
export const publicProofStep = z.object({
  index: z.number().int(),
  type: z.string(),
  entry: z.string(),
  leafHash: z.string(),
  inclusion: z.array(z.string()),
  /** The step as a self-contained c2sp.org/tlog-proof@v1 bundle (entry, proof, checkpoint). */
  bundle: z.string(),
});
export const publicProof = z.object({
  vkey: z.string(),
  checkpoint: z.string(),
  treeSize: z.number().int(),
  steps: z.array(publicProofStep),
  /** Events not yet covered by a signed checkpoint. */
  pending: z.number().int(),
  /** The donor's salt and internal id: with them the donor proves the receipt's `party` is theirs. */
  party: z.object({ salt: z.string(), id: z.string() }).nullable(),
});
export type PublicProof = z.infer<typeof publicProof>;

/** yuan string → integer fen, exactly. */
export function yuanToFen(s: string): bigint {
  const m = /^(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a yuan amount: ${s}`);
  return BigInt(m[1]!) * 100n + BigInt(m[2]!);
}
export function fenToYuan(fen: number | bigint): string {
  const f = BigInt(fen);
  if (f < 0n) throw new Error('negative amount');
  return `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;
}
