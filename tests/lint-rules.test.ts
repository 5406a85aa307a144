import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

/** The layering rules of DESIGN.md §4 fire on code that breaks them (eslint.config.js). */
async function lint(code: string, filePath: string) {
  const eslint = new ESLint();
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.map((m) => m.ruleId ?? m.message);
}

describe('layering lint rules', () => {
  it('web code may not import server code', async () => {
    expect(await lint(`import { listUnits } from '../server/orgs.service.ts';\nexport const x = listUnits;\n`, 'src/domains/orgs/web/Bad.tsx')).toContain('no-restricted-imports');
    expect(await lint(`import { makeCtx } from '../../platform/context.ts';\nexport const x = makeCtx;\n`, 'src/web/Bad.tsx')).toContain('no-restricted-imports');
    expect(await lint(`import { orgUnit } from '../orgs.contract.ts';\nexport const x = orgUnit;\n`, 'src/domains/orgs/web/Good.tsx')).toEqual([]);
  });
  it('a domain may not import another domain’s repository or tables', async () => {
    expect(await lint(`import { getUnit } from '../../orgs/server/orgs.repository.ts';\nexport const x = getUnit;\n`, 'src/domains/accounts/server/bad.ts')).toContain('no-restricted-imports');
    expect(await lint(`import { unitBrief } from '../../orgs/server/orgs.service.ts';\nexport const x = unitBrief;\n`, 'src/domains/accounts/server/good.ts')).toEqual([]);
  });
  it('SQL is never assembled from strings outside migrations', async () => {
    expect(await lint(`import { sql } from 'kysely';\nexport const q = (t: string) => sql.raw(t);\n`, 'src/domains/orgs/server/bad.ts')).toContain('no-restricted-syntax');
  });
});

describe('exceljs only through its fixed wrapper', () => {
  it('flags a direct import anywhere in server code', async () => {
    expect(await lint(`import ExcelJS from 'exceljs';\nexport const x = ExcelJS;\n`, 'src/domains/people/server/bad.ts')).toContain('no-restricted-imports');
    expect(await lint(`import ExcelJS from 'exceljs';\nexport const x = ExcelJS;\n`, 'src/platform/bad.ts')).toContain('no-restricted-imports');
  });
});
