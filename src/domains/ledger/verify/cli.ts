/**
 * npm run ledger:verify -- --url http://127.0.0.1:3000 [--key <vkey or file>] [--state <file>]
 *                          [--witness <vkey>]… [--quorum <n>] [--full]
 * Checks the public ledger and prints a verdict; exit code 0 only when everything holds.
 * The state file keeps the last checkpoint seen (and the pinned key), so the next run proves the
 * log only grew; beside it, `<state>.entries` keeps the entries seen, so the next run downloads only
 * the new ones (and re-checks a few earlier bundles byte for byte). --full downloads everything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeEntryBundle, encodeEntryBundle, formatVerdict, verifyLedger, type VerifierState } from './verifier.ts';
import { nodeEd25519Verify, nodeSha256 } from './node.ts';

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      key: { type: 'string' },
      state: { type: 'string', default: '.ledger-verify-state.json' },
      witness: { type: 'string', multiple: true, default: [] },
      quorum: { type: 'string' },
      full: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('用法 / usage: npm run ledger:verify -- --url http://127.0.0.1:3000 [--key vkey|file] [--state file] [--witness vkey]… [--quorum n] [--full]');
    return 0;
  }
  const stateFile = path.resolve(values.state!);
  const state: VerifierState | null = fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as VerifierState) : null;
  const entriesFile = `${stateFile}.entries`;
  let known: Uint8Array[] | null = null;
  if (state && !values.full && fs.existsSync(entriesFile)) {
    try {
      known = decodeEntryBundle(new Uint8Array(fs.readFileSync(entriesFile)));
    } catch {
      known = null;
    }
  }
  let vkey = values.key && fs.existsSync(values.key) ? fs.readFileSync(values.key, 'utf8').trim() : values.key;
  vkey ??= state?.vkey;
  if (!vkey) {
    const r = await fetch(`${values.url!.replace(/\/+$/, '')}/api/ledger/key`);
    if (!r.ok) throw new Error(`GET /api/ledger/key → HTTP ${r.status}`);
    vkey = (await r.text()).trim();
    console.log(`注意：首次运行且未指定 --key，信任服务器公布的公钥并记入状态文件 / first run without --key: trusting and pinning the published key\n  ${vkey}`);
  }
  const verdict = await verifyLedger({
    url: values.url!,
    vkey,
    witnesses: values.witness,
    ...(values.quorum ? { quorum: Number(values.quorum) } : {}),
    state,
    known,
    sha256: nodeSha256,
    ed25519Verify: nodeEd25519Verify,
  });
  console.log(formatVerdict(verdict));
  if (verdict.ok && verdict.state) {
    // The entries first: a state file never names more entries than the kept copy holds.
    if (verdict.entryBytes) {
      fs.writeFileSync(entriesFile + '.tmp', encodeEntryBundle(verdict.entryBytes));
      fs.renameSync(entriesFile + '.tmp', entriesFile);
    }
    fs.writeFileSync(stateFile + '.tmp', JSON.stringify(verdict.state, null, 2) + '\n');
    fs.renameSync(stateFile + '.tmp', stateFile);
  }
  return verdict.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`验证失败 / verification failed: ${(err as Error).message}`);
    process.exitCode = 2;
  },
);
