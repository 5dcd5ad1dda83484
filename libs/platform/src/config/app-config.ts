import path from 'node:path';

/** Typed configuration, validated at boot (style.md §12): a bad setting stops the process naming it. */
export interface AppConfig {
  port: number;
  /** Address the api listens on: 127.0.0.1 by default (this machine only); 0.0.0.0 in a container (compose sets it). */
  host: string;
  /** Express `trust proxy`: whether X-Forwarded-For names the client (false by default: the socket's address does). */
  trustProxy: boolean | number | string[];
  /** Failed authentications per minute per client address before 429 RATE_LIMITED; 0 = no limit. */
  authFailureLimitPerMinute: number;
  /** Bearer token of GET /metrics; null = /metrics is not served. */
  metricsToken: string | null;
  dataDir: string;
  /** External PostgreSQL; null = start the embedded one under `dataDir`. */
  databaseUrl: string | null;
  /** External PostgreSQL as the owner role, for migrations (DATABASE_URL is then the application role); null = DATABASE_URL does both. */
  migrationDatabaseUrl: string | null;
  embeddedPostgresPort: number;
  /** Events in EventStoreDB instead of PostgreSQL (read models stay in PostgreSQL). */
  eventStoreConnectionString: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Run the projector inside the api process (the embedded default). */
  runProjector: boolean;
  /** Adopt the plans the project carries (data/plans) on first start. */
  seedPlans: boolean;
  /** Largest accepted request body. */
  bodyLimit: string;
  /** Token signing secret (≥ 32 characters); null = generated into the data directory (embedded default only). */
  jwtSecret: string | null;
  /** Requests per minute per token (per address without one); 0 = no limit. */
  rateLimitPerMinute: number;
  /** Origins allowed by CORS; [] = no cross-origin access. */
  corsOrigins: string[];
  /** Events the projector applies per transaction (with its checkpoint). */
  projectorBatchSize: number;
  /** The verifiable log's name: the first line of every checkpoint and the name of its signing key (c2sp.org/tlog-checkpoint). */
  transparencyOrigin: string;
  /** The checkpoints' signing key (`PRIVATE+KEY+<origin>+…`); null = generated into `<dataDir>/transparency-key` on first start. Never logged. */
  transparencyKey: string | null;
  /** A checkpoint is issued once the log has grown by this many events… */
  transparencyCheckpointEvents: number;
  /** …or this many seconds after the last one, if the log has grown at all. */
  transparencyCheckpointSeconds: number;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const url = (name: string, schemes: string[]): string | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return null;
    const scheme = /^([a-z+]+):\/\//.exec(raw)?.[1];
    if (!scheme || !schemes.includes(scheme)) problems.push(`${name} must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`);
    return raw;
  };
  const host = (raw: string | undefined): string => {
    if (raw === undefined || raw === '') return '127.0.0.1';
    if (!/^[A-Za-z0-9.:-]{1,253}$/.test(raw)) problems.push(`HOST must be an address or host name such as 127.0.0.1 or 0.0.0.0 (got "${raw}")`);
    return raw;
  };
  // Express' own forms: a boolean, a number of proxies in front, or the proxies' addresses / subnets.
  const trustProxy = (raw: string | undefined): AppConfig['trustProxy'] => {
    if (raw === undefined || raw === '' || raw === 'false') return false;
    if (raw === 'true') return true;
    if (/^\d{1,2}$/.test(raw)) return Number(raw);
    const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const entry of entries) {
      if (!/^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d{1,3})?)$/.test(entry)) {
        problems.push(`TRUST_PROXY must be false, true, a number of proxies, or proxy addresses / subnets (got "${entry}")`);
      }
    }
    return entries;
  };
  const logLevel = (env.LOG_LEVEL ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);

  const config: AppConfig = {
    port: integer('PORT', 3000, 0, 65535),
    host: host(env.HOST),
    trustProxy: trustProxy(env.TRUST_PROXY),
    authFailureLimitPerMinute: integer('AUTH_FAILURE_LIMIT_PER_MINUTE', 20, 0, 1_000_000),
    metricsToken: env.METRICS_TOKEN || null,
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    databaseUrl: url('DATABASE_URL', ['postgres', 'postgresql']),
    migrationDatabaseUrl: url('MIGRATION_DATABASE_URL', ['postgres', 'postgresql']),
    embeddedPostgresPort: integer('EMBEDDED_POSTGRES_PORT', 54329, 1, 65535),
    eventStoreConnectionString: url('EVENTSTORE_CONNECTION_STRING', ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover']),
    logLevel,
    runProjector: boolean('RUN_PROJECTOR', true),
    seedPlans: boolean('SEED_PLANS', true),
    bodyLimit: env.BODY_LIMIT || '100kb',
    jwtSecret: env.JWT_SECRET || null,
    rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    projectorBatchSize: integer('PROJECTOR_BATCH_SIZE', 1000, 1, 100_000),
    transparencyOrigin: env.TRANSPARENCY_ORIGIN || 'ktt-registry.local/log',
    transparencyKey: env.TRANSPARENCY_KEY || null,
    transparencyCheckpointEvents: integer('TRANSPARENCY_CHECKPOINT_EVENTS', 1000, 1, 1_000_000),
    transparencyCheckpointSeconds: integer('TRANSPARENCY_CHECKPOINT_SECONDS', 10, 1, 86_400),
  };
  if (config.jwtSecret !== null && config.jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (config.migrationDatabaseUrl !== null && config.databaseUrl === null) problems.push('MIGRATION_DATABASE_URL needs DATABASE_URL (the application role) as well');
  if (config.metricsToken !== null && !/^[\x21-\x7e]{16,200}$/.test(config.metricsToken)) {
    problems.push('METRICS_TOKEN must be 16–200 visible ASCII characters');
  }
  // A note key name (c2sp.org/signed-note): no space, no '+'; a schema-less URL is recommended.
  if (!/^[^\s+\u0000-\u001f\u007f\u0085]{1,255}$/u.test(config.transparencyOrigin)) {
    problems.push(`TRANSPARENCY_ORIGIN must be 1–255 characters without spaces, "+" or control characters, such as registry.example.vn/log (got "${config.transparencyOrigin}")`);
  }
  for (const origin of config.corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS must list origins like https://example.org (got "${origin}")`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}
