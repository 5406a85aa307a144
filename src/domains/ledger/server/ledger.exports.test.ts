import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDb, errorCode as code, type Harness, type TestUser } from '../../../../tests/support/harness.ts';
import { enforceRoutePolicies, installAccessControl, installErrorHandling, parseQueryString, validatorCompiler } from '../../../platform/http.ts';
import * as svc from '../../donations/server/donations.service.ts';
import { createPerson } from '../../people/server/people.service.ts';
import { createProject, getProject, updateProject } from '../../projects/server/projects.service.ts';
import { rootFromLeafHashes } from '../verify/tlog.ts';
import { ledgerSettings, type LedgerSettings } from './ledger.config.ts';
import { appendLedgerEntry } from './ledger.append.ts';
import { DEFAULT_IATI_ORG_REF, exportDisbursementsHxl, exportDonationsHxl, exportIati, exportStockHxl, iatiConfigFromEnv } from './ledger.exports.ts';
import { ledgerExportsRoutes } from './ledger.exports.routes.ts';
import { signIfGrown } from './ledger.service.ts';
import { hasher } from './merkle.ts';
import { disbursementsHxl, donationsHxl, stockHxl } from './hxl.ts';
import { buildIatiXml, type ExportCheckpoint, type ExportProject, type IatiOptions, type LedgerEvent } from './iati.ts';

/**
 * The IATI 2.03 schemas are third-party data kept outside the repository (../shared/reference/data):
 * read from there, never copied. Without them the XSD checks are skipped, saying so.
 */
const XSD_DIR = path.resolve('../shared/reference/data/iati-2.03');
const XSD_FILES = ['iati-activities-schema.xsd', 'iati-common.xsd', 'xml.xsd'];
const haveXsd = XSD_FILES.every((f) => fs.existsSync(path.join(XSD_DIR, f)));
if (!haveXsd) console.warn(`[ledger.exports.test] IATI 2.03 schemas not found in ${XSD_DIR}: XSD validation tests are skipped`);

async function validateIati(xml: string) {
  const file = (n: string) => ({ fileName: n, contents: fs.readFileSync(path.join(XSD_DIR, n), 'utf8') });
  const r = await validateXML({ xml: { fileName: 'export.xml', contents: xml }, schema: [file('iati-activities-schema.xsd')], preload: [file('iati-common.xsd'), file('xml.xsd')] });
  return { valid: r.valid, errors: r.errors.map((e) => e.message) };
}

