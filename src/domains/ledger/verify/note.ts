/**
 * C2SP signed notes, checkpoints, cosignatures (v1) and tlog-proof bundles: parsing and
 * verification. Browser-safe: SHA-256 and Ed25519 verification are injected (Node: node:crypto,
 * browser: ./sha256.ts and WebCrypto).
 */
import type { Sha256 } from './tlog.ts';

export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
export const utf8 = (s: string) => enc.encode(s);

export function toBase64(b: Uint8Array) {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}
export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new NoteError(`不是合法的 base64 / not valid base64: ${s.slice(0, 20)}`);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
export const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
export function fromHex(s: string) {
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new NoteError('不是合法的十六进制 / not valid hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;

/** Key ID = SHA-256(name || 0x0A || type || public key)[:4], big-endian. */
export function keyId(sha256: Sha256, name: string, type: number, publicKey: Uint8Array) {
  const n = utf8(name);
  const b = new Uint8Array(n.length + 2 + publicKey.length);
  b.set(n, 0);
  b[n.length] = 0x0a;
  b[n.length + 1] = type;
  b.set(publicKey, n.length + 2);
  const h = sha256(b);
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

export function checkKeyName(name: string) {
  if (!name || /[\s+]/.test(name) || /[\p{Cc}]/u.test(name)) throw new NoteError(`密钥名称不合法（不能为空、含空格或 +）/ invalid key name: ${JSON.stringify(name)}`);
}

export type Verifier = { name: string; keyId: number; type: number; publicKey: Uint8Array; vkey: string };

/** `<name>+<8 hex key ID>+<base64(type || public key)>`; the base64 may itself contain +. */
export function parseVerifierKey(sha256: Sha256, vkey: string): Verifier {
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new NoteError('验证密钥格式应为 名称+密钥ID+base64 / a verifier key is name+keyid+base64');
  const name = vkey.slice(0, a);
  checkKeyName(name);
  const idHex = vkey.slice(a + 1, b);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('验证密钥的密钥 ID 应为 8 位十六进制 / the key ID must be 8 hex digits');
  const raw = fromBase64(vkey.slice(b + 1));
  if (raw.length < 1) throw new NoteError('验证密钥为空 / empty verifier key');
  const type = raw[0]!;
  const publicKey = raw.slice(1);
  if ((type === SIG_ED25519 || type === SIG_COSIGNATURE_V1) && publicKey.length !== 32) throw new NoteError('Ed25519 公钥须为 32 字节 / an Ed25519 public key is 32 bytes');
  const id = keyId(sha256, name, type, publicKey);
  if (id !== parseInt(idHex, 16)) throw new NoteError('验证密钥的密钥 ID 与内容不符 / the key ID does not match the key');
  return { name, keyId: id, type, publicKey, vkey };
}

export function formatVerifierKey(sha256: Sha256, name: string, type: number, publicKey: Uint8Array) {
  checkKeyName(name);
  const raw = new Uint8Array(publicKey.length + 1);
  raw[0] = type;
  raw.set(publicKey, 1);
  return `${name}+${keyId(sha256, name, type, publicKey).toString(16).padStart(8, '0')}+${toBase64(raw)}`;
}

export type NoteSignature = { name: string; keyId: number; sig: Uint8Array; line: string };
export type Note = { text: string; signatures: NoteSignature[] };

/** Splits a signed note at its last blank line; every signature line is `— name base64(keyID || sig)`. */
export function parseNote(note: string): Note {
  if ([...note].some((c) => c !== '\n' && (c < ' ' || c === '\u007f'))) throw new NoteError('签名注记含有控制字符 / the note contains control characters');
  if (!note.endsWith('\n')) throw new NoteError('签名注记须以换行结束 / a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('签名注记缺少空行与签名 / the note has no blank line and signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new NoteError(`签名行格式不对 / malformed signature line: ${line.slice(0, 60)}`);
    const blob = fromBase64(m[2]!);
    if (blob.length < 5) throw new NoteError('签名过短 / signature too short');
    signatures.push({ name: m[1]!, keyId: ((blob[0]! << 24) | (blob[1]! << 16) | (blob[2]! << 8) | blob[3]!) >>> 0, sig: blob.slice(4), line });
  }
  if (signatures.length === 0) throw new NoteError('签名注记没有签名 / the note has no signatures');
  return { text, signatures };
}

export const signatureLine = (name: string, id: number, sig: Uint8Array) => {
  const blob = new Uint8Array(4 + sig.length);
  blob.set([(id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255], 0);
  blob.set(sig, 4);
  return `\u2014 ${name} ${toBase64(blob)}`;
};

/** Verifies the note's signatures by the given Ed25519 (type 0x01) verifiers; unknown keys are ignored. */
export async function verifyNote(note: Note, verifiers: readonly Verifier[], verify: Ed25519Verify) {
  const verified: Verifier[] = [];
  for (const s of note.signatures) {
    const v = verifiers.find((x) => x.name === s.name && x.keyId === s.keyId && x.type === SIG_ED25519);
    if (!v) continue;
    if (s.sig.length !== 64 || !(await verify(v.publicKey, utf8(note.text), s.sig))) throw new NoteError(`“${v.name}”的签名无效 / the signature of ${v.name} does not verify`);
    if (!verified.includes(v)) verified.push(v);
  }
  if (verified.length === 0) throw new NoteError('没有可验证的已知签名 / no known signature on the note');
  return verified;
}

// ------------------------------------------------------------------ checkpoints

export type Checkpoint = { origin: string; size: number; root: Uint8Array; extensions: string[]; text: string };

export function formatCheckpoint(origin: string, size: number, root: Uint8Array) {
  return `${origin}\n${size}\n${toBase64(root)}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('检查点至少三行并以换行结束 / a checkpoint has three lines and ends with a newline');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!origin) throw new NoteError('检查点缺少来源行 / the checkpoint has no origin line');
  if (!/^(0|[1-9]\d*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new NoteError('检查点的树大小不合法 / invalid tree size in the checkpoint');
  const root = fromBase64(rootText);
  if (root.length !== 32) throw new NoteError('检查点的根哈希须为 32 字节 / the checkpoint root must be 32 bytes');
  const extensions = lines.slice(3, -1);
  if (extensions.some((e) => e === '')) throw new NoteError('检查点扩展行不能为空 / empty extension line');
  return { origin, size: Number(sizeText), root, extensions, text };
}

// ------------------------------------------------------------------ cosignatures (c2sp.org/tlog-cosignature, v1)

export const cosignedMessage = (checkpointText: string, time: number) => utf8(`cosignature/v1\ntime ${time}\n${checkpointText}`);

export type Cosignature = { witness: Verifier; time: number };

/** Checks the cosignatures of known witnesses (type 0x04 keys); returns the valid ones. */
export async function verifyCosignatures(note: Note, witnesses: readonly Verifier[], verify: Ed25519Verify): Promise<Cosignature[]> {
  const out: Cosignature[] = [];
  for (const s of note.signatures) {
    const w = witnesses.find((x) => x.name === s.name && x.keyId === s.keyId && x.type === SIG_COSIGNATURE_V1);
    if (!w) continue;
    if (s.sig.length !== 72) throw new NoteError(`见证人“${w.name}”的联署格式不对 / malformed cosignature of ${w.name}`);
    let time = 0;
    for (let i = 0; i < 8; i++) time = time * 256 + s.sig[i]!;
    if (!(await verify(w.publicKey, cosignedMessage(note.text, time), s.sig.slice(8)))) throw new NoteError(`见证人“${w.name}”的联署无效 / the cosignature of ${w.name} does not verify`);
    if (!out.some((c) => c.witness === w)) out.push({ witness: w, time });
  }
  return out;
}

export function u64be(n: number) {
  const b = new Uint8Array(8);
  let x = n;
  for (let i = 7; i >= 0; i--) {
    b[i] = x % 256;
    x = Math.floor(x / 256);
  }
  return b;
}

// ------------------------------------------------------------------ proof bundles (c2sp.org/tlog-proof@v1)

export type ProofBundle = { extra: Uint8Array | null; index: number; proof: Uint8Array[]; checkpoint: string };

export function formatProofBundle(b: ProofBundle) {
  return ['c2sp.org/tlog-proof@v1', ...(b.extra ? [`extra ${toBase64(b.extra)}`] : []), `index ${b.index}`, ...b.proof.map(toBase64), '', b.checkpoint].join('\n');
}

export function parseProofBundle(text: string): ProofBundle {
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw new NoteError('证明包缺少空行 / the proof bundle has no blank line');
  const head = text.slice(0, blank).split('\n');
  if (head[0] !== 'c2sp.org/tlog-proof@v1') throw new NoteError('不是 tlog-proof@v1 证明包 / not a tlog-proof@v1 bundle');
  let i = 1;
  let extra: Uint8Array | null = null;
  if (head[i]?.startsWith('extra ')) extra = fromBase64(head[i++]!.slice(6));
  const m = /^index (0|[1-9]\d*)$/.exec(head[i++] ?? '');
  if (!m) throw new NoteError('证明包缺少序号行 / the proof bundle has no index line');
  const proof = head.slice(i).map(fromBase64);
  return { extra, index: Number(m[1]), proof, checkpoint: text.slice(blank + 2) };
}

export function decodeUtf8(b: Uint8Array) {
  return dec.decode(b);
}
