import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildPgliteTemplate, buildPostgresTemplate, CACHE_DIR, templateFingerprint } from './support/env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

/** Builds (or reuses) the migrated, seeded template of each backend once per run. */
export default async function setup(project: TestProject) {
  const fp = templateFingerprint();
  const file = path.join(CACHE_DIR, `pglite-template-${fp}.tar`);
  if (!fs.existsSync(file)) {
    for (const f of fs.existsSync(CACHE_DIR) ? fs.readdirSync(CACHE_DIR) : []) {
      if (f.startsWith('pglite-template-')) fs.rmSync(path.join(CACHE_DIR, f), { force: true });
    }
    await buildPgliteTemplate(file);
  }
  project.provide('pgliteTemplate', file);
  let pgTemplate: string | null = null;
  if (process.env.DATABASE_URL) {
    pgTemplate = `boai_tpl_${fp}`;
    await buildPostgresTemplate(process.env.DATABASE_URL, pgTemplate);
  }
  project.provide('postgresTemplate', pgTemplate);
}
