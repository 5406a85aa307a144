import { expect, it } from 'vitest';
import { ExcelJS } from '../../../platform/exceljs.ts';
import { Agent, describeDb, TEST_PASSWORD } from '../../../../tests/support/harness.ts';
import * as svc from './donations.service.ts';

describeDb('donations export for the finance office', (h) => {
  it('streams the filtered gifts of the caller’s jurisdiction as a workbook, and records the export', async () => {
    const user = await h().createUser({ username: 'exp.staff', unit: '330822', roles: ['staff'] });
    const other = await h().createUser({ username: 'exp.other', unit: '330881', roles: ['staff'] });
    const donor = await svc.createDonor(user.ctx, { kind: 'organisation', orgName: '常山某合作社', publicConsent: true });
    const a = await svc.createDonation(user.ctx, { donorId: donor.id, receivedOn: '2026-03-02', channel: 'bank_transfer', amountFen: 123_456, designation: 'unrestricted', receiptNo: 'CS-001' });
    await svc.confirmDonation(user.ctx, a.id, { version: a.version });
    const draft = await svc.createDonation(user.ctx, { donorId: donor.id, receivedOn: '2026-03-05', channel: 'cash', amountFen: 5_000, designation: 'unrestricted' });
    const otherDonor = await svc.createDonor(other.ctx, { kind: 'organisation', orgName: '江山导出探测企业', publicConsent: true });
    await svc.createDonation(other.ctx, { donorId: otherDonor.id, receivedOn: '2026-03-03', channel: 'cash', amountFen: 7_000, designation: 'unrestricted' });

    const agent = new Agent((await h().app()).app);
    expect((await agent.login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
    const res = await agent.request({ method: 'GET', url: '/api/donations/export.xlsx?from=2026-03-01&to=2026-03-31' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]!.slice(0, 4)).toEqual(['捐赠编号', '收到日期', '捐赠人', '金额（元）']);
    const body = rows.slice(1);
    expect(body.map((r) => r[0])).toEqual([draft.number, a.number]);
    expect(body[1]!.slice(1, 5)).toEqual(['2026-03-02', '常山某合作社', 1234.56, '银行转账']);
    expect(body[1]![7]).toBe('CS-001');
    expect(JSON.stringify(rows)).not.toContain('江山导出探测企业');
    // The status filter applies.
    const confirmed = await agent.request({ method: 'GET', url: '/api/donations/export.xlsx?status=confirmed' });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(confirmed.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]!.rowCount).toBe(2);
    // Bad filter: named field, nothing exported.
    const bad = await agent.request({ method: 'GET', url: '/api/donations/export.xlsx?from=2026-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toContain('from');
    const audit = await h().system.run((trx) => trx.selectFrom('audit_log').select(['action']).where('actor_username', '=', user.username).where('action', '=', 'donations.exported').execute());
    expect(audit).toHaveLength(2);
  });
});
