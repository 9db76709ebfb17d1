import { CONFIG_EXIT_CODE, ConfigError, loadConfig, loadConfigOrExit } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({}, '/repo');
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '/repo/.data',
      engine: 'mercurius',
      logLevel: 'info',
      operationExpireSeconds: 300,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig(
      { PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u:p@db:5432/cabinet', DATA_DIR: '/var/lib/cabinet', GATEWAY_ENGINE: 'apollo' },
      '/repo',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/cabinet',
      dataDir: '/var/lib/cabinet',
      engine: 'apollo',
    });
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', GATEWAY_ENGINE: 'yoga', DATABASE_URL: 'mysql://x', SEED_DEMO: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'GATEWAY_ENGINE', 'DATABASE_URL', 'SEED_DEMO']) expect(message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('takes a sender the mailer can send from, with or without a display name, and refuses one it cannot', () => {
    expect(loadConfig({ MAIL_FROM: 'Cabinet <no-reply@example.kz>' }, '/repo').mailFrom).toBe('Cabinet <no-reply@example.kz>');
    expect(loadConfig({ MAIL_FROM: 'no-reply@example.kz' }, '/repo').mailFrom).toBe('no-reply@example.kz');
    for (const refused of ['Кабинет <иван@почта.kz>', 'no-reply@example', 'a b@example.kz']) {
      expect(() => loadConfig({ MAIL_FROM: refused }, '/repo')).toThrow(ConfigError);
    }
  });

  it('takes a session-keeping database URL beside the pooled one, never alone', () => {
    const pooled = 'postgres://u:p@pooler:6432/cabinet';
    const direct = 'postgres://u:p@pooler:6432/cabinet_session';
    expect(loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct }, '/repo')).toMatchObject({ databaseUrl: pooled, databaseDirectUrl: direct });
    expect(loadConfig({ DATABASE_URL: pooled }, '/repo').databaseDirectUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_DIRECT_URL: direct }, '/repo')).toThrow('DATABASE_DIRECT_URL needs DATABASE_URL');
    expect(() => loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: 'http://x' }, '/repo')).toThrow('DATABASE_DIRECT_URL must be a postgres://');
  });

  it('prepares statements on PostgreSQL itself, not through the transaction pooler DATABASE_DIRECT_URL says DATABASE_URL is, unless told', () => {
    const pooler = 'postgres://u:p@bouncer:6432/cabinet';
    const direct = 'postgres://u:p@bouncer:6432/cabinet_session';
    expect(loadConfig({}, '/repo').databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_URL: pooler }, '/repo').databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_URL: pooler, DATABASE_DIRECT_URL: direct }, '/repo').databasePreparedStatements).toBe(false);
    expect(loadConfig({ DATABASE_URL: pooler, DATABASE_DIRECT_URL: direct, DATABASE_PREPARED_STATEMENTS: 'true' }, '/repo').databasePreparedStatements).toBe(
      true,
    );
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }, '/repo').databasePreparedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'sometimes' }, '/repo')).toThrow('DATABASE_PREPARED_STATEMENTS must be true or false');
  });

  it('takes a standby for reads beside DATABASE_URL, with its own pool and lag, never alone or as the primary itself', () => {
    const primary = 'postgres://u:p@pg1:5432/cabinet';
    const standby = 'postgres://u:p@pg2:5432/cabinet';
    expect(loadConfig({ DATABASE_URL: primary }, '/repo')).toMatchObject({
      databaseReadUrl: undefined,
      databaseReadPoolSize: 10,
      databaseReadMaxLagSeconds: 10,
    });
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: standby, DATABASE_POOL_SIZE: '8' }, '/repo')).toMatchObject({
      databaseReadUrl: standby,
      databaseReadPoolSize: 8,
      databaseReadMaxLagSeconds: 10,
    });
    expect(
      loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: standby, DATABASE_READ_POOL_SIZE: '20', DATABASE_READ_MAX_LAG_SECONDS: '3' }, '/repo'),
    ).toMatchObject({ databaseReadPoolSize: 20, databaseReadMaxLagSeconds: 3 });
    expect(() => loadConfig({ DATABASE_READ_URL: standby }, '/repo')).toThrow('DATABASE_READ_URL needs DATABASE_URL');
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: primary }, '/repo')).toThrow('not that server itself');
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://pg2/cabinet' }, '/repo')).toThrow('DATABASE_READ_URL must be a postgres://');
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_POOL_SIZE: '5' }, '/repo')).toThrow('DATABASE_READ_POOL_SIZE needs DATABASE_READ_URL');
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: standby, DATABASE_READ_MAX_LAG_SECONDS: '0' }, '/repo')).toThrow(
      'DATABASE_READ_MAX_LAG_SECONDS must be an integer from 1 to 3600',
    );
  });

  it('reads TRUSTED_PROXIES as addresses, CIDRs and named ranges, and refuses anything else', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.1, 192.168.0.0/16 ,loopback,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'loopback',
      'fd00::/8',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1', '*']) {
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });

  it('keeps events 30 days unless EVENT_RETENTION_DAYS says otherwise, at least one day', () => {
    expect(loadConfig({}, '/repo').eventRetentionDays).toBe(30);
    expect(loadConfig({ EVENT_RETENTION_DAYS: '7' }, '/repo').eventRetentionDays).toBe(7);
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: '0' }, '/repo')).toThrow(ConfigError);
  });

  it('sends webhooks to public addresses only, with a 5 s timeout and 24 h of retries, unless told otherwise', () => {
    expect(loadConfig({}, '/repo')).toMatchObject({
      webhookAllowLoopback: false,
      webhookAllowedNetworks: [],
      webhookTimeoutMs: 5000,
      webhookResponseBytes: 512,
      webhookRetryBaseMs: 60_000,
      webhookRetryHours: 24,
      webhookDisableAfterFailures: 15,
      webhookDisableAfterMinutes: 60,
      webhookPollMs: 1000,
    });
    const set = loadConfig(
      {
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, fd00::7',
        WEBHOOK_DISABLE_AFTER_FAILURES: '3',
        WEBHOOK_DISABLE_AFTER_MINUTES: '0',
      },
      '/repo',
    );
    expect(set).toMatchObject({
      webhookAllowLoopback: true,
      webhookAllowedNetworks: ['10.20.0.0/16', 'fd00::7'],
      webhookDisableAfterFailures: 3,
      webhookDisableAfterMinutes: 0,
    });
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: 'intranet.local' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '60000' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => loadConfig({ WEBHOOK_RETRY_HOURS: '0' })).toThrow(/WEBHOOK_RETRY_HOURS/);
  });
});

