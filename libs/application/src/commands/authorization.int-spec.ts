import { randomUUID } from 'node:crypto';
import { ForbiddenError, systemPrincipal, type Principal } from '@ktt/auth';
import type { PostgresEventStore } from '@ktt/event-store';
import type { MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { createEventStoreDatabase } from '@ktt/testing/postgres/event-store-database';
import type { OrganizationCommand } from '@ktt/domain';
import { OrganizationCommandHandler, type OrganizationCommandSent } from '../organizations/organization-command.handler';
import { PlanCommandHandler } from '../plans/plan-command.handler';
import { requestHash } from '../idempotency/idempotency';
import type { CommandContext } from './command-context';

const NOW = new Date('2026-06-30T03:00:00Z');
const registrar = (subject: string, ...provinces: string[]): Principal => ({ subject, role: 'registrar', provinces });
const as = (principal: Principal, idempotencyKey?: string, command?: unknown): CommandContext => ({
  principal,
  correlationId: randomUUID(),
  now: NOW,
  ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: requestHash('POST', '/x', command) } } : {}),
});

/**
 * Authorization in the application: whatever the entry (HTTP, cli,
 * an import), a command is authorized by the principal its context must carry,
 * before anything else — an idempotent replay included. No HTTP guard here.
 */
describe('authorization in the application', () => {
  let database: MigratedDatabase;
  let store: PostgresEventStore;
  let commands: OrganizationCommandHandler;
  const count = async () => (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;

  const registration = (provinceCode: string): OrganizationCommand => ({
    type: 'RegisterOrganization',
    organizationId: randomUUID(),
    kind: 'cooperative',
    name: 'Hợp tác xã Tân Hiệp',
    registrationNumber: `HTX-${randomUUID().slice(0, 8)}`,
    provinceCode,
    sector: 'agriculture',
    registeredOn: '2020-01-01',
    memberCount: 10,
  });

  beforeAll(async () => {
    ({ store } = database = await createEventStoreDatabase('authz_app'));
    commands = new OrganizationCommandHandler(store);
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  it('refuses a registrar outside its provinces and a role without the permission, writing nothing', async () => {
    const kienGiang = registration('91');
    await commands.execute({ command: kienGiang, context: as(registrar('nguyen-van-a', '91')) });
    const before = await count();
    await expect(commands.execute({ command: registration('91'), context: as(registrar('tran-thi-b', '15')) })).rejects.toThrow(ForbiddenError);
    const rating: OrganizationCommand = { type: 'RateOrganization', organizationId: kienGiang.organizationId, rating: 'good', year: 2021, ratedOn: '2021-12-15' };
    await expect(commands.execute({ command: rating, context: as(registrar('tran-thi-b', '15')) })).rejects.toThrow(/may not write for organization .*, seated in province 91 on 2021-12-15/);
    for (const role of ['auditor', 'analyst'] as const) {
      await expect(commands.execute({ command: rating, context: as({ subject: role, role, provinces: [] }) })).rejects.toThrow(ForbiddenError);
    }
    await expect(
      new PlanCommandHandler(store).execute({
        command: { type: 'AdoptPlan', planId: 'p-1', document: '1/KH', title: 'Kế hoạch', issuer: 'UBND', provinceCode: '91', adoptedOn: '2024-01-01', targets: [] } as never,
        context: as(registrar('nguyen-van-a', '91')),
      }),
    ).rejects.toThrow('may not plans write');
    expect(await count()).toBe(before);
  });

  it('lets auditors correct any province (corrections are national) and refuses registrars a correction', async () => {
    const command = registration('15');
    await commands.execute({ command, context: as(systemPrincipal('test')) });
    await commands.execute({ command: { type: 'RateOrganization', organizationId: command.organizationId, rating: 'weak', year: 2021, ratedOn: '2021-12-15' }, context: as(systemPrincipal('test')) });
    const [, rated] = await store.readStream(`organization-${command.organizationId}`);
    const correction: OrganizationCommandSent = { type: 'CorrectRecord', organizationId: command.organizationId, retractedEventId: rated.metadata.eventId, reason: 'nhập nhầm' };
    await expect(commands.execute({ command: correction, context: as(registrar('tran-thi-b', '15')) })).rejects.toThrow(ForbiddenError);
    await expect(commands.execute({ command: correction, context: as({ subject: 'kiem-toan', role: 'auditor', provinces: [] }) })).resolves.toMatchObject({ version: 2 });
  });

  it('authorizes before an idempotent replay: another subject\'s key is another key, and a refused caller never sees the stored answer', async () => {
    const key = `key-${randomUUID()}`;
    const command = registration('91');
    const first = await commands.execute({ command, context: as(registrar('nguyen-van-a', '91'), key, command) });
    const before = await count();
    await expect(commands.execute({ command, context: as(registrar('tran-thi-b', '15'), key, command) })).rejects.toThrow(ForbiddenError);
    // The same subject replays its answer; another subject of 91 with the same key is decided afresh (the id is taken).
    await expect(commands.execute({ command, context: as(registrar('nguyen-van-a', '91'), key, command) })).resolves.toEqual({ ...first, replayed: true });
    await expect(commands.execute({ command, context: as(registrar('le-van-c', '91'), key, command) })).rejects.toMatchObject({ code: 'ID_TAKEN' });
    // A registrar whose token no longer covers 91 gets 403, even replaying its own key.
    await expect(commands.execute({ command, context: as(registrar('nguyen-van-a', '15'), key, command) })).rejects.toThrow(ForbiddenError);
    expect(await count()).toBe(before);
  });
});
