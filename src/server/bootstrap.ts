import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { bootstrapAdministrator, syncBuiltinRoles } from '../domains/accounts/server/accounts.service.ts';
import { listUnits } from '../domains/orgs/server/orgs.service.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { systemCtx, type Deps } from '../platform/context.ts';
import { decodeSecret, keysFromSecret, loadOrCreateSecretFile } from '../platform/keys.ts';
import type { Config } from './config.ts';
import { checkPostgresDurability, openPGlite, openPostgres, type Database } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadDemoData, writeDemoAccounts, type DemoAccount } from './seed/demo.ts';
import { loadReferenceData } from './seed/reference.ts';
import { loadDemoPlanActuals } from './seed/plan-demo.ts';
import { loadDemoDonations } from './seed/donations-demo.ts';
import { backfillDonationLedger } from '../domains/donations/server/donations.ledger.ts';

export type FirstStart = {
  referenceLoaded: boolean;
  demoAccounts?: { file: string; accounts: DemoAccount[] };
  bootstrapAdmin?: { username: string; oneTimePassword: string; expiresAt: Date };
};

export async function openDatabase(config: Config): Promise<Database> {
  if (config.database.kind === 'postgres') {
    const db = await openPostgres(config.database.url);
    try {
      await checkPostgresDurability(db.db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }
  return openPGlite(config.database.dataDir);
}

export function makeDeps(config: Config, database: Database, opts: { clock?: Clock; log?: FastifyBaseLogger } = {}): Deps {
  const secret = config.secretKey ? decodeSecret(config.secretKey) : loadOrCreateSecretFile(config.dataDir);
  return {
    db: database.db,
    dbKind: database.kind,
    clock: opts.clock ?? systemClock,
    keys: keysFromSecret(secret),
    config,
    log: opts.log ?? (pino({ level: config.logLevel }) as unknown as FastifyBaseLogger),
  };
}

/**
 * Brings a database up to date and fills an empty one: schema, built-in roles, Quzhou's reference
 * data, and then either the demo (sandbox) or a bootstrap administrator (real server).
 */
export async function prepareDatabase(deps: Deps): Promise<FirstStart> {
  await migrateToLatest(deps.db);
  await syncBuiltinRoles(deps);
  // Gifts recorded by a version without the public ledger get their entries once (decision 0012).
  const backfilled = await backfillDonationLedger(deps);
  if (backfilled > 0) deps.log.info({ entries: backfilled }, 'ledger: appended the money events recorded before the ledger existed');
  const ctx = systemCtx(deps);
  const first: FirstStart = { referenceLoaded: false };
  const roots = await listUnits(ctx, { limit: 1, roots: 'true' });
  let rootId = roots.items[0]?.id;
  if (!rootId) {
    const ref = await loadReferenceData(deps);
    first.referenceLoaded = true;
    rootId = ref.rootId;
    if (deps.config.demo) {
      const accounts = await loadDemoData(deps, ref.ids);
      await loadDemoPlanActuals(deps, ref.planId, ref.ids);
      await loadDemoDonations(deps, ref.ids);
      first.demoAccounts = { file: writeDemoAccounts(deps.config.dataDir, accounts), accounts };
    }
  }
  if (!first.demoAccounts) {
    const admin = await bootstrapAdministrator(deps, rootId);
    if (admin) first.bootstrapAdmin = admin;
  }
  return first;
}
