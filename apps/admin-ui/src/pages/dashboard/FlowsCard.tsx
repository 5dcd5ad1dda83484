import { useId } from 'react';
import { apiPath } from '../../api/paths';
import { FLOW_NAMES } from '@ktt/domain';
import type { FlowCounts, ProvinceFlows } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate, formatNumber } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { messages } from './messages';

const KINDS = ['cooperative_group', 'cooperative', 'union'] as const;
const FLOWS = FLOW_NAMES;

/**
 * What moved in the territory from the first of January of the as-of year to the as-of date (GET
 * /api/provinces/{code}/flows, domain.md "Flows"): registrations, lifecycle changes, relocations in
 * and out, and the organizations a reorganization brought in or took away (on the map of each date;
 * on fixed boundaries those two are 0).
 */
export function FlowsCard(props: { provinceCode: string; asOf: string; knownAt: string; boundariesOn: string | null }) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const headingId = useId();
  const from = `${props.asOf.slice(0, 4)}-01-01`;
  const flows = useQuery(
    () =>
      api.get<ProvinceFlows>(apiPath`/api/provinces/${props.provinceCode}/flows`, {
        from,
        to: props.asOf,
        knownAt: props.knownAt || undefined,
        boundariesOn: props.boundariesOn ?? undefined,
      }),
    [api, props.provinceCode, from, props.asOf, props.knownAt, props.boundariesOn],
  );
  const data = flows.data;
  return (
    <section className="card dashboard-flows" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('flows.heading', { from: formatDate(from), to: formatDate(props.asOf) })}</h2>
      <p className="hint">{props.boundariesOn ? t('flows.hint.fixed', { date: formatDate(props.boundariesOn) }) : t('flows.hint')}</p>
      <ProblemMessage error={flows.error} />
      {data ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table data-testid="flows">
            <thead>
              <tr>
                <th scope="col">{t('flows.what')}</th>
                {KINDS.map((kind) => (
                  <th scope="col" key={kind}>
                    {t(`kind.${kind}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {FLOWS.map((flow) => (
                <tr key={flow} data-testid={`flows-${flow}`}>
                  <th scope="row">{t(`flows.${flow}`)}</th>
                  {KINDS.map((kind) => (
                    <td key={kind}>{formatNumber(data.byKind[kind][flow], locale)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : flows.loading ? (
        <p role="status">{t('state.loading')}</p>
      ) : null}
    </section>
  );
}