/** Rows of a CSV as the export writes it (RFC 4180 quoting, CRLF, BOM). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
      i++;
    } else cur += c;
  }
  if (cur || row.length) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}

const cp: ExportCheckpoint = { treeSize: 9, rootHash: 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=', createdAt: '2026-06-01T02:00:00.000Z' };
const opts: IatiOptions = { orgRef: 'XX-TEST-1', orgType: '22', orgNameZh: '衢州市红十字会', orgNameEn: 'Quzhou Red Cross Society' };
const projects: ExportProject[] = [
  { id: 'p1', code: 'XM-330800-2026-001', name: '困难家庭助学 & <关爱>', summary: '资助 "困难" 学生', category: 'education', status: 'fundraising', periodStart: '2026-01-01', periodEnd: '2026-12-31', createdOn: '2026-01-02', unitName: '衢州市' },
  { id: 'p2', code: 'XM-330800-2026-002', name: '已结束的项目', summary: null, category: 'relief', status: 'closed', periodStart: null, periodEnd: null, createdOn: '2026-01-03', unitName: '衢州市' },
];
const events: LedgerEvent[] = [
  { idx: 0, kind: 'receipt', date: '2026-03-01', amountFen: 1_000_050, projectId: null, donorKind: 'organisation', donorName: '=HYPERLINK("x")科技', channel: 'bank_transfer', designation: 'unrestricted', number: 'JZ-330802-2026-000001', unitName: '柯城区', corrects: null },
  { idx: 1, kind: 'receipt', date: '2026-03-02', amountFen: 500_000, projectId: 'p1', donorKind: 'person', donorName: null, channel: 'wechat_pay', designation: 'project', number: 'JZ-330802-2026-000002', unitName: '柯城区', corrects: null },
  { idx: 2, kind: 'receipt', date: '2026-03-03', amountFen: 7_700, projectId: null, donorKind: 'anonymous', donorName: null, channel: 'cash', designation: 'unrestricted', number: 'JZ-330802-2026-000003', unitName: '柯城区', corrects: null },
  { idx: 3, kind: 'allocation', date: '2026-03-05', amountFen: 300_000, projectId: 'p1', unitName: '柯城区' },
  { idx: 4, kind: 'disbursement', date: '2026-03-10', amountFen: 600_000, projectId: 'p1', category: 'aid', recipientKind: 'organisation', recipientName: '柯城区某小学, "东校区"', unitName: '柯城区' },
  { idx: 5, kind: 'disbursement', date: '2026-03-11', amountFen: 15_000, projectId: null, category: 'aid', recipientKind: 'person', recipientName: null, unitName: '柯城区' },
  { idx: 6, kind: 'disbursement', date: '2026-03-12', amountFen: 1_000, projectId: null, category: 'management', recipientKind: 'organisation', recipientName: '某会计师事务所', unitName: '柯城区' },
  { idx: 7, kind: 'correction', date: '2026-03-13', amountFen: 7_700, projectId: null, donorKind: 'anonymous', donorName: null, channel: 'cash', designation: 'unrestricted', number: 'JZ-330802-2026-000003', unitName: '柯城区', corrects: 2 },
];

describe('open-data builders (pure)', () => {
  it('reads the IATI reporting organisation from the environment and refuses malformed values naming the variable', () => {
    expect(iatiConfigFromEnv({})).toEqual({ orgRef: undefined, orgType: undefined });
    expect(iatiConfigFromEnv({ BOAI_IATI_ORG_REF: 'XM-DAC-12345', BOAI_IATI_ORG_TYPE: '15' })).toEqual({ orgRef: 'XM-DAC-12345', orgType: '15' });
    expect(() => iatiConfigFromEnv({ BOAI_IATI_ORG_REF: '衢州红会' })).toThrow(/BOAI_IATI_ORG_REF/);
    expect(() => iatiConfigFromEnv({ BOAI_IATI_ORG_REF: 'XX BOAI' })).toThrow(/BOAI_IATI_ORG_REF/);
    expect(() => iatiConfigFromEnv({ BOAI_IATI_ORG_TYPE: 'ngo' })).toThrow(/BOAI_IATI_ORG_TYPE/);
  });

  it.skipIf(!haveXsd)('writes IATI 2.03 that the XSD accepts, and the validator really rejects a broken file', async () => {
    const xml = buildIatiXml(cp, opts, projects, events);
    const r = await validateIati(xml);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    // A missing required element, two elements out of schema order, a value that is no number, no version: all refused.
    expect((await validateIati(xml.replace(/<transaction-date iso-date="[^"]+"\/>/, ''))).valid).toBe(false);
    expect((await validateIati(xml.replace(/(<transaction-type code="\d+"\/>)(\s*)(<transaction-date iso-date="[^"]+"\/>)/, '$3$2$1'))).valid).toBe(false);
    expect((await validateIati(xml.replace('>10000.50<', '>10000,50<'))).valid).toBe(false);
    expect((await validateIati(xml.replace('<activity-status code="2"/>', ''))).valid).toBe(false);
    expect((await validateIati(xml.replace('version="2.03"', ''))).valid).toBe(false);
  });

  it('maps ledger events to typed IATI transactions with the ledger index as @ref, names the checkpoint, names no person', () => {
    const xml = buildIatiXml(cp, opts, projects, events);
    expect(xml).toContain('boai:checkpoint-size="9"');
    expect(xml).toContain(`boai:root-hash="${cp.rootHash}"`);
    expect(xml).toContain('generated-datetime="2026-06-01T02:00:00.000Z"');
    const activities = xml.split('<iati-activity ').slice(1);
    expect(activities.map((a) => /<iati-identifier>([^<]+)</.exec(a)![1])).toEqual(['XX-TEST-1-GENERAL-FUND', 'XX-TEST-1-XM-330800-2026-001', 'XX-TEST-1-XM-330800-2026-002']);
    const txs = (a: string) => [...a.matchAll(/<transaction ref="(\d+)">\s*<transaction-type code="(\d+)"\/>[\s\S]*?<value currency="CNY" value-date="([\d-]+)">([-\d.]+)</g)].map((m) => [Number(m[1]), m[2], m[3], m[4]]);
    expect(txs(activities[0]!)).toEqual([
      [0, '1', '2026-03-01', '10000.50'],
      [2, '1', '2026-03-03', '77.00'],
      [3, '3', '2026-03-05', '3000.00'],
      [5, '3', '2026-03-11', '150.00'],
      [6, '4', '2026-03-12', '10.00'],
      [7, '1', '2026-03-13', '-77.00'],
    ]);
    expect(txs(activities[1]!)).toEqual([
      [1, '1', '2026-03-02', '5000.00'],
      [3, '1', '2026-03-05', '3000.00'],
      [4, '3', '2026-03-10', '6000.00'],
    ]);
    expect(txs(activities[2]!)).toEqual([]);
    expect(activities[2]).toContain('<activity-status code="4"/>');
    // The allocation's two halves point at each other's activity.
    expect(activities[0]).toContain('receiver-activity-id="XX-TEST-1-XM-330800-2026-001"');
    expect(activities[1]).toContain('provider-activity-id="XX-TEST-1-GENERAL-FUND"');
    expect(xml).toContain('困难家庭助学 &amp; &lt;关爱&gt;');
    expect(xml).toContain('<narrative xml:lang="zh">个人捐赠人</narrative>');
    expect(xml).toContain('<narrative xml:lang="zh">个人受助人（不公开姓名）</narrative>');
    expect(xml).toContain('<narrative xml:lang="zh">匿名</narrative>');
    // The same input gives the same bytes: anyone can regenerate and compare.
    expect(buildIatiXml(cp, opts, [...projects].reverse(), [...events].reverse())).toBe(xml);
  });

  it('writes HXL CSVs: title row naming the checkpoint, header row, hashtag row, one row per event; persons never named', () => {
    const d = parseCsv(donationsHxl(cp, projects, events));
    expect(d[0]![0]).toContain(`tree_size=9 root_hash=${cp.rootHash}`);
    expect(d[2]).toEqual(['#date', '#meta+ledger_index', '#x_entry+type', '#meta+id', '#org+funding+type', '#org+funding+name', '#channel', '#value+incoming', '#currency+code', '#activity+project+name', '#activity+project+code', '#x_earmarking', '#org+x_receiving+name']);
    expect(d[1]!.length).toBe(d[2]!.length);
    const body = d.slice(3);
    expect(body.map((r) => [r[1], r[2], r[4], r[5], r[7]])).toEqual([
      ['0', '收款', '单位', `'=HYPERLINK("x")科技`, '10000.50'],
      ['1', '收款', '个人', '爱心人士', '5000.00'],
      ['2', '收款', '匿名', '匿名', '77.00'],
      ['7', '冲销', '匿名', '匿名', '-77.00'],
    ]);
    expect(body[1]![9]).toBe('困难家庭助学 & <关爱>');
    expect(body.every((r) => r.length === d[2]!.length)).toBe(true);

    const b = parseCsv(disbursementsHxl(cp, projects, events));
    expect(b[2]).toContain('#value+outgoing');
    expect(b.slice(3).map((r) => [r[1], r[2], r[4], r[5]])).toEqual([
      ['4', '救助支出', '柯城区某小学, "东校区"', '6000.00'],
      ['5', '救助支出', '个人受助人（不公开姓名）', '150.00'],
      ['6', '管理费用', '某会计师事务所', '10.00'],
    ]);
    const s = parseCsv(stockHxl(cp, [{ idx: 3, date: '2026-03-01', warehouse: '衢州市救灾仓库', item: '帐篷', itemCode: 'ZP-01', unit: '顶', quantityIn: '20', quantityOut: null, balance: '20' }]));
    expect(s[2]).toEqual(['#date+reported', '#loc+name', '#item+name', '#item+code', '#item+unit', '#item+num+in', '#item+num+out', '#item+num+balance', '#meta+ledger_index']);
    expect(s[3]).toEqual(['2026-03-01', '衢州市救灾仓库', '帐篷', 'ZP-01', '顶', '20', '', '20', '3']);
  });
});

// ---------------------------------------------------------------- from the database, through the services

/**
 * The app with the export routes: the full server once they are registered there, otherwise the
 * same plugin on a server with the platform's own validation, error and access-control hooks.
 */
