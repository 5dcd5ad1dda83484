// First: it lets Jest load NestJS (ESM only).
import { apiSpecification, existingOrganization, existingStream, expectResponse, startInProcessApi, type InProcessApi } from './testing/api.test-harness';
import { CommandBus } from '@nestjs/cqrs';
import { OrganizationCommandMessage, PlanCommandMessage } from '@ktt/application';
import { organizationStreamId, planStreamId } from '@ktt/domain';
import { aCooperative, aPlan, aTarget } from '@ktt/testing/builders';

/**
 * One command style (architecture.md, "Writes"): every command route sends its
 * command through the CommandBus to the handler where the use case is, and
 * answers through one `answer()` (status, ETag, body).
 */
describe('command routes go through the CommandBus (in-process)', () => {
  let api: InProcessApi;
  const given = apiSpecification(() => api);
  const admin = { role: 'admin' as const, provinces: [], subject: 'admin-1' };
  let sent: unknown[] = [];

  beforeAll(async () => {
    api = await startInProcessApi();
    api.app.get(CommandBus).subscribe((message) => sent.push(message));
  });
  beforeEach(() => {
    sent = [];
  });
  afterAll(() => api.close());

  it('sends a plan adoption as a PlanCommandMessage with who sent it, and answers 201 with the ETag of the new stream', async () => {
    const id = `test-plan-${Date.now()}`;
    const body = { id, document: '12/KH-UBND', title: 'Kế hoạch', issuer: 'UBND tỉnh Kiên Giang', provinceCode: '91', adoptedOn: '2023-01-10', targets: [aTarget()] };
    await given()
      .when((http) => http.post('/api/plans').set(api.auth(admin)).send(body))
      .then(expectResponse(201, { id, version: 0 }), ({ response }) => expect(response.headers.etag).toBe('"0"'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(PlanCommandMessage);
    expect(sent[0]).toMatchObject({ command: { type: 'AdoptPlan', planId: id }, context: { principal: { subject: 'admin-1' } } });
  });

  it('sends a plan amendment through the bus too, answered 200', async () => {
    const plan = aPlan({ provinceCode: '91' });
    await given(existingStream(planStreamId(plan.id), plan.events))
      .when((http) => http.post(`/api/plans/${plan.id}/amendments`).set(api.auth(admin)).send({ effectiveOn: '2024-01-01', reason: 'Điều chỉnh chỉ tiêu', targets: [aTarget()] }))
      .then(expectResponse(200, { id: plan.id, version: 1 }), ({ response }) => expect(response.headers.etag).toBe('"1"'));
    expect(sent.map((message) => (message as PlanCommandMessage).command.type)).toEqual(['AmendPlan']);
  });

  it('sends a correction by the retracted event id alone; the handler finds its place in the stream', async () => {
    const cooperative = aCooperative({ effectiveOn: '2020-01-01' }).rated('weak', 2021, '2021-12-15');
    const streamId = organizationStreamId(cooperative.id);
    // The client knows the rating by its event id (from the history); the id is given when the stream is appended.
    let retractedEventId = '';
    await given(existingOrganization(cooperative))
      .when((http) => http.get(`/api/organizations/${cooperative.id}/events`).set(api.auth(admin)))
      .then(({ response }) => {
        retractedEventId = (response.body as { eventId: string }[])[1].eventId;
      });
    await given()
      .when((http) => http.post(`/api/organizations/${cooperative.id}/corrections`).set(api.auth(admin)).send({ eventId: retractedEventId, reason: 'nhập nhầm' }))
      .then(expectResponse(200, { id: cooperative.id, version: 2 }));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(OrganizationCommandMessage);
    expect((sent[0] as OrganizationCommandMessage).command).toEqual({ type: 'CorrectRecord', organizationId: cooperative.id, retractedEventId, reason: 'nhập nhầm' });
    const [, , correction] = await api.runtime.eventStore.readStream(streamId);
    expect({ type: correction.type, data: correction.data }).toEqual({
      type: 'RecordCorrected',
      data: { organizationId: cooperative.id, effectiveOn: '2021-12-15', retractedRevision: 1, retractedEventId, retractedType: 'OrganizationRated', reason: 'nhập nhầm', replacement: null },
    });
  });
});
