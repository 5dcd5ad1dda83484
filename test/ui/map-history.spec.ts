import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AdministrativeMap, administrativeMapFromReference, type AdministrativeUnitsReference } from '@ktt/domain';
import { discoverMap, formedOn, isFormerTerritory, type MapHistory } from '../../apps/admin-ui/src/api/map-history';
import type { HistoryEntry, Province } from '../../apps/admin-ui/src/api/types';
import { provincePeriods } from '../../apps/admin-ui/src/pages/organizations/province-periods';

/**
 * The admin UI's reading of the map of provinces, as pure functions: it rebuilds the map from the
 * lists GET /api/provinces?asOf= answers (here: the lists the domain's map of the reference data
 * gives, as the server folds them), and derives an organization's provinces over time from its events.
 */
const reference = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'data', 'reference', 'administrative-units-2025.json'), 'utf8')) as AdministrativeUnitsReference;

/** What GET /api/provinces?asOf= answers for a map, counting the dates asked. */
function listsOf(map: AdministrativeMap) {
  const asked: string[] = [];
  const read = async (date: string): Promise<Province[]> => {
    asked.push(date);
    return map.provincesInForce(date).map((p) => ({ ...p, provinceCode: p.code }));
  };
  return { read, asked };
}

describe('the admin UI rebuilding the map from the provinces lists', () => {
  it('finds the 2025 merger with a handful of lists and answers as the server’s map does', async () => {
    const server = administrativeMapFromReference(reference);
    const { read, asked } = listsOf(server);
    const history = await discoverMap(read, '2026-12-07');
    expect(history.changes).toEqual(['2025-07-01']);
    expect(new Set(asked).size).toBeLessThanOrEqual(5);
    for (const [code, date] of [['91', '2023-10-20'], ['91', '2026-01-01'], ['15', '2026-01-01'], ['89', '2024-01-01'], ['01', '2026-01-01']] as const) {
      expect({ code, date, units: history.map.unitsOf(code, date) }).toEqual({ code, date, units: server.unitsOf(code, date) });
    }
    expect(formedOn(history, '91', '2026-01-01')).toEqual({
      on: '2025-07-01',
      predecessors: [
        { code: '89', name: 'An Giang' },
        { code: '91', name: 'Kiên Giang' },
      ],
    });
    expect(formedOn(history, '91', '2025-06-30')).toBeNull();
    expect(isFormerTerritory(history, '91', '2023-10-20', '2026-01-01')).toBe(true);
    expect(isFormerTerritory(history, '91', '2023-10-20', '2025-06-30')).toBe(false);
  });

  it('finds a later reorganization on a date of its own by bisection', async () => {
    const later = new AdministrativeMap(reference.before, [
      { effectiveOn: reference.effectiveDate, provinces: reference.after },
      { effectiveOn: '2027-03-15', provinces: [{ code: '91', name: 'An Giang', predecessors: ['91', '96'] }] },
    ]);
    const { read } = listsOf(later);
    const history = await discoverMap(read, '2030-01-01');
    expect(history.changes).toEqual(['2025-07-01', '2027-03-15']);
    expect(history.map.unitsOf('91', '2027-03-15')).toEqual(later.unitsOf('91', '2027-03-15'));
    expect(formedOn(history, '91', '2028-01-01')?.on).toBe('2027-03-15');
  });
});

describe("an organization's provinces over time", () => {
  let history: MapHistory;
  beforeAll(async () => {
    history = await discoverMap(listsOf(administrativeMapFromReference(reference)).read, '2026-12-07');
  });

  let revision = 0;
  const event = (type: string, effectiveOn: string, data: Record<string, unknown>, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
    revision: revision++,
    type,
    data: { effectiveOn, ...data },
    effectiveOn,
    recordedAt: '2026-12-01T00:00:00.000Z',
    recordedBy: 'spec',
    eventId: `event-${revision}`,
    hash: '',
    previousHash: null,
    schemaVersion: 1,
    correlationId: '',
    position: '',
    ...extra,
  });
  const periods = (events: HistoryEntry[]) => provincePeriods(events, history, '2026-12-07').map((p) => `${p.kind} ${p.date} ${p.name} (${p.code})${p.merged ? ` unit ${p.unit}` : ''}`);

  it('follows a Kiên Giang cooperative into An Giang on 1 July 2025 without an event of its own', () => {
    expect(periods([event('OrganizationRegistered', '2021-03-15', { provinceCode: '91' })])).toEqual([
      'registered 2021-03-15 Kiên Giang (91)',
      'reorganized 2025-07-01 An Giang (91) unit 91',
    ]);
  });

  it('reads a record of an ended code dated after the merger (the first demo’s) as its successor with that former province', () => {
    expect(periods([event('OrganizationRegistered', '2025-08-01', { provinceCode: '89' })])).toEqual(['registered 2025-08-01 An Giang (91) unit 89']);
  });

  it('lists relocations, leaves out a retracted one, and takes a correction’s replacement', () => {
    const registered = event('OrganizationRegistered', '2020-05-10', { provinceCode: '89' });
    const retracted = event('OrganizationRelocated', '2024-02-01', { provinceCode: '15', formerProvinceCode: null }, { correctedBy: 'event-correction' });
    const correction = event('RecordCorrected', '2024-02-01', {
      retractedEventId: retracted.eventId,
      replacement: { type: 'OrganizationRelocated', data: { effectiveOn: '2024-03-01', provinceCode: '10', formerProvinceCode: null } },
    });
    const moved = event('OrganizationRelocated', '2026-02-01', { provinceCode: '91', formerProvinceCode: '91' });
    expect(periods([registered, retracted, correction, moved])).toEqual([
      'registered 2020-05-10 An Giang (89)',
      'relocated 2024-03-01 Lào Cai (10)',
      'reorganized 2025-07-01 Lào Cai (15) unit 10',
      'relocated 2026-02-01 An Giang (91) unit 91',
    ]);
  });

  it('keeps, of two seats on one day, the one recorded later', () => {
    const registered = event('OrganizationRegistered', '2020-05-10', { provinceCode: '89' });
    const first = event('OrganizationRelocated', '2026-02-01', { provinceCode: '91', formerProvinceCode: '91' });
    const second = event('OrganizationRelocated', '2026-02-01', { provinceCode: '15', formerProvinceCode: '15' });
    expect(periods([registered, first, second]).slice(-1)).toEqual(['relocated 2026-02-01 Lào Cai (15) unit 15']);
    expect(periods([registered, first, second])).toHaveLength(3);
  });
});