describe('FRONTEND_OVERRIDES', () => {
  it('allows dev servers on this machine by default only with the embedded database, and never by default with DATABASE_URL', () => {
    expect(loadConfig({}, '/repo').frontendOverrides).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cabinet' }, '/repo').frontendOverrides).toEqual([]);
    expect(loadConfig({ FRONTEND_OVERRIDES: 'off' }, '/repo').frontendOverrides).toEqual([]);
    expect(Object.isFrozen(loadConfig({}, '/repo').frontendOverrides)).toBe(true);
  });

  it('takes origins and localhost, comma-separated, and refuses paths, other schemes and wildcards', () => {
    const config = loadConfig(
      { DATABASE_URL: 'postgres://u:p@db:5432/cabinet', FRONTEND_OVERRIDES: 'https://dev.example.kz:5173, localhost,https://dev.example.kz:5173' },
      '/repo',
    );
    expect(config.frontendOverrides).toEqual(['https://dev.example.kz:5173', 'http://localhost:*', 'http://127.0.0.1:*']);
    for (const bad of ['*', 'http://localhost:5173/mf-numbers.js', 'ftp://dev.example.kz', 'localhost:5173', "http://a.kz 'unsafe-inline'", 'on']) {
      expect(() => loadConfig({ FRONTEND_OVERRIDES: bad }, '/repo')).toThrow(/FRONTEND_OVERRIDES must be off, localhost, or comma-separated origins/);
    }
  });
});

describe('loadConfigOrExit', () => {
  class Exited extends Error {
    constructor(readonly code: number) {
      super(`exit ${code}`);
    }
  }
  const capture = () => {
    const written: string[] = [];
    return {
      written,
      io: {
        write: (text: string) => void written.push(text),
        exit: (code: number): never => {
          throw new Exited(code);
        },
      },
    };
  };

  it('exits 78 with one message naming every bad variable and no stack', () => {
    const { written, io } = capture();
    let exited: unknown;
    try {
      loadConfigOrExit({ PORT: 'eighty', LOG_LEVEL: 'loud', METRICS_TOKEN: 'short' }, io);
    } catch (error) {
      exited = error;
    }
    expect(exited).toBeInstanceOf(Exited);
    expect((exited as Exited).code).toBe(CONFIG_EXIT_CODE);
    expect(CONFIG_EXIT_CODE).toBe(78);
    expect(written).toHaveLength(1);
    for (const name of ['PORT', 'LOG_LEVEL', 'METRICS_TOKEN']) expect(written[0]).toContain(name);
    expect(written[0]).not.toMatch(/^\s+at /m);
  });

  it('returns the frozen config of a good environment without writing', () => {
    const { written, io } = capture();
    const config = loadConfigOrExit({ PORT: '8080' }, io);
    expect(config.port).toBe(8080);
    expect(Object.isFrozen(config)).toBe(true);
    expect(written).toEqual([]);
  });
});
