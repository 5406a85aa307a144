import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Agent, describeDb, TEST_PASSWORD } from '../../../../tests/support/harness.ts';
import { readXlsx, xlsxBuffer, zipOf } from '../../../../tests/support/xlsx.ts';
import { residentIdCheckChar } from '../../../platform/validators.ts';
import { syntheticPeople } from '../../../server/seed/people-generator.ts';
import { jobFinished } from './imports.service.ts';

const HEADER = ['姓名*', '证件类型', '证件号码*', '性别', '出生日期', '手机号', '地址', '备注'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function idOf(region: string, birth: string, seq: string) {
  const f = region + birth + seq;
  return f + residentIdCheckChar(f);
}

describeDb('Excel import of people', (h) => {
  let a: Agent;
  const upload = async (buf: Buffer, name = '名单.xlsx', type = XLSX) => {
    const res = await a.request({ method: 'POST', url: '/api/imports/registries/people', payload: buf, headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } });
    if (res.statusCode === 202) await jobFinished(res.json().id);
    return res;
  };
  const count = async () => (await sql<{ n: number }>`select count(*)::int as n from person`.execute(h().deps.db)).rows[0]!.n;

  beforeAll(async () => {
    await h().createUser({ username: 'im.staff', unit: '330825', roles: ['staff'] });
    a = new Agent((await h().app()).app);
    await a.login('im.staff', TEST_PASSWORD);
  });

  it('offers a template with Chinese headers', async () => {
    const res = await a.get('/api/imports/registries/people/template');
    expect(res.statusCode).toBe(200);
    const rows = await readXlsx(res.rawPayload);
    expect(rows[0]).toEqual(['姓名*', '证件类型', '证件号码*', '性别', '出生日期', '手机号', '地址', '备注']);
    const info = (await a.get('/api/imports/registries/people')).json();
    expect(info.columns.filter((c: { required: boolean }) => c.required).map((c: { header: string }) => c.header)).toEqual(['姓名', '证件号码']);
  });

  it('a file with bad rows changes nothing and returns a report naming row, column, value and reason', async () => {
    const existing = idOf('330825', '19800101', '011');
    await a.post('/api/people', { name: '已登记', idType: 'resident_id', idNumber: existing });
    const good = idOf('330825', '19900101', '021');
    const dup = idOf('330825', '19910101', '031');
    const badCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const before = await count();
    const buf = await xlsxBuffer(HEADER, [
      ['李一', '居民身份证', good, '', '', '13800000001', '龙游县', ''],
      ['李二', '居民身份证', badCheck, '', '', '', '', ''],
      ['', '居民身份证', idOf('330825', '19920101', '041'), '', '', '', '', ''],
      ['李四', '身份证', dup, '', '', '13800000004', '', ''],
      ['李五', '居民身份证', dup, '', '', '', '', ''],
      ['李六', '居民身份证', existing, '', '', '', '', ''],
      ['李七', '驾照', 'X1', '', '', '', '', ''],
      ['李八', '居民身份证', idOf('330825', '19930101', '051'), '', '', '12345', '', ''],
    ]);
    const res = await upload(buf);
    expect(res.statusCode).toBe(202);
    const job = (await a.get(`/api/imports/${res.json().id}`)).json();
    expect(job).toMatchObject({ status: 'failed', processedRows: 8, insertedCount: 0, hasReport: true });
    expect(job.errorCount).toBe(6);
    expect(await count()).toBe(before);
    const report = await readXlsx((await a.get(`/api/imports/${job.id}/report`)).rawPayload);
    expect(report[0]).toEqual(['行号', '列', '内容', '原因']);
    const byRow = (n: number) => report.filter((r) => r[0] === n);
    expect(byRow(3)[0]).toEqual([3, '证件号码', badCheck, '身份证号校验位不正确，请核对']);
    expect(byRow(4)[0]![1]).toBe('姓名');
    expect(byRow(5)).toEqual([]);
    expect(byRow(9)[0]).toEqual([9, '手机号', '12345', expect.stringContaining('手机号')]);
    expect(byRow(6)[0]).toEqual([6, '证件号码', dup, '与第 5 行重复']);
    expect(byRow(7)[0]).toEqual([7, '证件号码', existing, '已登记，不能重复导入']);
    expect(byRow(8)[0]![1]).toBe('证件类型');
  });

  it('imports a correct file entirely, once; the same file again is refused', async () => {
    const people = [...syntheticPeople(2000, { seed: 7, regions: ['330825'] })];
    const buf = await xlsxBuffer(HEADER, people.map((p) => [p.name, '居民身份证', p.idNumber, p.sex === 'M' ? '男' : '女', p.birthDate, p.mobile, p.address, null]));
    const before = await count();
    const res = await upload(buf, '龙游县名单.xlsx');
    const job = (await a.get(`/api/imports/${res.json().id}`)).json();
    expect(job).toMatchObject({ status: 'done', processedRows: 2000, insertedCount: 2000, errorCount: 0, fileName: '龙游县名单.xlsx' });
    expect(await count()).toBe(before + 2000);
    const found = (await a.post('/api/people/lookup', { idType: 'resident_id', idNumber: people[1234]!.idNumber })).json();
    expect(found.items[0]).toMatchObject({ name: people[1234]!.name, unitName: '龙游县' });
    const again = await upload(buf, '再传一次.xlsx');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('import.already_imported');
    expect(await count()).toBe(before + 2000);
    const audit = await sql<{ action: string }>`select action from audit_log where entity_id = ${job.id} order by seq`.execute(h().deps.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['imports.started', 'imports.done']);
  });

  it('refuses what is not a plain xlsx by its content, and hostile archives before unpacking them', async () => {
    const csv = await upload(Buffer.from('姓名,证件号码\n张三,330802199001011232\n'), 'renamed.xlsx');
    expect(csv.statusCode).toBe(415);
    expect(csv.json().error.code).toBe('import.not_xlsx');
    const types = Buffer.from('<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>');
    const macro = await upload(await zipOf([{ name: '[Content_Types].xml', data: types }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/vbaProject.bin', data: Buffer.from('x') }]));
    expect(macro.json().error.code).toBe('import.macro');
    // 300 MB of zeros in a few hundred kilobytes: refused from the zip directory, before any inflation.
    const bomb = await upload(await zipOf([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(300 * 1024 * 1024), deflate: true },
    ]));
    expect(bomb.statusCode).toBe(422);
    expect(bomb.json().error.code).toBe('import.zip_bomb');
    const noHeader = await upload(await xlsxBuffer(['名字', '号码'], [['张三', '1']]));
    const job = (await a.get(`/api/imports/${noHeader.json().id}`)).json();
    expect(job).toMatchObject({ status: 'failed', message: 'import.no_header' });
  }, 120_000);

  it('a cancelled import leaves nothing behind', async () => {
    const people = [...syntheticPeople(30_000, { seed: 9, offset: 100_000 })];
    const buf = await xlsxBuffer(HEADER, people.map((p) => [p.name, null, p.idNumber, null, null, null, null, null]));
    const before = await count();
    const res = await a.request({ method: 'POST', url: '/api/imports/registries/people', payload: buf, headers: { 'content-type': XLSX } });
    expect(res.statusCode).toBe(202);
    const cancelled = await a.post(`/api/imports/${res.json().id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    expect(await count()).toBe(before);
    expect((await a.post(`/api/imports/${res.json().id}/cancel`)).json().error.code).toBe('import.not_running');
  }, 120_000);
});
