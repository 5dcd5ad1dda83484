import type { OrganizationKind } from '@ktt/domain';
import type { Draft } from './draft';

// Names (a number added where two drafts of a province share one) and registration numbers.

/** The registration number of the `index`-th organization (from 0, in registration order) of a kind in a province. */
export type RegistrationNumbering = (kind: OrganizationKind, provinceCode: string, index: number) => string;

const DEMO_PREFIXES: Record<OrganizationKind, [string, number]> = { cooperative: ['HTX', 4], cooperative_group: ['THT', 5], union: ['LHHTX', 2] };

/** `HTX-91-0001`, `THT-91-00001`, `LHHTX-91-01`. */
export const DEMO_NUMBERING: RegistrationNumbering = (kind, provinceCode, index) => {
  const [prefix, width] = DEMO_PREFIXES[kind];
  return `${prefix}-${provinceCode}-${String(index + 1).padStart(width, '0')}`;
};

export function assignNamesAndNumbers(drafts: Draft[], provinceCode: string, numbering: RegistrationNumbering): void {
  const taken = new Map<string, number>();
  for (const draft of drafts) {
    const count = (taken.get(draft.baseName) ?? 0) + 1;
    taken.set(draft.baseName, count);
    draft.name = count === 1 ? draft.baseName : `${draft.baseName} ${count}`;
  }
  for (const kind of ['cooperative', 'cooperative_group', 'union'] as const) {
    drafts
      .filter((d) => d.kind === kind)
      .sort((a, b) => (a.registeredOn < b.registeredOn ? -1 : a.registeredOn > b.registeredOn ? 1 : a.key < b.key ? -1 : 1))
      .forEach((draft, index) => {
        draft.registrationNumber = numbering(kind, provinceCode, index);
      });
  }
}
