import { ConfigError, loadConfig } from './app-config';

describe('security settings', () => {
  it('listens on 127.0.0.1, trusts no proxy, limits failed authentication and serves no /metrics by default', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.trustProxy).toBe(false);
    expect(config.authFailureLimitPerMinute).toBe(20);
    expect(config.metricsToken).toBeNull();
  });

  it('takes HOST, TRUST_PROXY in Express\' forms and METRICS_TOKEN', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({ METRICS_TOKEN: 'a-scraper-token-0123' }).metricsToken).toBe('a-scraper-token-0123');
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ HOST: 'a b' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow('TRUST_PROXY');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN');
    expect(() => loadConfig({ AUTH_FAILURE_LIMIT_PER_MINUTE: '-1' })).toThrow('AUTH_FAILURE_LIMIT_PER_MINUTE');
  });
});

describe('database roles', () => {
  it('takes MIGRATION_DATABASE_URL (the owner role) next to DATABASE_URL (the application role); unset, DATABASE_URL does both', () => {
    const app = 'postgres://ktt_app:a@db:5432/ktt';
    const owner = 'postgres://ktt_owner:o@db:5432/ktt';
    expect(loadConfig({ DATABASE_URL: app, MIGRATION_DATABASE_URL: owner })).toMatchObject({ databaseUrl: app, migrationDatabaseUrl: owner });
    expect(loadConfig({ DATABASE_URL: app }).migrationDatabaseUrl).toBeNull();
  });

  it('stops on MIGRATION_DATABASE_URL without DATABASE_URL, or not a postgres URL', () => {
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'postgres://ktt_owner:o@db/ktt' })).toThrow('MIGRATION_DATABASE_URL needs DATABASE_URL');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://a@db/ktt', MIGRATION_DATABASE_URL: 'mysql://o@db/ktt' })).toThrow('MIGRATION_DATABASE_URL');
  });
});

describe('the verifiable log\'s settings', () => {
  it('names the log ktt-registry.local/log, generates its key and checkpoints every 1000 events or 10 seconds by default', () => {
    expect(loadConfig({})).toMatchObject({ transparencyOrigin: 'ktt-registry.local/log', transparencyKey: null, transparencyCheckpointEvents: 1000, transparencyCheckpointSeconds: 10 });
  });

  it('takes TRANSPARENCY_ORIGIN, TRANSPARENCY_CHECKPOINT_EVENTS and TRANSPARENCY_CHECKPOINT_SECONDS', () => {
    expect(loadConfig({ TRANSPARENCY_ORIGIN: 'registry.example.vn/log', TRANSPARENCY_CHECKPOINT_EVENTS: '50', TRANSPARENCY_CHECKPOINT_SECONDS: '2' })).toMatchObject({
      transparencyOrigin: 'registry.example.vn/log',
      transparencyCheckpointEvents: 50,
      transparencyCheckpointSeconds: 2,
    });
  });

  it('stops on an origin that cannot name a note key, or a period that is not a positive integer', () => {
    expect(() => loadConfig({ TRANSPARENCY_ORIGIN: 'a+b' })).toThrow('TRANSPARENCY_ORIGIN');
    expect(() => loadConfig({ TRANSPARENCY_ORIGIN: 'my log' })).toThrow('TRANSPARENCY_ORIGIN');
    expect(() => loadConfig({ TRANSPARENCY_CHECKPOINT_EVENTS: '0' })).toThrow('TRANSPARENCY_CHECKPOINT_EVENTS');
    expect(() => loadConfig({ TRANSPARENCY_CHECKPOINT_SECONDS: '1.5' })).toThrow('TRANSPARENCY_CHECKPOINT_SECONDS');
  });
});
