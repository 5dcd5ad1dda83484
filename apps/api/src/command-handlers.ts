import type { Provider } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import {
  AdministrativeUnits,
  AdministrativeUnitsCommandHandler,
  firstMapOf,
  OrganizationCommandHandler,
  OrganizationCommandMessage,
  PlanCommandHandler,
  PlanCommandMessage,
  readAdministrativeUnitsReference,
  ReorganizeProvincesMessage,
} from '@ktt/application';
import type { Runtime } from '@ktt/platform/runtime';
import { refuseIfQuarantined } from '@ktt/read-models';

/*
 * Every command goes through the CommandBus to its handler in libs/application,
 * where the use case is. The handlers are declared to the bus here, not with
 * the decorator in the library: @nestjs/cqrs 12 is ESM only, and the cli and
 * jest load libs/application as CommonJS.
 */
CommandHandler(OrganizationCommandMessage)(OrganizationCommandHandler);
CommandHandler(PlanCommandMessage)(PlanCommandHandler);
CommandHandler(ReorganizeProvincesMessage)(AdministrativeUnitsCommandHandler);

/** Factories, not values: the bus finds a handler's message by the instance's class only for factory providers. */
export function commandHandlers(runtime: Runtime): Provider[] {
  return [
    {
      provide: OrganizationCommandHandler,
      // The same map as the rest of the api (as recorded, read on each command): seats are judged and tokens read on it.
      inject: [AdministrativeUnits],
      useFactory: (units: AdministrativeUnits) =>
        new OrganizationCommandHandler(runtime.eventStore, (id, authorize) => refuseIfQuarantined(runtime.pool, id, authorize), units),
    },
    { provide: PlanCommandHandler, inject: [AdministrativeUnits], useFactory: (units: AdministrativeUnits) => new PlanCommandHandler(runtime.eventStore, units) },
    {
      provide: AdministrativeUnitsCommandHandler,
      useFactory: () => new AdministrativeUnitsCommandHandler(runtime.eventStore, firstMapOf(readAdministrativeUnitsReference(runtime.dataDir))),
    },
  ];
}
