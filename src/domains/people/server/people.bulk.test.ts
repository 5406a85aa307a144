import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb, type TestUser } from '../../../../tests/support/harness.ts';
import { xlsxBuffer } from '../../../../tests/support/xlsx.ts';
import { makeCtx, withOwnerRights, type Deps } from '../../../platform/context.ts';
import { syntheticPeople } from '../../../server/seed/people-generator.ts';
import { getJob, jobFinished, readerThread, startImport } from '../../imports/server/imports.service.ts';
import { registerPeopleImport } from './people.import.ts';
import * as repo from './people.repository.ts';
import { unmaskPerson } from './people.service.ts';

const HEADER = ['姓名*', '证件类型', '证件号码*', '性别', '出生日期', '手机号', '地址', '备注'];

describeDb('People in bulk', (h) => {
  let officer: TestUser;
  const minRows = readerThread.minRows;
  beforeAll(async () => {
    registerPeopleImport();
    readerThread.minRows = 5000;
    officer = await h().createUser({ username: 'bulk.officer', unit: '330881', roles: ['staff', 'data_officer'] });
  });

  afterAll(() => {
    readerThread.minRows = minRows;
  });

  it('the array insert keeps every value as given, quotes in name grams included, and fills defaults', async () => {
    const unit = h().unit('330881');
    const at = new Date('2026-01-02T03:04:05.678Z');
    const grams = ['a"b', 'c\\d', 'e,f', '{g}', 'NULL', '', ' x ', '张伟'];
    const id = '00000000-0000-4000-8000-00000000b001';
    await h().system.run((trx) =>
      withOwnerRights(trx, (t) =>
        repo.insertPeople(t, [
          { id, org_unit_id: unit, name: '甲"\\,{}', name_grams: grams, id_type: 'passport', id_number_enc: 'e', id_number_bidx: 'bulk-b1', id_number_mask: 'm', sex: 'F', birth_date: '1990-02-03', mobile_enc: null, mobile_bidx: null, mobile_mask: null, address: '地址', home_unit_id: unit, notes: null, guardian_id: null, guardian_relation: null, created_at: at, updated_at: at, version: 3 },
          { org_unit_id: unit, name: '乙bulk', name_grams: [], id_type: 'other', sex: 'U' },
        ]),
      ),
    );
    const rows = (await sql<Record<string, unknown>>`select * from person where name in ('甲"\\,{}', '乙bulk') order by name desc`.execute(h().deps.db)).rows;
    expect(rows[0]).toMatchObject({ id, name: '甲"\\,{}', name_grams: grams, id_type: 'passport', id_number_enc: 'e', sex: 'F', birth_date: '1990-02-03', mobile_enc: null, address: '地址', home_unit_id: unit, notes: null, created_at: at, version: 3 });
    expect(rows[1]).toMatchObject({ name: '乙bulk', name_grams: [], sex: 'U', id_number_enc: null, version: 1, merged_into: null });
    expect(typeof rows[1]!.id).toBe('string');
  });

  it('imports a large file read on a worker thread; every row sealed and readable', async () => {
    const warnings: unknown[] = [];
    const log = Object.create(h().deps.log) as Deps['log'];
    log.warn = ((...args: unknown[]) => void warnings.push(args)) as Deps['log']['warn'];
    const ctx = makeCtx({ ...h().deps, log }, officer.ctx.actor);
    const people = [...syntheticPeople(6000, { seed: 11, offset: 700_000, regions: ['330881'] })];
    const file = await xlsxBuffer(HEADER, people.map((p) => [p.name, '居民身份证', p.idNumber, p.sex === 'M' ? '男' : '女', p.birthDate, p.mobile, p.address, null]));
    const job = await startImport(ctx, 'people', { bytes: file, fileName: 'bulk.xlsx' });
    await jobFinished(job.id);
    expect(await getJob(ctx, job.id)).toMatchObject({ status: 'done', processedRows: 6000, insertedCount: 6000, errorCount: 0 });
    expect(warnings).toEqual([]); // the reader thread started (no fallback to the job thread)
    const sample = people[4321]!;
    const row = (await sql<{ id: string; name_grams: string[]; sex: string; birth_date: string }>`select id, name_grams, sex, birth_date from person where name = ${sample.name} and birth_date = ${sample.birthDate}`.execute(h().deps.db)).rows[0]!;
    expect(row).toMatchObject({ name_grams: repo.nameGramsOf(sample.name), sex: sample.sex, birth_date: sample.birthDate });
    const full = await unmaskPerson(officer.ctx, row.id, { fields: ['idNumber', 'mobile'], reason: '核对导入' });
    expect(full).toMatchObject({ idNumber: sample.idNumber, mobile: sample.mobile });
  }, 120_000);
});
