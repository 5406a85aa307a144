import { beforeAll, expect, it } from 'vitest';
import { ExcelJS } from '../../../platform/exceljs.ts';
import { sql } from 'kysely';
import { Agent, describeDb, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import { createUnit, savePopulation } from '../../orgs/server/orgs.service.ts';
import { listAudit, recordAudit, redact, verifyAuditChain } from './audit.service.ts';

describeDb('audit log', (h) => {
  let kecheng: TestUser;
  let jiangshan: TestUser;
  let auditor: TestUser;
  let keAuditor: TestUser;
  beforeAll(async () => {
    kecheng = await h().createUser({ username: 'au.ke', unit: '330802', roles: ['staff'] });
    jiangshan = await h().createUser({ username: 'au.js', unit: '330881', roles: ['staff'] });
    auditor = await h().createUser({ username: 'au.city', unit: '330800', roles: ['audit_admin'] });
    keAuditor = await h().createUser({ username: 'au.keaudit', unit: '330802', roles: ['supervisor'] });
    await createUnit(kecheng.ctx, { parentId: h().unit('石梁镇'), name: '审计测试村', kind: 'village' });
    await createUnit(jiangshan.ctx, { parentId: h().unit('双塔街道'), name: '审计测试社区', kind: 'community' });
  });

  it('verifies a clean chain', async () => {
    const r = await verifyAuditChain(h().deps);
    expect(r.ok).toBe(true);
    expect(r.checked).toBeGreaterThan(5);
    expect(r.headSeq).toBe(r.checked);
  });

  it('shows each reader the events of its jurisdiction only', async () => {
    const city = await listAudit(auditor.ctx, { limit: 200 });
    const county = await listAudit(keAuditor.ctx, { limit: 200 });
    expect(city.items.some((e) => e.actorUsername === 'au.js')).toBe(true);
    expect(county.items.some((e) => e.actorUsername === 'au.ke')).toBe(true);
    expect(county.items.some((e) => e.actorUsername === 'au.js')).toBe(false);
    // System events (no unit) are for the whole-tree scope only.
    expect(city.items.some((e) => e.unitId === null)).toBe(true);
    expect(county.items.some((e) => e.unitId === null)).toBe(false);
    const filtered = await listAudit(auditor.ctx, { limit: 50, actor: 'au.ke', action: 'orgs' });
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((e) => e.actorUsername === 'au.ke' && e.action.startsWith('orgs.'))).toBe(true);
  });

  it('never writes secrets or personal identifiers into before/after', async () => {
    expect(redact({ name: '张三', idNumber: '330802199001011232', phone: '13800138000', nested: { password: 'x', ok: 1 } })).toEqual({
      name: '张三', idNumber: '[已隐藏]', phone: '[已隐藏]', nested: { password: '[已隐藏]', ok: 1 },
    });
    await recordAudit(kecheng.ctx, { action: 'test.redaction', after: { idNumber: '330802199001011232', mobile: '13800138000' } });
    const row = await h().system.run((trx) => trx.selectFrom('audit_log').select(['payload', 'after']).where('action', '=', 'test.redaction').executeTakeFirstOrThrow());
    expect(row.payload).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}/);
    expect(JSON.stringify(row.after)).not.toMatch(/\d{17}[\dX]|1[3-9]\d{9}/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even from the schema owner', async () => {
    await expect(h().system.run((trx) => sql`update audit_log set action = 'x' where seq = 1`.execute(trx))).rejects.toThrow();
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(h().deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(h().deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(h().deps.db)).rejects.toThrow(/append-only/);
  });

  it('detects a row altered or deleted behind the triggers’ back', async () => {
    const db = h().deps.db;
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    await sql`alter table audit_log disable trigger audit_log_no_delete`.execute(db);
    try {
      await sql`update audit_log set actor_username = 'someone-else' where seq = 3`.execute(db);
      let r = await verifyAuditChain(h().deps);
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => p.seq)).toContain(3);
      // Rewriting the payload too does not help without the key: the hash no longer matches.
      await sql`update audit_log set payload = replace(payload, '"action":"', '"action":"x') where seq = 4`.execute(db);
      r = await verifyAuditChain(h().deps);
      expect(r.problems.some((p) => p.seq === 4 && /hash/.test(p.problem))).toBe(true);
      await sql`delete from audit_log where seq = 6`.execute(db);
      r = await verifyAuditChain(h().deps);
      expect(r.problems.some((p) => p.seq === 6 && /missing/.test(p.problem))).toBe(true);
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_no_delete`.execute(db);
    }
  });

  it('exports the log as xlsx with Chinese headers, for audit administrators only', async () => {
    const { app } = await h().app();
    const a = new Agent(app);
    expect((await a.login('au.city', TEST_PASSWORD)).statusCode).toBe(200);
    const res = await a.get('/api/audit/export?actor=au.ke');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual(expect.arrayContaining(['序号', '时间', '操作人', '操作']));
    expect(ws.rowCount).toBeGreaterThan(1);
    for (let i = 2; i <= ws.rowCount; i++) expect(ws.getRow(i).getCell(3).value).toBe('au.ke');
    expect(wb.creator).toContain('au.city');
    const staff = new Agent(app);
    await staff.login('au.ke', TEST_PASSWORD);
    expect((await staff.get('/api/audit/export')).statusCode).toBe(403);
    expect((await staff.get('/api/audit')).statusCode).toBe(403);
    const exported = await h().system.run((trx) => trx.selectFrom('audit_log').select('actor_username').where('action', '=', 'audit.exported').execute());
    expect(exported.map((e) => e.actor_username)).toContain('au.city');
    const denied = await h().system.run((trx) => trx.selectFrom('audit_log').select(['actor_username', 'result']).where('action', '=', 'access.denied').execute());
    expect(denied).toContainEqual({ actor_username: 'au.ke', result: 'denied' });
  });
});

describeDb(
  'audit chain under concurrent writers',
  (h) => {
    it('keeps the sequence dense and the chain valid when 40 transactions append at once', async () => {
      const staff = await h().createUser({ username: 'cc.staff', unit: '330803', roles: ['staff'] });
      const before = (await verifyAuditChain(h().deps)).headSeq;
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          savePopulation(staff.ctx, h().unit('330803'), { year: 1990 + (i % 20), kind: i % 2 ? 'resident' : 'registered', value: 1000 + i, source: `并发 ${i}` }),
        ),
      );
      const r = await verifyAuditChain(h().deps);
      expect(r.problems).toEqual([]);
      expect(r.headSeq).toBe(before + 40);
      const seqs = await h().system.run((trx) => trx.selectFrom('audit_log').select('seq').where('seq', '>', before).orderBy('seq').execute());
      expect(seqs.map((s) => s.seq)).toEqual(Array.from({ length: 40 }, (_, i) => before + i + 1));
    });
  },
);