async function exportsApp(h: Harness): Promise<FastifyInstance> {
  const { app, routes } = await h.app();
  if (routes.some((r) => r.url === '/api/ledger/export/iati.xml')) return app;
  const mini = Fastify({ logger: false, routerOptions: { querystringParser: parseQueryString } }).withTypeProvider<ZodTypeProvider>();
  mini.setValidatorCompiler(validatorCompiler);
  mini.setSerializerCompiler(serializerCompiler);
  enforceRoutePolicies(mini, []);
  installErrorHandling(mini);
  await mini.register(rateLimit, { global: false });
  installAccessControl(mini, h.deps, { cookieName: 'boai_sid', resolve: async () => null });
  await mini.register(ledgerExportsRoutes);
  await mini.ready();
  return mini;
}

const xmlRefs = (xml: string) => [...xml.matchAll(/<transaction ref="(\d+)">\s*<transaction-type code="(\d+)"\/>[\s\S]*?<value currency="CNY" value-date="[\d-]+">([-\d.]+)</g)].map((m) => ({ ref: Number(m[1]), type: m[2]!, value: m[3]! }));

describeDb('ledger open-data exports', (h) => {
  let maker: TestUser;
  let approver: TestUser;
  let settings: LedgerSettings;
  const sign = () => signIfGrown(h().deps, { settings });
  beforeAll(async () => {
    maker = await h().createUser({ username: 'exp.maker', unit: '330802', roles: ['staff'] });
    approver = await h().createUser({ username: 'exp.approver', unit: '330802', roles: ['staff'] });
    settings = { ...ledgerSettings(h().deps), stateFile: path.join(os.tmpdir(), `boai-exports-signer-${process.pid}-${h().kind}-${crypto.randomUUID()}.json`) };
  });
  afterAll(() => {
    if (settings) fs.rmSync(settings.stateFile, { force: true });
  });

  /** The entries below a size, straight from the log: what an outsider regenerating the exports holds. */
  async function logEntries(size: number) {
    const r = await sql<{ idx: number; entry: string; leaf: string }>`select idx, convert_from(entry, 'UTF8') as entry, encode(leaf_hash, 'hex') as leaf from log_entry where idx < ${size} order by idx`.execute(h().deps.db);
    return r.rows.map((x) => ({ idx: Number(x.idx), entry: JSON.parse(x.entry) as { type: string; amount?: string }, leaf: Buffer.from(x.leaf, 'hex') }));
  }

  it('exports IATI 2.03 and HXL from a signed checkpoint: refs are ledger indexes, later events are cut off, no person is named', async () => {
    expect(await code(exportIati(h().deps, {}))).toBe('ledger.no_checkpoint');
    const p = await createProject(maker.ctx, { name: '导出测试助学', kind: 'project', category: 'education', status: 'fundraising', goalFen: 10_000_000, beneficiaryGroups: [], brandProject: false } as never);
    const company = await svc.createDonor(maker.ctx, { kind: 'organisation', orgName: '导出测试科技有限公司', publicConsent: true });
    const shy = await svc.createDonor(maker.ctx, { kind: 'organisation', orgName: '不愿具名的导出单位', publicConsent: false });
    const donorPerson = await createPerson(maker.ctx, { name: '赵导出', idType: 'passport', idNumber: 'E12345678' });
    const personDonor = await svc.createDonor(maker.ctx, { kind: 'person', personId: donorPerson.id, publicConsent: true });
    const anon = await svc.createDonor(maker.ctx, { kind: 'anonymous', publicConsent: true });
    const give = async (donorId: string, amountFen: number, extra: Record<string, unknown> = {}) => {
      const d = await svc.createDonation(maker.ctx, { donorId, receivedOn: '2026-03-01', channel: 'bank_transfer', amountFen, designation: 'unrestricted', receiptNo: `EXP-${amountFen}`, ...extra } as never);
      await svc.confirmDonation(maker.ctx, d.id, { version: d.version });
      return d;
    };
    await give(company.id, 1_000_000);
    await give(personDonor.id, 500_000, { designation: 'project', projectId: p.id, channel: 'wechat_pay' });
    const anonGift = await give(anon.id, 7_700, { receiptNo: undefined, receiptWaiver: 'anonymous', channel: 'cash' });
    await give(shy.id, 20_000);
    await svc.allocate(maker.ctx, { projectId: p.id, amountFen: 300_000, decidedBy: '会长办公会', decidedOn: '2026-03-05', reason: '助学' });
    const fundP = (await svc.listFunds(maker.ctx)).find((f) => f.projectId === p.id)!;
    const free = (await svc.listFunds(maker.ctx)).find((f) => f.kind === 'unrestricted')!;
    const school = await svc.submitDisbursement(maker.ctx, { fundId: fundP.id, category: 'aid', beneficiaryKind: 'organisation', orgName: '柯城区导出测试小学', amountFen: 600_000, paidOn: '2026-03-10', paidFrom: 'bank', purpose: '资助学生' });
    await svc.decideDisbursement(approver.ctx, school.id, { version: school.version, decision: 'approve' });
    const beneficiary = await createPerson(maker.ctx, { name: '钱受助', idType: 'passport', idNumber: 'E87654321' });
    const aid = await svc.submitDisbursement(maker.ctx, { fundId: free.id, category: 'aid', beneficiaryKind: 'person', personId: beneficiary.id, amountFen: 15_000, paidOn: '2026-03-11', paidFrom: 'bank', purpose: '大病救助' });
    await svc.decideDisbursement(approver.ctx, aid.id, { version: aid.version, decision: 'approve' });
    const cp1 = await sign();

    // After the checkpoint: a reversal (correction entry) and one more gift, then a second checkpoint.
    await svc.reverseDonation(maker.ctx, anonGift.id, '重复登记');
    await give(company.id, 99_900);
    await svc.allocate(maker.ctx, { projectId: p.id, amountFen: 1_000, decidedBy: '会长办公会', decidedOn: '2026-03-06', reason: '追加' });
    const cp2 = await sign();
    expect(cp2.treeSize).toBeGreaterThan(cp1.treeSize);

    const first = await exportIati(h().deps, { checkpointSize: cp1.treeSize, iati: { orgRef: 'XX-TEST-330800' } });
    const latest = await exportIati(h().deps, { iati: { orgRef: 'XX-TEST-330800' } });
    expect(first.checkpoint).toMatchObject({ treeSize: cp1.treeSize, rootHash: Buffer.from(cp1.rootHash).toString('base64') });
    expect(latest.checkpoint.treeSize).toBe(cp2.treeSize);
    if (haveXsd) {
      for (const x of [first, latest]) expect(await validateIati(x.text())).toEqual({ valid: true, errors: [] });
    }

    // The checkpoint named in the file is the one an outsider recomputes from the entries.
    for (const [x, cp] of [[first, cp1], [latest, cp2]] as const) {
      const entries = await logEntries(cp.treeSize);
      expect(entries.map((e) => e.idx)).toEqual([...Array(cp.treeSize).keys()]);
      expect(Buffer.from(rootFromLeafHashes(hasher, entries.map((e) => e.leaf))).toString('base64')).toBe(x.checkpoint.rootHash);
      expect(x.text()).toContain(`boai:checkpoint-size="${cp.treeSize}" boai:root-hash="${x.checkpoint.rootHash}"`);
      // Every transaction's @ref is an index below the checkpoint whose entry has that type and amount.
      const byIdx = new Map(entries.map((e) => [e.idx, e.entry]));
      const typeOf: Record<string, string[]> = { receipt: ['1'], correction: ['1'], allocation: ['3', '1'], disbursement: ['3', '4'] };
      const refs = xmlRefs(x.text());
      for (const t of refs) {
        const e = byIdx.get(t.ref)!;
        expect(e, `ref ${t.ref}`).toBeDefined();
        expect(typeOf[e.type]).toContain(t.type);
        expect(t.value).toBe(e.type === 'correction' ? `-${e.amount}` : e.amount);
      }
      // And every money entry of the log appears.
      const money = entries.filter((e) => ['receipt', 'correction', 'allocation', 'disbursement'].includes(e.entry.type)).map((e) => e.idx);
      expect([...new Set(refs.map((t) => t.ref))].sort((a, b) => a - b)).toEqual(money);
    }
    const firstRefs = xmlRefs(first.text());
    expect(firstRefs.every((t) => t.ref < cp1.treeSize)).toBe(true);
    expect(firstRefs.some((t) => t.value.startsWith('-'))).toBe(false);
    expect(xmlRefs(latest.text()).filter((t) => t.value === '-77.00')).toHaveLength(1);
    expect(first.text()).not.toContain('999.00');
    expect(latest.text()).toContain('>999.00<');
    // Regenerating the first checkpoint's file after the log has grown, and a project was created, gives the same bytes.
    const now = h().clock.now();
    h().clock.set('2099-01-01T00:00:00Z');
    await createProject(maker.ctx, { name: '检查点之后的项目', kind: 'project', category: 'relief', status: 'fundraising', beneficiaryGroups: [], brandProject: false } as never);
    h().clock.set(now);
    const regenerated = await exportIati(h().deps, { checkpointSize: cp1.treeSize, iati: { orgRef: 'XX-TEST-330800' } });
    expect(regenerated.text()).toBe(first.text());
    expect(regenerated.etag).toBe(first.etag);
    expect(latest.etag).not.toBe(first.etag);
    expect(first.text()).toContain('<iati-identifier>XX-TEST-330800-' + (await getProject(maker.ctx, p.id)).code + '</iati-identifier>');
    expect(first.text()).not.toContain('检查点之后的项目');
    // A renamed project is not in the log: the file of the same checkpoint changes, and so does its ETag.
    const current = await getProject(maker.ctx, p.id);
    await updateProject(maker.ctx, p.id, { version: current.version, name: '导出测试助学（更名）' });
    const renamed = await exportIati(h().deps, { checkpointSize: cp1.treeSize, iati: { orgRef: 'XX-TEST-330800' } });
    expect(renamed.text()).toContain('导出测试助学（更名）');
    expect(renamed.etag).not.toBe(first.etag);

    const donations = parseCsv((await exportDonationsHxl(h().deps, {})).text());
    const disb = parseCsv((await exportDisbursementsHxl(h().deps, { checkpointSize: cp1.treeSize })).text());
    expect(donations[2]![0]).toBe('#date');
    const donorCol = donations[2]!.indexOf('#org+funding+name');
    const amountCol = donations[2]!.indexOf('#value+incoming');
    expect(donations.slice(3).map((r) => [r[donorCol], r[amountCol]])).toEqual([
      ['导出测试科技有限公司', '10000.00'],
      ['爱心人士', '5000.00'],
      ['匿名', '77.00'],
      ['爱心单位', '200.00'],
      ['匿名', '-77.00'],
      ['导出测试科技有限公司', '999.00'],
    ]);
    expect(disb.slice(3).map((r) => [r[4], r[5]])).toEqual([['柯城区导出测试小学', '6000.00'], ['个人受助人（不公开姓名）', '150.00']]);

    const everything = [first.text(), latest.text(), ...[donations, disb].map((t) => JSON.stringify(t))].join('\n');
    for (const secret of ['赵导出', '钱受助', 'E12345678', 'E87654321', donorPerson.id, beneficiary.id, '不愿具名的导出单位', '大病救助', '资助学生']) expect(everything).not.toContain(secret);

    // A size that is no signed checkpoint is refused naming the field.
    const bad = await code(exportDonationsHxl(h().deps, { checkpointSize: cp1.treeSize + 1 }));
    expect(bad).toBe('validation_failed');
  });

  it('exports stock movements from the goods entries: in, out, distribution, a running balance per warehouse and item, cut at the checkpoint', async () => {
    // The warehouses domain does not write its postings to the ledger yet: these entries are appended
    // with the ledger's own append, as that wiring will, one per posted document line.
    const item = (await sql<{ code: string; name: string; unit: string }>`select code, name, unit from relief_item where standard order by code limit 1`.execute(h().deps.db)).rows[0];
    const itemCode = item?.code ?? 'ZP-TEST';
    const goods = (qty: string, warehouse: string) => ({ item: itemCode, qty, unit: item?.unit ?? '顶', warehouse });
    const append = (type: 'stock_in' | 'stock_out' | 'distribution', qty: string, warehouse = 'WH-EXPORT-1') =>
      h().system.run((trx) => appendLedgerEntry(trx, { v: 1, type, id: crypto.randomUUID(), ts: '2026-04-01T02:00:00.000Z', date: '2026-04-01', org: '330802', goods: goods(qty, warehouse) }));
    await append('stock_in', '20');
    await append('stock_out', '5');
    await append('stock_in', '7', 'WH-EXPORT-2');
    await append('distribution', '2.5');
    const cp = await sign();
    await append('stock_in', '10');
    const later = await sign();
    const rows = (x: string) => parseCsv(x).slice(3).filter((r) => r[1]!.startsWith('WH-EXPORT'));
    const atCp = rows((await exportStockHxl(h().deps, { checkpointSize: cp.treeSize })).text());
    expect(atCp.map((r) => [r[1], r[5], r[6], r[7]])).toEqual([
      ['WH-EXPORT-1', '20', '', '20'],
      ['WH-EXPORT-1', '', '5', '15'],
      ['WH-EXPORT-2', '7', '', '7'],
      ['WH-EXPORT-1', '', '2.5', '12.5'],
    ]);
    expect(atCp.every((r) => Number(r[8]) < cp.treeSize)).toBe(true);
    const atLatest = rows((await exportStockHxl(h().deps, {})).text());
    expect(atLatest.at(-1)!.slice(5, 8)).toEqual(['10', '', '22.5']);
    expect(Number(atLatest.at(-1)![8])).toBeLessThan(later.treeSize);
    expect(Number(atLatest.at(-1)![8])).toBeGreaterThanOrEqual(cp.treeSize);
    // The standard relief items are reference data: the export names the item from the catalogue.
    expect(item).toBeDefined();
    expect(atCp[0]!.slice(2, 5)).toEqual([item!.name, item!.code, item!.unit]);
  });

  it('over HTTP: public, cacheable, names its checkpoint in headers, refuses a size that is no checkpoint', async () => {
    const app = await exportsApp(h());
    const cp = await sign();
    for (const url of ['/api/ledger/export/iati.xml', '/api/ledger/export/donations.hxl.csv', '/api/ledger/export/disbursements.hxl.csv', '/api/ledger/export/stock.hxl.csv']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['x-ledger-checkpoint-size']).toBe(String(cp.treeSize));
      expect(res.headers['x-ledger-root-hash']).toBe(Buffer.from(cp.rootHash).toString('base64'));
      expect(String(res.headers['cache-control'])).toMatch(/^public, max-age=\d+$/);
      const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': String(res.headers.etag) } });
      expect(again.statusCode).toBe(304);
    }
    // The streamed response is the file the service builds.
    const csv = await app.inject({ method: 'GET', url: `/api/ledger/export/donations.hxl.csv?checkpoint_size=${cp.treeSize}` });
    expect(csv.body).toBe((await exportDonationsHxl(h().deps, { checkpointSize: cp.treeSize })).text());
    expect(csv.body.split('\r\n').length).toBeGreaterThan(5);
    const xml = await app.inject({ method: 'GET', url: `/api/ledger/export/iati.xml?checkpoint_size=${cp.treeSize}` });
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.body).toBe((await exportIati(h().deps, { checkpointSize: cp.treeSize, iati: iatiConfigFromEnv() })).text());
    expect(xml.body).toContain(`<reporting-org ref="${iatiConfigFromEnv().orgRef ?? DEFAULT_IATI_ORG_REF}" type="22">`);
    for (const q of [`${cp.treeSize + 5}`, 'abc', '0', '-1']) {
      const res = await app.inject({ method: 'GET', url: `/api/ledger/export/donations.hxl.csv?checkpoint_size=${q}`, headers: { 'accept-language': 'zh-CN' } });
      expect(res.statusCode, q).toBe(400);
      expect(JSON.stringify(res.json().error.details)).toContain('checkpoint_size');
    }
  });
});
