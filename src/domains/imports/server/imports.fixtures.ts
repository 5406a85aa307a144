import type { AuthzFixtures, ForeignWorld } from '../../../../tests/support/authz.ts';
import { xlsxBuffer } from '../../../../tests/support/xlsx.ts';
import { jobFinished, startImport } from './imports.service.ts';

let foreignJob: string | undefined;

/** A failed import of 江山市 (so it has an error report), made once. */
async function job(w: ForeignWorld) {
  if (!foreignJob) {
    const bytes = await xlsxBuffer(['姓名', '证件号码'], [['江山导入人', '330881199001019999']]);
    foreignJob = (await startImport(w.user.ctx, 'people', { bytes, fileName: '江山名单.xlsx' })).id;
    await jobFinished(foreignJob);
  }
  return foreignJob;
}
const about = (reason: string) => () => ({ kind: 'not-jurisdictional' as const, reason });

export const authzFixtures: AuthzFixtures = {
  'GET /api/imports': async (w) => ({ kind: 'no-leak', secrets: [await job(w), '江山名单'] }),
  'GET /api/imports/registries/:registry': about('describes the columns of an import type; no records'),
  'GET /api/imports/registries/:registry/template': about('an empty template file; no records'),
  'POST /api/imports/registries/:registry': (w) => ({ kind: 'foreign', params: { registry: 'people' }, query: { unitId: w.townshipId }, secrets: [w.townshipId] }),
  'GET /api/imports/:id': async (w) => ({ kind: 'foreign', params: { id: await job(w) }, secrets: ['江山名单'] }),
  'POST /api/imports/:id/cancel': async (w) => ({ kind: 'foreign', params: { id: await job(w) }, secrets: ['江山名单'] }),
  'GET /api/imports/:id/report': async (w) => ({ kind: 'foreign', params: { id: await job(w) }, secrets: ['330881199001019999'] }),
};
