import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('gateway configuration', () => {
  it('starts on embedded defaults with no environment at all', () => {
    const c = loadConfig({}, '/srv');
    expect(c).toMatchObject({ port: 4000, dataDir: '/srv/.matrix', homeDir: '/srv/.matrix/home', auth: { mode: 'owner' } });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('reports one clear line per bad value and never echoes a secret', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://root:hunter2@db/x', MATRIX_AUTH_MODE: 'open', MATRIX_OWNER_PASSWORD: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).lines;
      expect(lines).toHaveLength(4);
      expect(lines.find((l) => l.startsWith('PORT:'))).toMatch(/"eighty"/);
      expect(lines.find((l) => l.startsWith('DATABASE_URL:'))).toBe('DATABASE_URL: must be a postgres:// URL');
      expect(lines.join('\n')).not.toMatch(/hunter2|short"/);
    }
  });

  it('hosted mode needs the platform key and the machine id', () => {
    expect(() => loadConfig({ MATRIX_AUTH_MODE: 'platform' })).toThrow(/MATRIX_PLATFORM_PUBLIC_KEY: required[\s\S]*MATRIX_MACHINE_ID: required/);
  });

  it('takes the allowed origins as a list of bare origins and the edge secret file as a path', () => {
    const c = loadConfig({ MATRIX_ALLOWED_ORIGINS: 'https://Platform.Example, http://127.0.0.1:3000/', MATRIX_EDGE_SECRET_FILE: 'run/edge.conf' }, '/srv');
    expect(c.allowedOrigins).toEqual(['https://platform.example', 'http://127.0.0.1:3000']);
    expect(c.edgeSecretFile).toBe('/srv/run/edge.conf');
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    for (const bad of ['platform.example', 'https://platform.example/app', 'ftp://x.example', 'https://x.example?a=1'])
      expect(() => loadConfig({ MATRIX_ALLOWED_ORIGINS: bad })).toThrow(/MATRIX_ALLOWED_ORIGINS: must be a comma-separated list of origins/);
  });
});
