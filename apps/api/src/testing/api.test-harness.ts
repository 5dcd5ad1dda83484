// First: NestJS below is ESM-only, which Jest loads only with --experimental-vm-modules.
import './require-esm.test-harness';
import { randomBytes, randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import request from 'supertest';
import { envelope, type DomainFact } from '@ktt/application/commands/event-envelope';
import { systemPrincipal, TokenService, type TokenRequest } from '@ktt/auth';
import { ORGANIZATION_EVENT_SCHEMA_VERSIONS, organizationStreamId, PLAN_EVENT_SCHEMA_VERSIONS } from '@ktt/domain';
import { loadConfig } from '@ktt/platform/config/app-config';
import { openRuntime, type Runtime } from '@ktt/platform/runtime';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { ApiModule } from '../api.module';
import { configureHttp } from '../http/configure-http';

/** What supertest's `request(server)` gives: one method per HTTP verb. */
type HttpAgent = ReturnType<typeof request>;

/**
 * A route's behaviour specified in-process, in the style of Emmett's
 * ApiSpecification: given events already in streams, when a request is sent
 * to the Nest app (supertest against its server: no port, no child process),
 * then the answer and the events appended are what the spec says.
 *
 *   const given = apiSpecification(() => api);
 *   await given(existingOrganization(union), existingOrganization(cooperative))
 *     .when((http) => http.post(`/api/organizations/${union.id}/members`).set(api.auth(registrar)).send(body))
 *     .then(expectResponse(200), expectNewEvents(organizationStreamId(union.id), [{ type: 'CooperativeJoinedUnion', data }]));
 *
 * The app is the product's: ApiModule and configureHttp (as main.ts wires
 * them), on a fresh database of the run's embedded PostgreSQL, migrated and
 * used as the application role (libs/testing, createTestDatabase). No
 * projector runs unless asked: a command route needs only the event store.
 *
 * The chain's last object has a `then` method: call `.then(...)` and await
 * what it returns, never await the chain before it.
 */

export interface InProcessApi {
  /** A supertest agent on the app's HTTP server. */
  http(): HttpAgent;
  /** The runtime the app runs on: its event store and pool, to arrange and to inspect. */
  runtime: Runtime;
  /** The Nest app itself: its providers (the CommandBus, say) for a spec to observe. */
  app: NestExpressApplication;
  /** `Authorization: Bearer …` for a token of this role (and provinces), signed with the app's secret. */
  auth(token: TokenRequest): { Authorization: string };
  close(): Promise<void>;
}

/** Starts the API in this process on a fresh database. `env` adds settings (as the process would read them). */
export async function startInProcessApi(env: Record<string, string> = {}): Promise<InProcessApi> {
  const database: TestDatabase = await createTestDatabase('api');
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({
    DATABASE_URL: database.url,
    MIGRATION_DATABASE_URL: database.ownerUrl,
    JWT_SECRET: secret,
    SEED_PLANS: 'false',
    RUN_PROJECTOR: 'false',
    ...env,
  });
  const logger = pino({ level: 'silent' });
  const runtime = await openRuntime(config, logger);
  const tokens = new TokenService(secret);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(runtime, logger, null, tokens), { bodyParser: false, logger: false });
  configureHttp(app, config, logger);
  await app.init();
  return {
    http: () => request(app.getHttpServer()),
    runtime,
    app,
    auth: (token) => ({ Authorization: `Bearer ${tokens.sign(token)}` }),
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
    },
  };
}

/** Events a stream holds before the request. */
export interface ExistingStream {
  streamId: string;
  events: readonly DomainFact[];
}

export const existingStream = (streamId: string, events: readonly DomainFact[]): ExistingStream => ({ streamId, events });

/** An organization built with libs/testing's builders (aCooperative(), aUnion(...)), as its stream. */
export const existingOrganization = (organization: { id: string; events: readonly DomainFact[] }): ExistingStream =>
  existingStream(organizationStreamId(organization.id), organization.events);

/** What an expectation is given after the request: the answer, the app, and the streams as they were given. */
export interface Outcome {
  response: request.Response;
  api: InProcessApi;
  given: readonly ExistingStream[];
}

export type ApiExpectation = (outcome: Outcome) => void | Promise<void>;

/** The answer's status and, if given, its body (matched: the fields named must be there and equal). */
export const expectResponse =
  (status: number, body?: Record<string, unknown>): ApiExpectation =>
  ({ response }) => {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status, ...(body ? { body } : {}) });
  };

/** The events appended to the stream by the request, in order, compared on type and data (exactly). */
export const expectNewEvents =
  (streamId: string, events: readonly DomainFact[]): ApiExpectation =>
  async ({ api, given }) => {
    const before = given.filter((stream) => stream.streamId === streamId).reduce((count, stream) => count + stream.events.length, 0);
    const stored = await api.runtime.eventStore.readStream(streamId);
    expect(stored.slice(before).map(({ type, data }) => ({ type, data }))).toEqual(events);
  };

/** Nothing appended to any of the streams given. */
export const expectNoNewEvents: ApiExpectation = async (outcome) => {
  for (const stream of outcome.given) await expectNewEvents(stream.streamId, [])(outcome);
};

/** `given(...streams).when(request).then(...expectations)` against the app `api()` returns when the spec runs. */
export function apiSpecification(api: () => InProcessApi) {
  return (...streams: ExistingStream[]) => ({
    when: (send: (http: HttpAgent) => request.Test) => ({
      then: async (...expectations: ApiExpectation[]): Promise<void> => {
        const app = api();
        for (const stream of streams) await appendExisting(app, stream);
        const response = await send(app.http());
        for (const expectation of expectations) await expectation({ response, api: app, given: streams });
      },
    }),
  });
}

const SCHEMA_VERSIONS: Record<string, number> = { ...ORGANIZATION_EVENT_SCHEMA_VERSIONS, ...PLAN_EVENT_SCHEMA_VERSIONS };

/** Appends a given stream through the product's one envelope (metadata and hash chain), as a system writer. */
async function appendExisting(api: InProcessApi, stream: ExistingStream): Promise<void> {
  const context = { principal: systemPrincipal('system:spec'), correlationId: randomUUID() };
  const events = envelope(stream.streamId, undefined, [...stream.events], context, SCHEMA_VERSIONS);
  await api.runtime.eventStore.append([{ streamId: stream.streamId, expectedRevision: 'no_stream', events }]);
}
