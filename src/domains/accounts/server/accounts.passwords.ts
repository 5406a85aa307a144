import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordShapeProblems, type PasswordProblem } from '../accounts.contract.ts';
import type { Keys } from '../../../platform/keys.ts';

/**
 * Passwords: Argon2id (m = 19 MiB, t = 2, p = 1, the OWASP minimum) over an HMAC of the password
 * with a server-side pepper, so a stolen database alone cannot be brute-forced (docs/decisions/0006).
 * Stored as `k1$<PHC string>`: the pepper's key version, then the Argon2 parameters and salt.
 */
// algorithm 2 = Argon2id (a const enum in the typings, which isolated modules cannot read).
const ARGON = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | undefined;
function commonPasswords() {
  // 49,233 passwords ranked by frequency in public breach corpora (zxcvbn-ts common list).
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

export function passwordProblems(password: string, context: readonly string[] = []): PasswordProblem[] {
  const problems = passwordShapeProblems(password, context);
  if (commonPasswords().has(password.toLowerCase())) problems.push('common');
  return problems;
}

function peppered(keys: Keys, password: string) {
  return crypto.createHmac('sha256', keys.passwordPepper).update(password, 'utf8').digest('base64');
}

export async function hashPassword(keys: Keys, password: string): Promise<string> {
  return `${keys.version}$` + (await hash(peppered(keys, password), ARGON));
}

export async function verifyPassword(keys: Keys, stored: string, password: string): Promise<boolean> {
  const i = stored.indexOf('$');
  if (i < 0 || stored.slice(0, i) !== keys.version) return false;
  try {
    return await verify(stored.slice(i + 1), peppered(keys, password));
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real verification, so an unknown username answers as slowly as a wrong password. */
export async function burnVerify(keys: Keys, password: string) {
  dummy ??= hashPassword(keys, crypto.randomBytes(16).toString('hex'));
  await verifyPassword(keys, await dummy, password);
}

/** A one-time password that satisfies the rules: 16 characters from four classes, no look-alikes. */
export function generateOneTimePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '#%+=@!?'];
  const all = sets.join('');
  const pick = (s: string) => s[crypto.randomInt(s.length)]!;
  const chars = [...sets.map(pick), ...Array.from({ length: 12 }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
