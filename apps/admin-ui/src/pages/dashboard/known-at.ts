import type { PlanState, ProvinceProgress } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { useApi } from '../../session/session';

/**
 * The progress answer as the dashboard reads it. `future` and `coverage` are the issue-16 fields
 * (api.md); they are optional here so that the page also reads an answer without them.
 */
export type ProgressAnswer = ProvinceProgress & {
  future?: boolean;
  coverage?: Partial<Record<string, number | null>>;
};

/** The counts of organizations: all zero means the answer shows no organization at all. */
const COUNTS = ['cooperative_groups', 'cooperatives', 'unions'] as const;

function noOrganization(metrics: Partial<Record<string, number | null>>): boolean {
  return COUNTS.every((metric) => !metrics[metric]);
}

/**
 * Whether, at the `knownAt` asked, nothing had been recorded yet: the province's answer shows no
 * organization, and neither does the whole country as of today as known then (GET
 * /api/national/progress with the same knownAt), and no plan was known then (GET /api/plans). Only
 * then does the dashboard say "nothing had been recorded by then" instead of showing a province that
 * looks empty; an empty province in a country that had records is shown as it is. The two checks are
 * asked only for an answer that looks empty under a knownAt. (A country whose every organization was
 * dissolved before knownAt would also read as "nothing recorded": the audit trail would tell, but
 * only auditors may read it.)
 */
export function useNothingRecorded(progress: ProgressAnswer | undefined, knownAt: string): boolean | 'checking' {
  const api = useApi();
  const suspect = Boolean(knownAt && progress && !progress.future && progress.knownAt && noOrganization(progress.metrics));
  const asked = suspect ? progress!.knownAt! : null;
  const national = useQuery(
    () => (asked ? api.get<{ metrics: Partial<Record<string, number | null>> }>('/api/national/progress', { knownAt: asked }) : Promise.resolve(undefined)),
    [api, asked],
  );
  const plans = useQuery(() => (asked ? api.get<PlanState[]>('/api/plans', { knownAt: asked }) : Promise.resolve(undefined)), [api, asked]);
  if (!suspect || national.error || plans.error) return false;
  // Until both answers are in, the page shows neither zeros nor the notice.
  if (!national.data || !plans.data) return 'checking';
  return noOrganization(national.data.metrics) && plans.data.length === 0;
}
