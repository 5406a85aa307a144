import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeDb } from '../../../../tests/support/harness.ts';
import { testConfig } from '../../../../tests/support/env.ts';
import { appendLedgerEntry } from './ledger.append.ts';
import { ledgerSettings } from './ledger.config.ts';
import * as svc from './ledger.service.ts';

const run = promisify(execFile);

/** The monitor as an outsider runs it: `npm run ledger:verify -- --url …` against a listening server. */
async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/domains/ledger/verify/cli.ts', ...args], { timeout: 60_000 });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describeDb(
  'ledger: the verify CLI',
  (h) => {
    it('exits 0 on a sound log, remembers what it saw, and exits 1 after tampering', async () => {
      const app = (await h().app()).app;
      for (let i = 0; i < 5; i++) await h().system.run((trx) => appendLedgerEntry(trx, { v: 1, type: 'receipt', id: `cli-${i}`, ts: '2026-06-01T02:00:00.000Z', org: '330802', amount: '1.00', currency: 'CNY' }));
      await svc.signIfGrown(h().deps);
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'boai-verify-')), 'state.json');
        const key = ledgerSettings(h().deps).signer.vkey;
        const ok = await cli(['--url', address, '--key', key, '--state', state]);
        expect(ok.out).toContain('账本可信');
        expect(ok.code).toBe(0);
        expect(JSON.parse(fs.readFileSync(state, 'utf8'))).toMatchObject({ vkey: key, treeSize: 5 });
        // The next run checks consistency with the state file; the pinned key comes from it.
        await h().system.run((trx) => appendLedgerEntry(trx, { v: 1, type: 'receipt', id: 'cli-5', ts: '2026-06-01T02:00:00.000Z', org: '330802', amount: '2.00', currency: 'CNY' }));
        await svc.signIfGrown(h().deps);
        const again = await cli(['--url', address, '--state', state]);
        expect(again.code).toBe(0);
        expect(again.out).toContain('与上次所见检查点（5 条）一致');
        // It kept the entries it saw: only the new one was downloaded.
        expect(again.out).toContain('下载 1 条新条目，5 条沿用上次所见');
        expect(fs.existsSync(`${state}.entries`)).toBe(true);
        await h().deps.db.transaction().execute(async (trx) => {
          await sql`set local session_replication_role = replica`.execute(trx);
          await sql`update log_entry set entry = ${Buffer.from('{"v":1,"type":"receipt","id":"cli-0","ts":"2026-06-01T02:00:00.000Z","org":"330802","amount":"9.00","currency":"CNY"}')} where idx = 0`.execute(trx);
        });
        const bad = await cli(['--url', address, '--state', state]);
        expect(bad.code).toBe(1);
        expect(bad.out).toContain('账本未通过验证');
        expect(bad.out).toContain('#0: 服务器现在提供的条目与此前所见不同');
        expect(JSON.parse(fs.readFileSync(state, 'utf8'))).toMatchObject({ treeSize: 6 });
      } finally {
        await app.close();
      }
    });
  },
  { only: 'pglite', config: () => testConfig({ BOAI_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'boai-ledger-')) }) },
);
