import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TokenService } from '@ktt/auth';
import { AuthGuard } from './auth/auth.guard';
import { TokenThrottlerGuard } from './auth/token-throttler.guard';
import type { Logger } from 'pino';
import { AdministrativeUnits, firstMapOf, OrganizationHistoryQueries, readAdministrativeUnitsReference, TokenRevocations } from '@ktt/application';
import type { Runtime } from '@ktt/platform/runtime';
import { AuditQueries, FlowsQueries, loadPopulationFigures, NationalQueries, OrganizationQueries, PlanQueries, Populations, ProgressQueries, ReadYourWrites, type Projector } from '@ktt/read-models';
import path from 'node:path';
import { commandHandlers } from './command-handlers';
import { ReadConsistency } from './http/read-consistency';
import { ProgressController } from './provinces/progress.controller';
import { ProblemFilter } from './http/problem.filter';
import { OrganizationCommandsController } from './organizations/organization-commands.controller';
import { OrganizationQueriesController } from './organizations/organization-queries.controller';
import { PlansController } from './plans/plans.controller';
import { AuditEventsController } from './audit/audit-events.controller';
import { HealthController } from './operations/health.controller';
import { HttpMetricsMiddleware, MetricsController } from './operations/metrics';
import { registerQuarantineMetrics } from './operations/quarantine-metrics';
import { EVENT_STORE, LOGGER, METRICS_TOKEN, PG_POOL, PROJECTOR } from './tokens';
import { VerifyController } from './audit/verify.controller';
import { MeController } from './session/me.controller';
import { ProvincesController } from './provinces/provinces.controller';
import { ReorganizationsController } from './administrative-units/reorganizations.controller';
import { FlowsController } from './provinces/flows.controller';
import { NationalController } from './provinces/national.controller';
import { ImportsController } from './imports/imports.controller';
import { OrganizationsExportController } from './exports/organizations-export.controller';
import { ProgressExportController } from './exports/progress-export.controller';
import { TemplateController } from './exports/template.controller';
import { openCheckpointStore, CheckpointStore } from '@ktt/transparency';
import { TransparencyCheckpointsController } from './transparency/transparency-checkpoints.controller';
import { TransparencyProofsController } from './transparency/transparency-proofs.controller';
import { ExtractController } from './transparency/extract.controller';

/** Wiring only: the behaviour lives in libs/ (architecture.md, "Shape"). */
@Module({})
export class ApiModule implements NestModule {
  static register(runtime: Runtime, logger: Logger, projector: Projector | null, tokens: TokenService): DynamicModule {
    const rateLimit = runtime.config.rateLimitPerMinute;
    // Unset: /metrics is not served at all (api.md, "Operations").
    const metricsToken = runtime.config.metricsToken;
    return {
      module: ApiModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: Math.max(rateLimit, 1) }]),
      ],
      // The exports first: GET /api/organizations/export must not be taken for GET /api/organizations/:id.
      controllers: [ImportsController, OrganizationsExportController, ProgressExportController, TemplateController, ExtractController, OrganizationCommandsController, OrganizationQueriesController, PlansController, ProgressController, AuditEventsController, HealthController, ...(metricsToken ? [MetricsController] : []), VerifyController, MeController, ProvincesController, ReorganizationsController, FlowsController, NationalController, TransparencyCheckpointsController, TransparencyProofsController],
      providers: [
        // Guards run in this order: who is it (401/403), then how often (429).
        { provide: TokenService, useValue: tokens },
        { provide: TokenRevocations, useValue: new TokenRevocations(runtime.eventStore) },
        ...(metricsToken ? [{ provide: METRICS_TOKEN, useValue: metricsToken }] : []),
        { provide: APP_GUARD, useClass: AuthGuard },
        ...(rateLimit > 0 ? [{ provide: APP_GUARD, useClass: TokenThrottlerGuard }] : []),
        { provide: EVENT_STORE, useValue: runtime.eventStore },
        { provide: PG_POOL, useValue: runtime.pool },
        { provide: LOGGER, useValue: logger },
        { provide: PROJECTOR, useValue: projector },
        // The map as recorded, read on each use (the UNKNOWN_PROVINCE checks, GET /api/provinces): a
        // reorganization recorded later, by this process or another, counts without a restart.
        { provide: AdministrativeUnits, useValue: new AdministrativeUnits(runtime.eventStore, firstMapOf(readAdministrativeUnitsReference(runtime.dataDir))) },
        // Commands go through the CommandBus to their handlers; queries are plain injected services.
        ...commandHandlers(runtime),
        { provide: OrganizationHistoryQueries, useValue: new OrganizationHistoryQueries(runtime.eventStore) },
        // Queries hold no connection: each is given the generation its request resolved (ReadConsistency.prepare).
        { provide: OrganizationQueries, useValue: new OrganizationQueries() },
        { provide: PlanQueries, useValue: new PlanQueries() },
        { provide: AuditQueries, useValue: new AuditQueries() },
        // Population per unit and year with its sources (data/reference/province-population-figures.json): population_share.
        { provide: Populations, useValue: loadPopulationFigures(path.join(runtime.dataDir, 'reference', 'province-population-figures.json')) },
        { provide: ProgressQueries, inject: [PlanQueries, Populations], useFactory: (plans: PlanQueries, populations: Populations) => new ProgressQueries(plans, populations) },
        { provide: FlowsQueries, useValue: new FlowsQueries() },
        { provide: NationalQueries, inject: [Populations], useFactory: (populations: Populations) => new NationalQueries(populations) },
        { provide: ReadYourWrites, useValue: new ReadYourWrites(runtime.pool, runtime.eventStore) },
        // The signed checkpoints; the key is read (or generated, first start) before the api listens.
        { provide: CheckpointStore, useFactory: () => openCheckpointStore(runtime.pool, runtime.config, logger) },
        { provide: 'QUARANTINE_METRICS', useFactory: () => registerQuarantineMetrics(runtime.pool) },
        ReadConsistency,
        { provide: APP_FILTER, useValue: new ProblemFilter(logger) },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
