/**
 * What moved in a territory over a period (domain.md, "Flows"), in the order answers and the admin
 * UI list them: registrations, dissolutions by mode, lifecycle changes, relocations in and out, and
 * the organizations a reorganization brought in or took away.
 */
export const FLOW_NAMES = [
  'registered',
  'dissolvedVoluntary',
  'dissolvedCompulsory',
  'suspended',
  'foundDormant',
  'resumed',
  'relocatedIn',
  'relocatedOut',
  'reorganizedIn',
  'reorganizedOut',
] as const;

export type FlowName = (typeof FLOW_NAMES)[number];
