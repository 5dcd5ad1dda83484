/**
 * A small line plot written as SVG text by the bench itself (no plotting
 * dependency): panels stacked over one shared x axis, each with its own y axis
 * and any number of named series. Enough for the soak's p99 and RSS over time;
 * the file opens in any browser and renders on GitHub.
 */
export interface PlotSeries {
  name: string;
  /** [x, y] pairs, x ascending; y null leaves a gap. */
  points: [number, number | null][];
  /** Drawn dashed (e.g. a limit). */
  dashed?: boolean;
}

export interface PlotPanel {
  title: string;
  yLabel: string;
  series: PlotSeries[];
  /** Lowest y of the axis (default 0). */
  yMin?: number;
  /** The axis reaches at least this high (e.g. above a limit drawn as a series). */
  yMaxAtLeast?: number;
}

export interface Plot {
  title: string;
  subtitle?: string;
  xLabel: string;
  panels: PlotPanel[];
  width?: number;
  panelHeight?: number;
}

// Colour-blind-safe palette (Okabe–Ito).
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const MARGIN = { left: 64, right: 190, top: 28, bottom: 30 };

export function svgPlot(plot: Plot): string {
  const width = plot.width ?? 900;
  const panelHeight = plot.panelHeight ?? 220;
  const header = plot.subtitle ? 52 : 36;
  const height = header + plot.panels.length * (panelHeight + MARGIN.top + MARGIN.bottom) + 10;
  const xs = plot.panels.flatMap((panel) => panel.series.flatMap((s) => s.points.map(([x]) => x)));
  const xMin = Math.min(0, ...xs);
  const xMax = niceCeiling(Math.max(1, ...xs));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escape(plot.title)}</text>`,
  ];
  if (plot.subtitle) out.push(`<text x="${width / 2}" y="36" text-anchor="middle" fill="#444">${escape(plot.subtitle)}</text>`);
  plot.panels.forEach((panel, index) => {
    const top = header + index * (panelHeight + MARGIN.top + MARGIN.bottom) + MARGIN.top;
    const left = MARGIN.left;
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const ys = panel.series.flatMap((s) => s.points.map(([, y]) => y).filter((y): y is number => y !== null && Number.isFinite(y)));
    const yMin = panel.yMin ?? 0;
    const yMax = niceCeiling(Math.max(yMin + 1e-9, panel.yMaxAtLeast ?? 0, ...ys));
    const sx = (x: number) => left + ((x - xMin) / (xMax - xMin)) * plotWidth;
    const sy = (y: number) => top + panelHeight - ((y - yMin) / (yMax - yMin)) * panelHeight;
    out.push(`<text x="${left}" y="${top - 8}" font-weight="bold">${escape(panel.title)}</text>`);
    // Grid and y ticks.
    for (let i = 0; i <= 4; i++) {
      const y = yMin + ((yMax - yMin) * i) / 4;
      out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${f(sy(y))}" y2="${f(sy(y))}" stroke="#e4e4e4"/>`);
      out.push(`<text x="${left - 6}" y="${f(sy(y) + 4)}" text-anchor="end">${tick(y)}</text>`);
    }
    for (let i = 0; i <= 10; i++) {
      const x = xMin + ((xMax - xMin) * i) / 10;
      out.push(`<line x1="${f(sx(x))}" x2="${f(sx(x))}" y1="${top + panelHeight}" y2="${top + panelHeight + 4}" stroke="#888"/>`);
      out.push(`<text x="${f(sx(x))}" y="${top + panelHeight + 16}" text-anchor="middle">${tick(x)}</text>`);
    }
    out.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${panelHeight}" fill="none" stroke="#888"/>`);
    out.push(
      `<text transform="translate(${left - 48} ${top + panelHeight / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>`,
    );
    if (index === plot.panels.length - 1) {
      out.push(`<text x="${left + plotWidth / 2}" y="${top + panelHeight + 28}" text-anchor="middle">${escape(plot.xLabel)}</text>`);
    }
    panel.series.forEach((series, n) => {
      const colour = COLOURS[n % COLOURS.length];
      const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
      for (const run of runs(series.points)) {
        const d = run.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${f(sx(x))},${f(sy(y))}`).join(' ');
        out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"${dash}/>`);
        if (run.length === 1) out.push(`<circle cx="${f(sx(run[0][0]))}" cy="${f(sy(run[0][1]))}" r="2.5" fill="${colour}"/>`);
      }
      const ly = top + 6 + n * 16;
      out.push(`<line x1="${left + plotWidth + 12}" x2="${left + plotWidth + 32}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`);
      out.push(`<text x="${left + plotWidth + 36}" y="${ly + 4}">${escape(series.name)}</text>`);
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Unbroken stretches of a series (a null y ends one). */
function runs(points: [number, number | null][]): [number, number][][] {
  const result: [number, number][][] = [];
  let current: [number, number][] = [];
  for (const [x, y] of points) {
    if (y === null || !Number.isFinite(y)) {
      if (current.length) result.push(current);
      current = [];
    } else current.push([x, y]);
  }
  if (current.length) result.push(current);
  return result;
}

/** 1, 2, 2.5 or 5 times a power of ten, at or above `value`: round axis ends. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function tick(value: number): string {
  return Number.isInteger(value) ? value.toString() : value.toFixed(Math.abs(value) < 1 ? 2 : 1);
}

function f(value: number): string {
  return value.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
