import path from 'node:path';
import { z } from 'zod';

/**
 * Environment configuration, validated once at start. A bad value stops the start with one line
 * that names the variable (see main.ts), never a stack trace.
 */
const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)?$/, 'expected a duration such as 30m, 12h, 900s')
  .transform((v) => {
    const m = /^(\d+)(ms|s|m|h)?$/.exec(v)!;
    const n = Number(m[1]);
    const unit = m[2] ?? 's';
    return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected postgres://user@host:port/database')
    .optional(),
  BOAI_DATA_DIR: z.string().min(1).optional(),
  BOAI_FILES_DIR: z.string().min(1).optional(),
  BOAI_DEMO: boolFlag.optional(),
  BOAI_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}$/, 'expected at least 32 random bytes, base64 or hex (openssl rand -base64 32)')
    .optional(),
  BOAI_SESSION_IDLE: duration.default(30 * 60_000),
  BOAI_SESSION_ABSOLUTE: duration.default(12 * 3_600_000),
  BOAI_SECURE_COOKIES: boolFlag.optional(),
  BOAI_TRUST_PROXY: z.string().optional(),
  BOAI_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  BOAI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOAI_REQUIRE_ADMIN_MFA: boolFlag.optional(),
});

export type Config = {
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  /** Uploaded files (attachments, import files and their reports), outside any static root. */
  filesDir: string;
  demo: boolean;
  secretKey: string | undefined;
  session: { idleMs: number; absoluteMs: number; secureCookies: boolean };
  trustProxy: string | undefined;
  authRateLimitPerMinute: number;
  logLevel: string;
  /** TOTP is mandatory for the three administrator roles outside the sandbox (embedded database with demo data). */
  requireAdminMfa: boolean;
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`配置错误 / invalid configuration: ${variable}: ${reason}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // Empty strings count as "not set" so that `FOO= npm start` behaves like no FOO at all.
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') cleaned[key] = v;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? '?'), issue.message);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.BOAI_DATA_DIR ?? '.data');
  const database = e.DATABASE_URL
    ? ({ kind: 'postgres', url: e.DATABASE_URL } as const)
    : ({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') } as const);
  // The embedded database is the sandbox: demo data by default. A real server gets it only on request.
  const demo = e.BOAI_DEMO ?? database.kind === 'pglite';
  if (database.kind === 'postgres' && !e.BOAI_SECRET_KEY) {
    throw new ConfigError('BOAI_SECRET_KEY', 'required with DATABASE_URL (generate one: openssl rand -base64 32)');
  }
  const sandbox = database.kind === 'pglite' && demo;
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    dataDir,
    filesDir: path.resolve(cwd, e.BOAI_FILES_DIR ?? path.join(dataDir, 'files')),
    demo,
    secretKey: e.BOAI_SECRET_KEY,
    session: {
      idleMs: e.BOAI_SESSION_IDLE,
      absoluteMs: e.BOAI_SESSION_ABSOLUTE,
      secureCookies: e.BOAI_SECURE_COOKIES ?? false,
    },
    trustProxy: e.BOAI_TRUST_PROXY,
    authRateLimitPerMinute: e.BOAI_AUTH_RATE_LIMIT,
    logLevel: e.BOAI_LOG_LEVEL,
    requireAdminMfa: e.BOAI_REQUIRE_ADMIN_MFA ?? !sandbox,
  };
}
