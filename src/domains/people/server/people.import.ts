import { z } from 'zod';
import type { Ctx } from '../../../platform/context.ts';
import { registerImport, type CellError } from '../../imports/server/imports.registry.ts';
import { createPerson as createPersonSchema, ID_TYPES, idTypeLabels, type IdType } from '../people.contract.ts';
import { canonicalDocument, documentIndex } from './people.pii.ts';
import * as repo from './people.repository.ts';
import { insertPrepared, preparePerson, type NewPersonRow } from './people.service.ts';

/** Document types and sexes as staff type them in Excel. */
const idTypeByText = new Map<string, IdType>(ID_TYPES.flatMap((k) => [[idTypeLabels[k].zh, k], [idTypeLabels[k].en.toLowerCase(), k], [k, k]]));
idTypeByText.set('身份证', 'resident_id');
const sexByText = new Map<string, 'M' | 'F' | 'U'>([['男', 'M'], ['女', 'F'], ['m', 'M'], ['f', 'F'], ['male', 'M'], ['female', 'F'], ['未知', 'U']]);

type Prepared = NewPersonRow;

const COLUMN_OF: Record<string, string> = { name: 'name', idType: 'idType', idNumber: 'idNumber', sex: 'sex', birthDate: 'birthDate', mobile: 'mobile', address: 'address', notes: 'notes' };

export function registerPeopleImport() {
  registerImport<Prepared>({
    registry: 'people',
    title: { zh: '人员', en: 'People' },
    permission: 'people.import',
    keyColumn: 'idNumber',
    columns: [
      { key: 'name', header: '姓名', aliases: ['name'], required: true, example: '张三', width: 10 },
      { key: 'idType', header: '证件类型', aliases: ['id type'], example: '居民身份证', note: '居民身份证（默认）、护照、港澳居民来往内地通行证、台湾居民来往大陆通行证、外国人永久居留身份证、其他证件', width: 14 },
      { key: 'idNumber', header: '证件号码', aliases: ['身份证号', '身份证号码', 'id number'], required: true, example: '330802199001011232', width: 22 },
      { key: 'sex', header: '性别', aliases: ['sex'], example: '男', note: '身份证登记的可不填，自动取自证件号', width: 6 },
      { key: 'birthDate', header: '出生日期', aliases: ['birth date'], example: '1990-01-01', note: '身份证登记的可不填', width: 12 },
      { key: 'mobile', header: '手机号', aliases: ['手机', '联系电话', 'mobile'], example: '13800138000', width: 14 },
      { key: 'address', header: '地址', aliases: ['住址', 'address'], example: '衢州市柯城区', width: 28 },
      { key: 'notes', header: '备注', aliases: ['notes'], width: 20 },
    ],
    prepare(ctx, cells, unitId, now) {
      const errors: CellError[] = [];
      const idTypeText = (cells.idType ?? '居民身份证').trim().toLowerCase();
      const idType = idTypeByText.get(idTypeText);
      if (!idType) errors.push({ column: 'idType', message: `不认识的证件类型“${cells.idType}”` });
      let sex: 'M' | 'F' | 'U' | undefined;
      if (cells.sex) {
        sex = sexByText.get(cells.sex.trim().toLowerCase());
        if (!sex) errors.push({ column: 'sex', message: '性别应为“男”或“女”' });
      }
      if (errors.length) return { ok: false, errors };
      const input = { name: cells.name ?? '', idType: idType!, idNumber: cells.idNumber, sex: sex ?? null, birthDate: cells.birthDate, mobile: cells.mobile, address: cells.address, notes: cells.notes };
      const parsed = createPersonSchema.safeParse(input);
      if (!parsed.success) {
        return { ok: false, errors: parsed.error.issues.map((i) => ({ column: COLUMN_OF[String(i.path[0])] ?? 'name', message: issueMessage(i) })) };
      }
      const rows = preparePerson(ctx, parsed.data, unitId, now);
      const key = rows.person.id_number_bidx ? `${parsed.data.idType}:${rows.person.id_number_bidx}` : null;
      return { ok: true, value: rows, key };
    },
    async existing(ctx: Ctx, keys: string[]) {
      const docs = keys.map((k) => {
        const i = k.indexOf(':');
        return { idType: k.slice(0, i), bidx: k.slice(i + 1) };
      });
      return ctx.run((trx) => repo.documentsTaken(trx, docs));
    },
    insert: (ctx, rows) => insertPrepared(ctx, rows),
  });
}

function issueMessage(i: z.core.$ZodIssue) {
  if (i.message && /[\u4e00-\u9fa5]/.test(i.message)) return i.message;
  if (i.code === 'too_small') return '不能为空';
  if (i.code === 'too_big') return '内容过长';
  return '格式不正确';
}

/** For the document key of a raw number (used by tests and the demo). */
export function documentKey(ctx: Ctx, idType: IdType, value: string) {
  return `${idType}:${documentIndex(ctx.deps.keys, idType, canonicalDocument(idType, value))}`;
}
