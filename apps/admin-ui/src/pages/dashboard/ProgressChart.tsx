import { useEffect, useId, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { apiPath } from '../../api/paths';
import { addDays, type MapHistory } from '../../api/administrative-map';
import type { MetricName, PlanState, SeriesPoint, TargetProgress } from '../../api/types';
import { useQuery } from '../../api/use-query';
import { ProblemMessage } from '../../components/ProblemMessage';
import { formatDate, isShareMetric } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/i18n';
import { useApi } from '../../session/session';
import { messages } from './messages';
import { aimOf, ALL_METRICS, dateTime, expectedAt, formatDistinct, formatValue } from './progress-math';
import { describeAim } from './TargetCard';

const ACTUAL_COLOUR = '#0b5394';
const PATH_COLOURS = ['#b3261e', '#6a3d9a', '#1d6b2f'];
const PATH_DASHES = ['8 4', '3 3', '12 4 3 4'];
const GUIDE_COLOUR = '#4a5360';
const FIXED_COLOUR = '#b45f06';
const REORGANIZED_COLOUR = '#b3261e';

interface PathLine {
  key: string;
  target: TargetProgress;
  adoptedOn: string;
  aim: number;
}

interface Row {
  time: number;
  date: string;
  actual?: number | null;
  fixed?: number | null;
  [path: string]: number | string | null | undefined;
}

/**
 * The chosen metric month by month (GET …/progress/series, step=month) from a
 * few years before the plan to the asOf date, and for each target on that
 * metric the straight path from its baseline on the plan's adoption date to
 * its aim on the deadline (dashed). A caption says in words whether the
 * province is ahead of or behind each path; a table holds the same numbers.
 *
 * Each point is counted on the map of its own date (api.md), so the line of a
 * merged province steps up on the merger's date: a red line marks it, and a
 * second, comparable line on fixed boundaries (`boundariesOn`, the territory
 * of the as-of date) can be added. Months when the code was not in force
 * (`inForce: false`) are gaps.
 */
export function ProgressChart(props: {
  provinceCode: string;
  asOf: string;
  knownAt: string;
  /** The dashboard's fixed boundaries, if any: every point is then counted on them. */
  boundariesOn: string | null;
  targets: TargetProgress[];
  plans: PlanState[];
  history: MapHistory | null;
}) {
  const t = useT(messages);
  const { locale } = useLocale();
  const api = useApi();
  const selectId = useId();
  const captionId = useId();
  const tableId = useId();
  const [showTable, setShowTable] = useState(false);
  const [fixedShown, setFixedShown] = useState(false);
  const fixedId = useId();
  const narrow = useNarrow();

  const targetMetrics = useMemo(() => [...new Set(props.targets.map((target) => target.metric))], [props.targets]);
  const [chosen, setChosen] = useState<MetricName | null>(null);
  const metric: MetricName = chosen ?? targetMetrics[0] ?? 'cooperatives';
  const otherMetrics = ALL_METRICS.filter((name) => !targetMetrics.includes(name));

  const paths: PathLine[] = useMemo(
    () =>
      props.targets
        .filter((target) => target.metric === metric)
        .sort((a, b) => a.deadline.localeCompare(b.deadline))
        .flatMap((target, index) => {
          const adopted = props.plans.find((plan) => plan.id === target.planId)?.adoptedOn;
          return adopted ? [{ key: `path${index}`, target, adoptedOn: adopted, aim: aimOf(target) }] : [];
        }),
    [props.targets, props.plans, metric],
  );
  const adoptionDates = [...new Set(paths.map((path) => path.adoptedOn))];

  // From a few years before the earliest plan (the trend before it), to the date asked.
  const earliestAdoption = props.plans.map((plan) => plan.adoptedOn).sort()[0];
  const fromYear = Math.min(Number((earliestAdoption ?? props.asOf).slice(0, 4)) - 7, Number(props.asOf.slice(0, 4)) - 1);
  const from = `${fromYear}-01-01`;
  const series = useQuery(
    () =>
      api.get<SeriesPoint[]>(apiPath`/api/provinces/${props.provinceCode}/progress/series`, {
        from,
        to: props.asOf,
        step: 'month',
        knownAt: props.knownAt || undefined,
        boundariesOn: props.boundariesOn ?? undefined,
      }),
    [api, props.provinceCode, from, props.asOf, props.knownAt, props.boundariesOn],
  );
  // The dates in the chart's range on which this code's territory changed (the 2025 merger for 91 and 15).
  const steps = props.boundariesOn || !props.history ? [] : territoryChanges(props.history, props.provinceCode, from, props.asOf);
  // The comparable line: every point on the boundaries of the as-of date (asked only when shown).
  const fixedBoundaries = props.asOf;
  const fixedSeries = useQuery(
    () =>
      fixedShown && !props.boundariesOn
        ? api.get<SeriesPoint[]>(apiPath`/api/provinces/${props.provinceCode}/progress/series`, {
            from,
            to: props.asOf,
            step: 'month',
            knownAt: props.knownAt || undefined,
            boundariesOn: fixedBoundaries,
          })
        : Promise.resolve(undefined),
    [api, props.provinceCode, from, props.asOf, props.knownAt, props.boundariesOn, fixedShown],
  );
  const fixed = fixedShown && !props.boundariesOn ? fixedSeries.data : undefined;

  const lastDate = [props.asOf, ...paths.map((path) => path.target.deadline)].sort().at(-1)!;
  const rows = useMemo(() => buildRows(series.data ?? [], metric, paths, fixed), [series.data, metric, paths, fixed]);
  const format = (value: number | null | undefined) => formatValue(metric, value, locale);
  const metricName = t(`metric.${metric}`);

  const points = (series.data ?? []).filter((point) => point.inForce !== false && point.metrics[metric] !== undefined);
  const someNotInForce = (series.data ?? []).some((point) => point.inForce === false);
  const first = points.find((point) => point.metrics[metric] !== null);
  const last = points.at(-1);
  const captionParts: string[] = [];
  if (first && last) {
    captionParts.push(
      t('chart.caption.series', {
        metric: metricName,
        firstDate: formatDate(first.asOf),
        first: format(first.metrics[metric]),
        lastDate: formatDate(last.asOf),
        last: format(last.metrics[metric]),
      }),
    );
  }
  for (const path of paths) {
    const { target } = path;
    captionParts.push(
      t('chart.caption.target', {
        aim: describeAim(target, t, locale),
        deadline: formatDate(target.deadline),
        asOf: formatDate(props.asOf),
        actual: formatDistinct(metric, target.actual, [target.expected], locale),
        baseline: format(target.baseline),
        adoptedOn: formatDate(path.adoptedOn),
        expected: formatDistinct(metric, target.expected, [target.actual], locale),
        // The server's status (domain.md, "Status"), never recomputed here.
        verdict: t(`chart.verdict.${target.status}`),
      }),
    );
  }
  if ((series.data ?? []).some((point) => point.future === true)) captionParts.push(t('chart.caption.future'));
  if (paths.length === 0 && first && last) captionParts.splice(0, 1, t('chart.caption.noTarget', {
    metric: metricName,
    first: format(first.metrics[metric]),
    firstDate: formatDate(first.asOf),
    last: format(last.metrics[metric]),
    lastDate: formatDate(last.asOf),
  }));

  const startTime = dateTime(from);
  const endTime = dateTime(lastDate);
  const ticks: number[] = [];
  for (let year = fromYear; year <= Number(lastDate.slice(0, 4)) + 1; year++) {
    const time = Date.UTC(year, 0, 1);
    if (time >= startTime && time <= endTime) ticks.push(time);
  }
  const share = isShareMetric(metric);
  // The labels point away from each other: the adoption's to the left of its line, the asOf's to the right (left at the chart's end).
  const asOfLabelLeft = endTime - dateTime(props.asOf) < (endTime - startTime) * 0.12;
  const planIds = new Set(paths.map((path) => path.target.planId));
  const planTitle = (planId: string) => props.plans.find((plan) => plan.id === planId)?.title ?? describeAim(paths[0].target, t, locale);
  const pathName = (path: PathLine) =>
    t('chart.path', { deadline: formatDate(path.target.deadline), plan: planIds.size > 1 ? planTitle(path.target.planId) : describeAim(path.target, t, locale) });

  return (
    <section className="card dashboard-chart" aria-labelledby={`${selectId}-heading`}>
      <h2 id={`${selectId}-heading`}>{t('chart.heading')}</h2>
      <div className="field dashboard-chart-select">
        <label htmlFor={selectId}>{t('chart.metric')}</label>
        <select id={selectId} value={metric} onChange={(event) => setChosen(event.target.value as MetricName)}>
          {targetMetrics.length ? (
            <optgroup label={t('chart.targets')}>
              {targetMetrics.map((name) => (
                <option key={name} value={name}>
                  {t(`metric.${name}`)}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label={t('chart.otherMetrics')}>
            {otherMetrics.map((name) => (
              <option key={name} value={name}>
                {t(`metric.${name}`)}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      {props.boundariesOn ? null : (
        <div className="field checkbox dashboard-fixed">
          <input id={fixedId} type="checkbox" checked={fixedShown} onChange={(event) => setFixedShown(event.target.checked)} aria-describedby={`${fixedId}-hint`} />
          <label htmlFor={fixedId}>{t('chart.fixed', { date: formatDate(fixedBoundaries) })}</label>
          <p className="hint" id={`${fixedId}-hint`}>
            {t('chart.fixed.hint', { date: formatDate(fixedBoundaries) })}
          </p>
        </div>
      )}
      <ProblemMessage error={series.error} />
      <ProblemMessage error={fixedSeries.error} />
      <figure className="dashboard-figure" data-testid="progress-chart" aria-busy={series.loading} aria-describedby={captionId}>
        <div className="dashboard-chart-box" aria-hidden={rows.length === 0 ? true : undefined}>
          {rows.length ? (
            <ResponsiveContainer width="100%" height="100%">
              <LineChart
                data={rows}
                margin={{ top: 16, right: 16, bottom: 8, left: 8 }}
                accessibilityLayer
                title={t('chart.svgTitle', { metric: metricName })}
                desc={captionParts.join(' ')}
              >
                <CartesianGrid stroke="#dde3e9" />
                <XAxis
                  dataKey="time"
                  type="number"
                  scale="time"
                  domain={[startTime, endTime]}
                  ticks={ticks}
                  minTickGap={16}
                  tickFormatter={(time: number) => new Date(time).getUTCFullYear().toString()}
                  stroke={GUIDE_COLOUR}
                />
                <YAxis
                  width={share ? 48 : 64}
                  allowDecimals={share}
                  domain={share ? [0, (max: number) => Math.min(1, Math.max(max, 0.1))] : [0, 'auto']}
                  tickFormatter={(value: number) => (share ? `${Math.round(value * 100)}%` : format(value))}
                  stroke={GUIDE_COLOUR}
                />
                <Tooltip
                  labelFormatter={(time) => formatDate(new Date(Number(time)).toISOString())}
                  formatter={(value) => format(typeof value === 'number' ? value : null)}
                />
                <Legend itemSorter={null} />
                {adoptionDates.map((date) => (
                  <ReferenceLine
                    key={`adopted-${date}`}
                    x={dateTime(date)}
                    stroke={GUIDE_COLOUR}
                    strokeDasharray="2 4"
                    label={narrow ? undefined : { value: t('chart.adoptedLine'), position: 'insideTopRight', fill: GUIDE_COLOUR, fontSize: 12 }}
                  />
                ))}
                {steps.map((date) => (
                  <ReferenceLine
                    key={`reorganized-${date}`}
                    x={dateTime(date)}
                    stroke={REORGANIZED_COLOUR}
                    strokeWidth={1.5}
                    label={narrow ? undefined : { value: t('chart.reorganizedLine'), position: 'insideBottomRight', fill: REORGANIZED_COLOUR, fontSize: 12 }}
                  />
                ))}
                <ReferenceLine
                  x={dateTime(props.asOf)}
                  stroke={GUIDE_COLOUR}
                  label={narrow ? undefined : { value: t('chart.asOfLine'), position: asOfLabelLeft ? 'insideTopRight' : 'insideTopLeft', fill: GUIDE_COLOUR, fontSize: 12 }}
                />
                <Line
                  type="linear"
                  dataKey="actual"
                  name={t('chart.actual')}
                  stroke={ACTUAL_COLOUR}
                  strokeWidth={2.5}
                  dot={false}
                  isAnimationActive={false}
                />
                {fixed ? (
                  <Line
                    type="linear"
                    dataKey="fixed"
                    name={t('chart.fixedLine', { date: formatDate(fixedBoundaries) })}
                    stroke={FIXED_COLOUR}
                    strokeWidth={2}
                    strokeDasharray="1 3"
                    dot={false}
                    isAnimationActive={false}
                  />
                ) : null}
                {paths.map((path, index) => (
                  <Line
                    key={path.key}
                    type="linear"
                    dataKey={path.key}
                    name={pathName(path)}
                    stroke={PATH_COLOURS[index % PATH_COLOURS.length]}
                    strokeDasharray={PATH_DASHES[index % PATH_DASHES.length]}
                    strokeWidth={2}
                    dot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          ) : (
            <p className="hint">{series.loading ? t('chart.loading') : t('chart.empty')}</p>
          )}
        </div>
        <p className="hint dashboard-chart-guides">
          {adoptionDates.length ? `${t('chart.guide.adopted', { date: adoptionDates.map((date) => formatDate(date)).join(', ') })} ` : ''}
          {t('chart.guide.asOf', { date: formatDate(props.asOf) })}
          {steps.map((date) => (
            <span key={date} data-testid="chart-reorganized">
              {' '}
              {t('chart.guide.reorganized', { date: formatDate(date) })}
            </span>
          ))}
          {someNotInForce ? ` ${t('chart.notInForce')}` : ''}
        </p>
        <figcaption id={captionId} className="dashboard-caption" aria-live="polite">
          {captionParts.map((part) => (
            <span key={part}>{part} </span>
          ))}
        </figcaption>
      </figure>
      <button type="button" className="secondary" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((shown) => !shown)}>
        {showTable ? t('chart.hideTable') : t('chart.showTable')}
      </button>
      <div id={tableId} hidden={!showTable}>
        {showTable ? (
          <div className="table-wrap dashboard-table-wrap" tabIndex={0} role="region" aria-label={t('chart.table.caption', { metric: metricName })}>
            <table>
              <caption>{t('chart.table.caption', { metric: metricName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('chart.table.date')}</th>
                  <th scope="col">{t('chart.table.actual')}</th>
                  {fixed ? <th scope="col">{t('chart.table.fixed', { date: formatDate(fixedBoundaries) })}</th> : null}
                  {paths.map((path) => (
                    <th scope="col" key={path.key}>
                      {t('chart.table.path', { deadline: formatDate(path.target.deadline) })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.time}>
                    <th scope="row">{formatDate(row.date)}</th>
                    {/* Actual and path in one row differ in words wherever they differ in value (13,96 against 14). */}
                    <td>{row.actual === undefined ? '' : formatDistinct(metric, row.actual, paths.map((path) => row[path.key] as number | undefined), locale)}</td>
                    {fixed ? <td>{row.fixed === undefined ? '' : format(row.fixed)}</td> : null}
                    {paths.map((path) => (
                      <td key={path.key}>{typeof row[path.key] === 'number' ? formatDistinct(metric, row[path.key] as number, [row.actual], locale) : ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  );
}

/**
 * One row per month end of the series, plus the adoption dates and deadlines
 * of the paths (the ends of each dashed line); each path's value at every row
 * on or after its adoption date (the straight line, then the aim).
 */
function buildRows(series: SeriesPoint[], metric: MetricName, paths: PathLine[], fixed?: SeriesPoint[]): Row[] {
  const rows = new Map<string, Row>();
  // A point where the code names no province (inForce: false) is a gap, whatever its metrics say.
  const valueOf = (point: SeriesPoint) => (point.inForce === false ? null : (point.metrics[metric] ?? null));
  for (const point of series) rows.set(point.asOf, { time: dateTime(point.asOf), date: point.asOf, actual: valueOf(point) });
  for (const point of fixed ?? []) {
    const row = rows.get(point.asOf) ?? { time: dateTime(point.asOf), date: point.asOf };
    row.fixed = valueOf(point);
    rows.set(point.asOf, row);
  }
  for (const path of paths) {
    for (const date of [path.adoptedOn, path.target.deadline]) {
      if (!rows.has(date)) rows.set(date, { time: dateTime(date), date });
    }
  }
  const sorted = [...rows.values()].sort((a, b) => a.time - b.time);
  // The server's expected value per point (api.md: `expected` keyed `<planId>/<metric>/<deadline>`), where it
  // answers them: they follow every rule of the line (its baseline date, the flat line, the future). The
  // line then runs on to the aim on the deadline. Else (an older server) the same line computed here.
  const perPoint = series.some((point) => point.expected !== undefined);
  const byDate = new Map(series.map((point) => [point.asOf, point]));
  for (const row of sorted) {
    for (const path of paths) {
      if (row.date > path.target.deadline) continue;
      const key = `${path.target.planId}/${path.target.metric}/${path.target.deadline}`;
      const value = perPoint
        ? row.date === path.target.deadline
          ? path.aim
          : (byDate.get(row.date)?.expected?.[key] ?? null)
        : expectedAt(path.aim, path.target.baseline, path.adoptedOn, path.target.deadline, row.date, path.target.op === 'at_most');
      if (value !== null) row[path.key] = value;
    }
  }
  return sorted;
}

/** Below 640 px the reference lines' labels would overlap: the guide under the chart names them instead. */
function useNarrow(): boolean {
  const query = '(max-width: 640px)';
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setNarrow(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, []);
  return narrow;
}

/** The dates in (from, to] on which the territory `code` names changed (a merger into it, or its end). */
function territoryChanges(history: MapHistory, code: string, from: string, to: string): string[] {
  return history.changes.filter((change) => {
    if (change <= from || change > to) return false;
    const before = history.map.unitsOf(code, addDays(change, -1));
    const after = history.map.unitsOf(code, change);
    return (before ?? []).join() !== (after ?? []).join();
  });
}
