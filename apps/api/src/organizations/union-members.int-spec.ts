import { organizationStreamId } from '@ktt/domain';
import { aCooperative, aUnion } from '@ktt/testing/builders';
import {
  apiSpecification,
  existingOrganization,
  expectNewEvents,
  expectNoNewEvents,
  expectResponse,
  startInProcessApi,
  type InProcessApi,
} from '../testing/api.test-harness';

/**
 * The union membership routes (api.md, "Commands"), specified in-process:
 * given the union's and the cooperatives' streams, when a request is sent,
 * then the answer and the events appended to the union's stream.
 */
describe('POST /api/organizations/:unionId/members and …/members/:cooperativeId/leave (in-process)', () => {
  let api: InProcessApi;
  const given = apiSpecification(() => api);
  const registrarOf91 = { role: 'registrar' as const, provinces: ['91'], subject: 'registrar-91' };

  beforeAll(async () => {
    api = await startInProcessApi();
  });
  afterAll(() => api.close());

  /** A union of three founding cooperatives and a cooperative outside it, all of province 91. */
  function setting() {
    const founders = [aCooperative(), aCooperative(), aCooperative()];
    const union = aUnion(founders, { effectiveOn: '2022-01-01' });
    const outsider = aCooperative({ effectiveOn: '2021-06-01' });
    return { founders, union, outsider };
  }

  it('records a join in the union’s stream and answers its new version', async () => {
    const { union, outsider } = setting();
    await given(existingOrganization(union), existingOrganization(outsider))
      .when((http) =>
        http.post(`/api/organizations/${union.id}/members`).set(api.auth(registrarOf91)).send({ cooperativeId: outsider.id, effectiveOn: '2025-03-01' }),
      )
      .then(
        expectResponse(200, { id: union.id, version: 1 }),
        expectNewEvents(organizationStreamId(union.id), [
          { type: 'CooperativeJoinedUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: outsider.id } },
        ]),
        expectNewEvents(organizationStreamId(outsider.id), []),
      );
  });

  it('records a leave', async () => {
    const { union, founders } = setting();
    await given(existingOrganization(union), existingOrganization(founders[0]))
      .when((http) =>
        http.post(`/api/organizations/${union.id}/members/${founders[0].id}/leave`).set(api.auth(registrarOf91)).send({ effectiveOn: '2025-03-01' }),
      )
      .then(
        expectResponse(200, { id: union.id, version: 1 }),
        expectNewEvents(organizationStreamId(union.id), [
          { type: 'CooperativeLeftUnion', data: { organizationId: union.id, effectiveOn: '2025-03-01', cooperativeId: founders[0].id } },
        ]),
      );
  });

  it('refuses a founder joining again: 409 ALREADY_A_MEMBER, nothing written', async () => {
    const { union, founders } = setting();
    await given(existingOrganization(union), existingOrganization(founders[0]))
      .when((http) =>
        http.post(`/api/organizations/${union.id}/members`).set(api.auth(registrarOf91)).send({ cooperativeId: founders[0].id, effectiveOn: '2025-03-01' }),
      )
      .then(expectResponse(409, { code: 'ALREADY_A_MEMBER' }), expectNoNewEvents);
  });

  it('refuses a registrar of another province: 403, nothing written', async () => {
    const { union, outsider } = setting();
    await given(existingOrganization(union), existingOrganization(outsider))
      .when((http) =>
        http
          .post(`/api/organizations/${union.id}/members`)
          .set(api.auth({ role: 'registrar', provinces: ['01'], subject: 'registrar-01' }))
          .send({ cooperativeId: outsider.id, effectiveOn: '2025-03-01' }),
      )
      .then(expectResponse(403), expectNoNewEvents);
  });

  it('refuses a body without the cooperative, naming the field: 400, nothing written', async () => {
    const { union } = setting();
    await given(existingOrganization(union))
      .when((http) => http.post(`/api/organizations/${union.id}/members`).set(api.auth(registrarOf91)).send({ effectiveOn: '2025-03-01' }))
      .then(expectResponse(400, { errors: [expect.objectContaining({ path: 'cooperativeId' })] }), expectNoNewEvents);
  });
});
