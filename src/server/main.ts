import fs from 'node:fs';
import { verifyAuditChain } from '../domains/audit/server/audit.service.ts';
import { purgeExpiredSessions } from '../domains/accounts/server/accounts.auth.service.ts';
import { purgeIdempotencyKeys } from '../platform/idempotency.ts';
import { buildApp, WEB_DIST } from './app.ts';
import { makeDeps, openDatabase, prepareDatabase, type FirstStart } from './bootstrap.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DatabaseStartError } from './db/connect.ts';

/**
 * `node --import tsx src/server/main.ts [start|migrate|audit-verify]`
 * Start-up problems (bad configuration, a locked or corrupt data directory, an unreachable server)
 * end the process with one clear line, never a stack trace.
 */
async function main(command: string) {
  const config = loadConfig();
  const database = await openDatabase(config);
  const deps = makeDeps(config, database);
  const closeDb = () => database.close().catch(() => undefined);
  try {
    if (command === 'migrate') {
      await prepareDatabase(deps);
      console.log('数据库已是最新 / database is up to date');
      return closeDb();
    }
    if (command === 'audit-verify') {
      const r = await verifyAuditChain(deps);
      console.log(r.ok ? `审计链校验通过 / audit chain verified: ${r.checked} rows` : `审计链校验失败 / audit chain broken:\n${r.problems.map((p) => `  #${p.seq}: ${p.problem}`).join('\n')}`);
      await closeDb();
      process.exitCode = r.ok ? 0 : 1;
      return;
    }
    if (command !== 'start') throw new ConfigError('command', `unknown command "${command}" (start | migrate | audit-verify)`);
    const first = await prepareDatabase(deps);
    const { app } = await buildApp(deps);
    await app.listen({ port: config.port, host: config.host });
    announce(config, database.kind, first);
    const purge = setInterval(() => {
      void purgeExpiredSessions(deps).catch((err) => app.log.error({ err }, 'session purge failed'));
      void purgeIdempotencyKeys(deps).catch((err) => app.log.error({ err }, 'idempotency purge failed'));
    }, 10 * 60_000);
    purge.unref();
    const stop = async (signal: string) => {
      app.log.info({ signal }, 'stopping');
      clearInterval(purge);
      await app.close().catch(() => undefined);
      await closeDb();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    await closeDb();
    throw err;
  }
}

function announce(config: Config, kind: string, first: FirstStart) {
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const lines = [``, `博爱 · 衢州市红十字会数智红会平台 已启动 / Boai is running`, `  ${url}   (数据库 database: ${kind}${kind === 'pglite' ? `, ${config.dataDir}` : ''})`];
  if (!fs.existsSync(`${WEB_DIST}/index.html`)) lines.push('  (网页尚未构建 / web UI not built: run `npm run build`)');
  if (first.demoAccounts) {
    lines.push('', `演示账户（密码只显示这一次，另存于 ${first.demoAccounts.file}）/ demo accounts (passwords shown once, also saved to that file):`);
    for (const a of first.demoAccounts.accounts) lines.push(`  ${a.username.padEnd(28)} ${a.password}   ${a.role} @ ${a.unit}`);
  }
  if (first.bootstrapAdmin) {
    lines.push(
      '',
      '初始系统管理员（一次性密码只显示这一次，24 小时内有效，首次登录须修改）/ bootstrap administrator (one-time password, shown once, valid 24 h, must be changed at first sign-in):',
      `  用户名 username: ${first.bootstrapAdmin.username}`,
      `  一次性密码 one-time password: ${first.bootstrapAdmin.oneTimePassword}`,
    );
  }
  console.log(lines.join('\n') + '\n');
}

main(process.argv[2] ?? 'start').catch((err) => {
  if (err instanceof ConfigError || err instanceof DatabaseStartError) {
    console.error(err.message);
  } else {
    console.error(`启动失败 / start failed: ${(err as Error)?.message ?? String(err)}`);
  }
  process.exit(1);
});
