import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has embedded defaults: SQLite under ./data, port 3000, mail to files', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'sqlite', file: path.resolve('data/ruche.db') });
    expect(c.smtpUrl).toBeUndefined();
    expect(c.baseUrl).toBe('http://localhost:3000');
  });
  it('switches to PostgreSQL with a postgres:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/ruche' }).database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db/ruche' });
  });
  it('explains every wrong variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'mail.example.org', BASE_URL: 'localhost' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const m = (e as Error).message;
      for (const v of ['PORT', 'DATABASE_URL', 'SMTP_URL', 'BASE_URL']) expect(m).toContain(v);
    }
  });
});
