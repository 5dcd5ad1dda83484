import path from 'node:path';

/** Typed configuration, validated at boot (style.md §12): a bad setting stops the process naming it. */
export interface AppConfig {
  port: number;
  dataDir: string;
  /** External PostgreSQL; null = start the embedded one under `dataDir`. */
  databaseUrl: string | null;
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
  const logLevel = (env.LOG_LEVEL ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);

  const config: AppConfig = {
    port: integer('PORT', 3000, 0, 65535),
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    databaseUrl: url('DATABASE_URL', ['postgres', 'postgresql']),
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
  };
  if (config.jwtSecret !== null && config.jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  for (const origin of config.corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) problems.push(`CORS_ORIGINS must list origins like https://example.org (got "${origin}")`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return config;
}
