// First: NestJS below is ESM-only, which Jest loads only with --experimental-vm-modules.
import '../testing/require-esm.test-harness';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import request from 'supertest';
import { ProblemFilter } from './problem.filter';

/** What pg and Node raise when PostgreSQL goes away (the projector calls these connection errors and waits). */
const LOST: Record<string, () => Error> = {
  crashShutdown: () => Object.assign(new Error('terminating connection because of crash of another server process'), { code: '57P02', severity: 'FATAL' }),
  timedOut: () => Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }),
  brokenPipe: () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
  notQueryable: () => new Error('Client has encountered a connection error and is not queryable'),
  tooManyConnections: () => Object.assign(new Error('sorry, too many clients already'), { code: '53300', severity: 'FATAL' }),
};

@Controller('fail')
class FailingController {
  @Get(':how')
  fail(@Param('how') how: string): never {
    throw LOST[how]();
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

/**
 * A database that cannot be reached is 503 STORAGE_UNAVAILABLE (retry later),
 * never 500: the HTTP layer judges a lost connection as the projector does.
 */
describe('ProblemFilter: a lost database', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(FailingModule, { logger: false });
    app.useGlobalFilters(new ProblemFilter(pino({ level: 'silent' })));
    await app.init();
  });
  afterAll(() => app?.close());

  it.each(Object.keys(LOST))('answers %s with 503 STORAGE_UNAVAILABLE and Retry-After', async (how) => {
    const response = await request(app.getHttpServer()).get(`/fail/${how}`);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(JSON.parse(response.text)).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });
});
