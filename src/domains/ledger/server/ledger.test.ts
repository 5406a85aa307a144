import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Agent, describeDb, errorCode, TEST_PASSWORD } from '../../../../tests/support/harness.ts';
import { testConfig } from '../../../../tests/support/env.ts';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { LedgerEntry } from '../ledger.contract.ts';
import { fromBase64, parseCheckpoint, parseNote, SIG_COSIGNATURE_V1, toBase64 } from '../verify/note.ts';
import { rootFromLeafHashes, verifyConsistency as verifyCons, verifyInclusion as verifyIncl } from '../verify/tlog.ts';
import { formatVerdict, verifyLedger, type VerifierState } from '../verify/verifier.ts';
import { nodeEd25519Verify as verifyEd, nodeSha256 as sha } from '../verify/node.ts';
import { appendLedgerEntry } from './ledger.append.ts';
import { configureLedger, ledgerSettings } from './ledger.config.ts';
import { hasher } from './merkle.ts';
import { cosignLine, makeSigner, signCheckpoint } from './note.ts';
import * as svc from './ledger.service.ts';

const entry = (i: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({ v: 1, type: 'receipt', id: `t-${i}-${crypto.randomUUID()}`, ts: '2026-06-01T02:00:00.000Z', org: '330800', amount: `${i + 1}.00`, currency: 'CNY', ...extra });

/** Fetch over app.inject, so the verifier library runs unchanged against the test server. */
const injectFetch = (app: FastifyInstance) => async (url: string) => {
  const u = new URL(url);
  const res = await app.inject({ method: 'GET', url: u.pathname + u.search });
  return { ok: res.statusCode < 300, status: res.statusCode, text: async () => res.body, arrayBuffer: async () => new Uint8Array(res.rawPayload).buffer };
};

const trailingOnes = (n: number) => {
  let c = 0;
  while (n % 2 === 1) {
    c++;
    n = (n - 1) / 2;
  }
  return c;
};

describeDb(
  'ledger',
  (h) => {
    let app: FastifyInstance;
    let start = 0;
    const leafOf = (b: Uint8Array) => hasher.leaf(b);
    /** Every entry's bytes, read back and hashed here: the independent computation the database must agree with. */
    async function memoryLeaves() {
      const rows = await sql<{ idx: number; entry: Uint8Array }>`select idx, entry from log_entry order by idx`.execute(h().deps.db);
      rows.rows.forEach((r, i) => expect(Number(r.idx)).toBe(i));
      return rows.rows.map((r) => leafOf(new Uint8Array(r.entry)));
    }
    async function appendMany(n: number) {
      for (let i = 0; i < n; i++) await h().system.run((trx) => appendLedgerEntry(trx, entry(i)));
    }
    const verify = (state: VerifierState | null, extra: Partial<Parameters<typeof verifyLedger>[0]> = {}) =>
      verifyLedger({ url: 'http://boai.test', vkey: ledgerSettings(h().deps).signer.vkey, state, sha256: sha, ed25519Verify: verifyEd, fetch: injectFetch(app), ...extra });
    async function tamper(statement: ReturnType<typeof sql>) {
      // A privileged session with triggers disabled (what a DBA, or an attacker with the database, can do).
      await h().deps.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await statement.execute(trx);
      });
    }

    beforeAll(async () => {
      app = (await h().app()).app;
      start = await svc.rootAt(h().deps.db, 0).then(async () => Number((await sql<{ n: number }>`select tree_size as n from log_head`.execute(h().deps.db)).rows[0]!.n));
    });

    it('appends dense entries (no gap after a rollback), stores exactly the sumdb hashes, and SQL proofs verify', async () => {
      await appendMany(20);
      await expect(
        h().system.run(async (trx) => {
          await appendLedgerEntry(trx, entry(99));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await appendMany(17);
      const leaves = await memoryLeaves();
      const size = leaves.length;
      expect(size).toBe(start + 37);
      const stored = await sql<{ n: number }>`select count(*)::int as n from log_node`.execute(h().deps.db);
      expect(stored.rows[0]!.n).toBe(Array.from({ length: size }, (_, i) => 1 + trailingOnes(i)).reduce((a, b) => a + b, 0));
      for (let n = 1; n <= size; n++) expect(toBase64(await svc.rootAt(h().deps.db, n))).toBe(toBase64(rootFromLeafHashes(hasher, leaves.slice(0, n))));
      for (let k = 0; k < 40; k++) {
        const n = 1 + ((k * 7919) % size);
        const m = (k * 31) % n;
        verifyIncl(hasher, m, n, leaves[m]!, await svc.inclusionProofAt(h().deps.db, m, n), rootFromLeafHashes(hasher, leaves.slice(0, n)));
        const m1 = 1 + ((k * 13) % n);
        verifyCons(hasher, m1, n, rootFromLeafHashes(hasher, leaves.slice(0, m1)), rootFromLeafHashes(hasher, leaves.slice(0, n)), await svc.consistencyProofAt(h().deps.db, m1, n));
      }
      // The entry is the exact canonical bytes; lookups by leaf hash find it.
      const e = await svc.entryAt(h().deps.db, size - 1);
      expect(canonicalJson(JSON.parse(Buffer.from(e.entry).toString('utf8')))).toBe(Buffer.from(e.entry).toString('utf8'));
      expect(await svc.lookupLeaf(h().deps.db, toBase64(leaves[size - 1]!))).toBe(size - 1);
      expect(await errorCode(svc.inclusionProofAt(h().deps.db, 0, size + 1))).toBe('ledger.bad_range');
    });

    it('refuses UPDATE, DELETE and TRUNCATE on the log, even to the owner; the head never shrinks; the app role holds no such right', async () => {
      const db = h().deps.db;
      for (const s of [
        sql`update log_entry set entry = ${Buffer.from('{}')} where idx = 0`,
        sql`delete from log_entry where idx = 0`,
        sql`update log_node set hash = ${Buffer.alloc(32)} where level = 0 and n = 0`,
        sql`delete from log_node where level = 0`,
        sql`truncate log_node`,
        sql`truncate log_entry cascade`,
        sql`update log_head set tree_size = 1`,
        sql`delete from log_head`,
      ]) {
        await expect(s.execute(db)).rejects.toThrow(/append-only|only grows/);
      }
      const priv = await sql<{ u: boolean; d: boolean }>`select has_table_privilege('boai_app', 'log_entry', 'update') as u, has_table_privilege('boai_app', 'log_node', 'delete') as d`.execute(db);
      expect(priv.rows[0]).toEqual({ u: false, d: false });
    });

    it('serves the public API: key, checkpoint, entries, proofs, lookup, tiles — without login, with cache headers', async () => {
      const signed = await svc.signIfGrown(h().deps);
      expect(signed.created).toBe(true);
      const size = signed.treeSize;
      const key = await app.inject({ url: '/api/ledger/key' });
      expect(key.statusCode).toBe(200);
      expect(key.body.trim()).toBe(ledgerSettings(h().deps).signer.vkey);
      expect(key.body).toMatch(/^boai\.quzhou\.redcross\/donations\/v1\+[0-9a-f]{8}\+/);
      const cp = await app.inject({ url: '/api/ledger/checkpoint' });
      expect(cp.headers['content-type']).toMatch(/^text\/plain/);
      expect(cp.headers['cache-control']).toBe('public, max-age=5');
      expect(parseCheckpoint(parseNote(cp.body).text)).toMatchObject({ origin: 'boai.quzhou.redcross/donations/v1', size });
      const en = await app.inject({ url: `/api/ledger/entries/${size - 1}` });
      expect(en.headers['cache-control']).toMatch(/immutable/);
      expect(JSON.parse(en.body)).toMatchObject({ v: 1, type: 'receipt' });
      expect((await app.inject({ url: `/api/ledger/entries/${size + 5}` })).statusCode).toBe(404);
      const inc = await app.inject({ url: `/api/ledger/proof/inclusion?index=3&size=${size}` });
      expect(inc.statusCode).toBe(200);
      verifyIncl(hasher, 3, size, hasher.leaf((await svc.entryAt(h().deps.db, 3)).entry), inc.json().hashes.map(fromBase64), signed.rootHash);
      const bad = await app.inject({ url: `/api/ledger/proof/inclusion?index=${size}&size=${size}` });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.message).toContain('index');
      const cons = await app.inject({ url: `/api/ledger/proof/consistency?from=5&to=${size}` });
      expect(cons.json().hashes.length).toBeGreaterThan(0);
      const look = await app.inject({ url: `/api/ledger/lookup?leafHash=${encodeURIComponent(toBase64(hasher.leaf((await svc.entryAt(h().deps.db, 7)).entry)))}` });
      expect(look.json()).toEqual({ index: 7 });
      // Tiles: the partial level-0 tile is the leaf hashes in order; the entry bundle is u16-length-prefixed entries.
      const tile = await app.inject({ url: `/api/ledger/tile/0/000.p/${size}` });
      expect(tile.headers['cache-control']).toMatch(/immutable/);
      expect(Buffer.from(tile.rawPayload).equals(Buffer.concat(await memoryLeaves()))).toBe(true);
      expect((await app.inject({ url: `/api/ledger/tile/0/000.p/${size + 1}` })).statusCode).toBe(404);
      expect((await app.inject({ url: `/api/ledger/tile/0/000` })).statusCode).toBe(404);
      const bundle = await app.inject({ url: `/api/ledger/tile/entries/000.p/${size}` });
      expect(bundle.rawPayload.readUInt16BE(0)).toBe((await svc.entryAt(h().deps.db, 0)).entry.length);
    });

    it('verifies from the outside: signature, consistency with the last checkpoint seen, entries, tiles, proofs, conservation', async () => {
      const first = await verify(null);
      expect(formatVerdict(first)).toContain('账本可信');
      expect(first.ok).toBe(true);
      await appendMany(9);
      await svc.signIfGrown(h().deps);
      const second = await verify(first.state);
      expect(second.checks.find((c) => c.name === 'consistency')!.ok).toBe(true);
      expect(second.ok).toBe(true);
      expect(second.treeSize).toBe(first.treeSize! + 9);
      // A wrong pinned key: nothing verifies.
      const other = makeSigner('boai.quzhou.redcross/donations/v1', crypto.generateKeyPairSync('ed25519').privateKey);
      expect((await verify(null, { vkey: other.vkey })).ok).toBe(false);
      // A forked history: the monitor saw another root at an earlier size.
      const forked = { ...first.state!, rootHash: toBase64(hasher.leaf(Buffer.from('another history'))) };
      const fork = await verify(forked);
      expect(fork.ok).toBe(false);
      expect(fork.checks.find((c) => c.name === 'consistency')!.ok).toBe(false);
      expect(fork.state).toEqual(forked);
    });

    it('detects one changed byte of a stored entry, or a stored hash: the signer refuses loudly and the verifier fails', async () => {
      const before = await verify(null);
      expect(before.ok).toBe(true);
      const original = (await svc.entryAt(h().deps.db, 4)).entry;
      const changed = Buffer.from(original);
      changed.writeUInt8(changed.readUInt8(changed.length - 3) ^ 1, changed.length - 3);
      await tamper(sql`update log_entry set entry = ${changed} where idx = 4`);
      expect(await errorCode(svc.signIfGrown(h().deps))).toBe('ledger.history_rewritten');
      const v1 = await verify(before.state);
      expect(v1.ok).toBe(false);
      expect(v1.checks.find((c) => c.name === 'tree')!.ok).toBe(false);
      await tamper(sql`update log_entry set entry = ${Buffer.from(original)} where idx = 4`);
      expect((await verify(before.state)).ok).toBe(true);

      // A stored subtree hash (level 1): history as the server now tells it differs from what was signed.
      const node = await sql<{ hash: Uint8Array }>`select hash from log_node where level = 1 and n = 1`.execute(h().deps.db);
      const good = Buffer.from(node.rows[0]!.hash);
      const bad = Buffer.from(good);
      bad.writeUInt8(bad.readUInt8(0) ^ 0x80, 0);
      await tamper(sql`update log_node set hash = ${bad} where level = 1 and n = 1`);
      expect(await errorCode(svc.signIfGrown(h().deps))).toBe('ledger.history_rewritten');
      const v2 = await verify(before.state);
      expect(v2.ok).toBe(false);
      expect(v2.checks.find((c) => c.name === 'hashes')!.ok).toBe(false);
      // A leaf hash (level 0): the served tile no longer matches the entries.
      await tamper(sql`update log_node set hash = ${good} where level = 1 and n = 1`);
      const leaf = await sql<{ hash: Uint8Array }>`select hash from log_node where level = 0 and n = 6`.execute(h().deps.db);
      const leafBad = Buffer.from(leaf.rows[0]!.hash);
      leafBad.writeUInt8(leafBad.readUInt8(31) ^ 1, 31);
      await tamper(sql`update log_node set hash = ${leafBad} where level = 0 and n = 6`);
      expect(await errorCode(svc.signIfGrown(h().deps))).toBe('ledger.history_rewritten');
      expect((await verify(before.state)).checks.find((c) => c.name === 'hashes')!.ok).toBe(false);
      await tamper(sql`update log_node set hash = ${Buffer.from(leaf.rows[0]!.hash)} where level = 0 and n = 6`);
      // Repaired: signing works again, and the refusals are in the audit log.
      await appendMany(1);
      expect((await svc.signIfGrown(h().deps)).created).toBe(true);
      const refused = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'ledger.checkpoint_refused'`.execute(h().deps.db);
      expect(refused.rows[0]!.n).toBe(3);
    });

    it('downloads only what is new when it kept the entries of its last run, and notices a kept entry the server now serves differently', async () => {
      await svc.signIfGrown(h().deps);
      const first = await verify(null);
      expect(first.ok).toBe(true);
      expect([first.entries, first.downloaded, first.entryBytes!.length]).toEqual([first.treeSize, first.treeSize, first.treeSize]);
      // 300 more: the last partial bundle fills and a new one starts.
      await appendMany(300);
      await svc.signIfGrown(h().deps);
      const second = await verify(first.state, { known: first.entryBytes, recheckBundles: 0 });
      expect(second.checks.filter((c) => !c.ok)).toEqual([]);
      expect(second.entries).toBe(first.treeSize! + 300);
      // Only the bundles from the one the last run ended in: the new entries, and the kept ones beside them compared byte for byte.
      expect(second.downloaded).toBe(300);
      expect(second.checks.find((c) => c.name === 'tree')!.detail).toContain(`下载 300 条新条目，${first.treeSize} 条沿用上次所见`);
      expect(Buffer.concat(second.entryBytes!.slice(0, first.treeSize!))).toEqual(Buffer.concat(first.entryBytes!));

      // A kept entry rewritten on the server: seen again when its bundle is re-checked.
      const original = (await svc.entryAt(h().deps.db, 3)).entry;
      const changed = Buffer.from(original);
      changed.writeUInt8(changed.readUInt8(changed.length - 3) ^ 1, changed.length - 3);
      await tamper(sql`update log_entry set entry = ${changed} where idx = 3`);
      const third = await verify(second.state, { known: second.entryBytes, recheckBundles: 1 });
      expect(third.ok).toBe(false);
      expect(third.checks.find((c) => c.name === 'entries')!.detail).toContain('#3: 服务器现在提供的条目与此前所见不同');
      expect(third.entryBytes).toBeNull();
      await tamper(sql`update log_entry set entry = ${Buffer.from(original)} where idx = 3`);

      // A damaged local copy is set aside: everything is downloaded and checked again.
      const damaged = second.entryBytes!.map((b, i) => (i === 7 ? Buffer.from('{"x":1}') : b));
      const fourth = await verify(second.state, { known: damaged });
      expect(fourth.ok).toBe(true);
      expect(fourth.downloaded).toBe(fourth.entries);
      expect(fourth.checks.find((c) => c.name === 'known')!.detail).toContain('已全部重新下载');
    });

    it('refuses to sign when its own record (state file) says the log was longer or different', async () => {
      const s = ledgerSettings(h().deps);
      const saved = fs.readFileSync(s.stateFile, 'utf8');
      const st = JSON.parse(saved) as { treeSize: number; rootHash: string };
      fs.writeFileSync(s.stateFile, JSON.stringify({ ...st, treeSize: st.treeSize + 100 }));
      expect(await errorCode(svc.signIfGrown(h().deps))).toBe('ledger.history_rewritten');
      fs.writeFileSync(s.stateFile, JSON.stringify({ ...st, rootHash: toBase64(hasher.empty()) }));
      expect(await errorCode(svc.signIfGrown(h().deps))).toBe('ledger.history_rewritten');
      fs.writeFileSync(s.stateFile, saved);
      // Without a state file the signer continues from the newest checkpoint it signed.
      fs.rmSync(s.stateFile);
      await appendMany(2);
      expect((await svc.signIfGrown(h().deps)).created).toBe(true);
      expect(fs.existsSync(s.stateFile)).toBe(true);
    });

    it('accepts cosignatures from configured witnesses only, publishes them, and the verifier can require a quorum', async () => {
      const w1 = makeSigner('audit.quzhou.example/witness', crypto.generateKeyPairSync('ed25519').privateKey, SIG_COSIGNATURE_V1);
      const w2 = makeSigner('ngo.example/witness', crypto.generateKeyPairSync('ed25519').privateKey, SIG_COSIGNATURE_V1);
      configureLedger(h().deps, { witnesses: [w1, w2].map((w) => ({ name: w.name, keyId: w.keyId, type: w.type, publicKey: w.publicKey, vkey: w.vkey })) });
      await appendMany(1);
      const signed = await svc.signIfGrown(h().deps);
      const text = parseNote(signed.note).text;
      const line = cosignLine(w1, text, 1_780_000_000);
      expect((await app.inject({ method: 'POST', url: '/api/ledger/checkpoint/cosignature', payload: { treeSize: signed.treeSize, signature: line } })).json()).toMatchObject({ created: true, witness: w1.name });
      // Not over this checkpoint, or from an unknown key: refused.
      const wrong = await app.inject({ method: 'POST', url: '/api/ledger/checkpoint/cosignature', payload: { treeSize: signed.treeSize, signature: cosignLine(w2, text.replace(/\n\d+\n/, '\n1\n'), 1_780_000_000) } });
      expect(wrong.statusCode).toBe(422);
      const stranger = makeSigner('x.example/w', crypto.generateKeyPairSync('ed25519').privateKey, SIG_COSIGNATURE_V1);
      expect((await app.inject({ method: 'POST', url: '/api/ledger/checkpoint/cosignature', payload: { treeSize: signed.treeSize, signature: cosignLine(stranger, text, 1) } })).json().error.code).toBe('ledger.unknown_witness');
      const cp = (await app.inject({ url: '/api/ledger/checkpoint' })).body;
      expect(cp).toContain(line);
      const vk = [w1.vkey, w2.vkey];
      expect((await verify(null, { witnesses: vk, quorum: 1 })).ok).toBe(true);
      expect((await verify(null, { witnesses: vk, quorum: 2 })).checks.find((c) => c.name === 'witnesses')!.ok).toBe(false);
      await app.inject({ method: 'POST', url: '/api/ledger/checkpoint/cosignature', payload: { treeSize: signed.treeSize, signature: cosignLine(w2, text, 1_780_000_100) } });
      expect((await verify(null, { witnesses: vk, quorum: 2 })).ok).toBe(true);
    });

    it('signs on demand for a holder of ledger.sign only', async () => {
      const admin = await h().createUser({ username: 'ledger.admin', unit: '330800', roles: ['sys_admin'] });
      const staff = await h().createUser({ username: 'ledger.staff', unit: '330802', roles: ['staff'] });
      const a = new Agent(app);
      expect((await a.login(admin.username, TEST_PASSWORD)).statusCode).toBe(200);
      await appendMany(1);
      const r = await a.post('/api/ledger/checkpoint/sign');
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ created: true });
      expect((await a.post('/api/ledger/checkpoint/sign')).json()).toMatchObject({ created: false });
      const b = new Agent(app);
      await b.login(staff.username, TEST_PASSWORD);
      expect((await b.post('/api/ledger/checkpoint/sign')).statusCode).toBe(403);
      // A forged checkpoint in the table (signed by another key) is never adopted as the signer's memory.
      const s = ledgerSettings(h().deps);
      fs.rmSync(s.stateFile);
      const evil = makeSigner(s.origin, crypto.generateKeyPairSync('ed25519').privateKey);
      await appendMany(1);
      const size = Number((await sql<{ n: number }>`select tree_size as n from log_head`.execute(h().deps.db)).rows[0]!.n);
      await sql`insert into checkpoint (tree_size, root_hash, note) values (${size}, ${Buffer.from(await svc.rootAt(h().deps.db, size))}, ${signCheckpoint(evil, size, await svc.rootAt(h().deps.db, size))})`.execute(h().deps.db);
      expect(await errorCode(svc.signIfGrown(h().deps))).toBe('ledger.history_rewritten');
    });
  },
  { config: () => testConfig({ BOAI_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'boai-ledger-')) }) },
);

describeDb(
  'ledger concurrency',
  (h) => {
    it('8 clients × 200 appends give dense indexes and the root an independent computation gives', async () => {
      const db = h().deps.db;
      const before = Number((await sql<{ n: number }>`select tree_size as n from log_head`.execute(db)).rows[0]!.n);
      await Promise.all(
        Array.from({ length: 8 }, async (_, c) => {
          for (let i = 0; i < 200; i++) await h().system.run((trx) => appendLedgerEntry(trx, entry(i, { id: `c${c}-${i}` })));
        }),
      );
      const rows = await sql<{ idx: number; entry: Uint8Array; leaf_hash: Uint8Array }>`select idx, entry, leaf_hash from log_entry order by idx`.execute(db);
      expect(rows.rows.length).toBe(before + 1600);
      rows.rows.forEach((r, i) => expect(Number(r.idx)).toBe(i));
      const ids = new Set(rows.rows.map((r) => (JSON.parse(Buffer.from(r.entry).toString('utf8')) as { id: string }).id));
      expect(ids.size).toBe(rows.rows.length);
      // Independent: SHA-256 of 0x00 || bytes with createHash, the RFC 6962 recursion written out here.
      const leaves = rows.rows.map((r) => crypto.createHash('sha256').update(Buffer.from([0])).update(r.entry).digest());
      const mth = (a: number, b: number): Buffer => {
        if (b - a === 1) return leaves[a]!;
        let k = 1;
        while (k * 2 < b - a) k *= 2;
        return crypto.createHash('sha256').update(Buffer.from([1])).update(mth(a, a + k)).update(mth(a + k, b)).digest();
      };
      expect(Buffer.from(await svc.rootAt(db, leaves.length)).toString('hex')).toBe(mth(0, leaves.length).toString('hex'));
      rows.rows.forEach((r, i) => expect(Buffer.from(r.leaf_hash).equals(leaves[i]!)).toBe(true));
      const root = mth(0, leaves.length);
      for (const m of [0, 1, 799, 1599, leaves.length - 1]) verifyIncl(hasher, m, leaves.length, leaves[m]!, await svc.inclusionProofAt(db, m, leaves.length), root);
    });
  },
  { only: 'postgres' },
);
