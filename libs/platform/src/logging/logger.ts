import pino, { type Logger } from 'pino';
import { type LoggerService } from '@nestjs/common';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'ktt-registry' },
    // Tokens and database passwords never reach the log.
    redact: ['req.headers.authorization', 'password', '*.password', 'databaseUrl', 'migrationDatabaseUrl', 'ownerUrl', 'adminUrl', 'connectionString'],
  });
}

/** Nest's logger interface over pino, so framework messages are structured too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
