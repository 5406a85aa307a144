import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function errorOf(env: Record<string, string>) {
  try {
    loadConfig(env, '/srv/boai');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('configuration', () => {
  it('defaults to the embedded database in ./.data with demo data, on 127.0.0.1:3000', () => {
    const c = loadConfig({}, '/srv/boai');
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/srv/boai/.data/pglite' });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.demo).toBe(true);
    expect(c.requireAdminMfa).toBe(false);
    expect(c.session).toEqual({ idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, secureCookies: false });
  });
  it('on PostgreSQL: no demo unless asked, a secret key required, TOTP mandatory for administrators', () => {
    const key = 'a'.repeat(44);
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db', BOAI_SECRET_KEY: key }, '/srv');
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(c.demo).toBe(false);
    expect(c.requireAdminMfa).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', BOAI_SECRET_KEY: key, BOAI_DEMO: '1' }).demo).toBe(true);
    expect(errorOf({ DATABASE_URL: 'postgres://u@h/db' }).variable).toBe('BOAI_SECRET_KEY');
  });
  it('names the variable of a bad value in one line', () => {
    for (const [env, variable] of [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
      [{ BOAI_DEMO: 'maybe' }, 'BOAI_DEMO'],
      [{ BOAI_SESSION_IDLE: 'forever' }, 'BOAI_SESSION_IDLE'],
      [{ BOAI_SECRET_KEY: 'short' }, 'BOAI_SECRET_KEY'],
    ] as const) {
      const err = errorOf(env as Record<string, string>);
      expect(err.variable).toBe(variable);
      expect(err.message).toContain(variable);
      expect(err.message).not.toContain('\n');
    }
  });
  it('reads durations and overrides', () => {
    const c = loadConfig({ BOAI_SESSION_IDLE: '15m', BOAI_SESSION_ABSOLUTE: '8h', HOST: '0.0.0.0', BOAI_DATA_DIR: '/var/lib/boai' }, '/srv');
    expect(c.session.idleMs).toBe(15 * 60_000);
    expect(c.session.absoluteMs).toBe(8 * 3_600_000);
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/var/lib/boai/pglite' });
  });
});
