import { memo, useId, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCount, formatPercent } from '../../../lib/format';
import { ADMISSION_TYPE_LABELS, ADMISSION_TYPES, type AdmissionTypeCounts } from '../labels';
import {
  ADMISSION_TYPE_COLOURS,
  admissionTypeFill,
  AXIS_TICK,
  FLOOR_COLOUR,
  GRID_COLOUR,
  NEUTRAL_COLOUR,
  PATTERN_IDS,
} from './chartStyle';

/**
 * Whether two charts' rows hold the same values. The page builds its rows afresh on every render
 * (each of its reads landing is one), and drawing a chart again is the page's costliest work:
 * a chart whose rows did not change keeps its drawing.
 */
function sameRows<Row extends object>(a: readonly Row[], b: readonly Row[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((row, index) => {
    const other = b[index];
    if (other === undefined) return false;
    const keys = Object.keys(row) as (keyof Row)[];
    return (
      keys.length === Object.keys(other).length && keys.every((key) => row[key] === other[key])
    );
  });
}

/** The patterns the charts fill with; rendered once on a page with charts. */
export function ChartPatterns() {
  return (
    <svg className="chart-patterns" aria-hidden="true" focusable="false" width="0" height="0">
      <defs>
        <pattern
          id={PATTERN_IDS.humanitarian_admission}
          patternUnits="userSpaceOnUse"
          width="8"
          height="8"
          patternTransform="rotate(45)"
        >
          <rect width="8" height="8" fill={ADMISSION_TYPE_COLOURS.humanitarian_admission} />
          <rect width="2" height="8" fill="#ffffff" />
        </pattern>
        <pattern
          id={PATTERN_IDS.emergency_admission}
          patternUnits="userSpaceOnUse"
          width="7"
          height="7"
        >
          <rect width="7" height="7" fill={ADMISSION_TYPE_COLOURS.emergency_admission} />
          <circle cx="3.5" cy="3.5" r="1.5" fill="#ffffff" />
        </pattern>
        <pattern id={PATTERN_IDS.resettlement} patternUnits="userSpaceOnUse" width="8" height="8">
          <rect width="8" height="8" fill={ADMISSION_TYPE_COLOURS.resettlement} />
        </pattern>
      </defs>
    </svg>
  );
}

/**
 * A chart as a figure: the caption, the drawing as one image whose name says what it shows (the
 * SVG's parts mean nothing to a screen reader), and the table it draws, folded beneath.
 */
export function ChartFigure({
  caption,
  summary,
  table,
  children,
}: {
  readonly caption: string;
  /** The chart in one or two sentences: what a screen reader says for the drawing. */
  readonly summary: string;
  readonly table: ReactNode;
  readonly children: ReactNode;
}) {
  const captionId = useId();
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart__caption">
        {caption}
      </figcaption>
      <div className="chart__drawing" role="img" aria-label={summary}>
        {children}
      </div>
      <details className="chart__table">
        <summary>Table of this chart</summary>
        {table}
      </details>
    </figure>
  );
}

export interface StackedRow extends AdmissionTypeCounts {
  readonly name: string;
}

/**
 * Bars per row (Member State, region), stacked by admission type: upright columns for short
 * names, or lying bars (`layout="bars"`) when the names are long enough to collide.
 */
export const StackedByTypeChart = memo(
  function StackedByTypeChart({
    rows,
    layout = 'columns',
  }: {
    readonly rows: readonly StackedRow[];
    readonly layout?: 'columns' | 'bars';
  }) {
    const lying = layout === 'bars';
    const countAxis = {
      type: 'number' as const,
      tick: AXIS_TICK,
      tickFormatter: (value: number) => formatCount(value),
    };
    const nameAxis = {
      type: 'category' as const,
      dataKey: 'name',
      tick: AXIS_TICK,
      interval: 0,
    };
    return (
      <ResponsiveContainer width="100%" height={lying ? 90 + rows.length * 44 : 320}>
        <BarChart
          data={[...rows]}
          layout={lying ? 'vertical' : 'horizontal'}
          accessibilityLayer={false}
          margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} />
          {lying ? (
            <>
              <XAxis {...countAxis} />
              <YAxis {...nameAxis} width={240} />
            </>
          ) : (
            <>
              <XAxis {...nameAxis} />
              <YAxis {...countAxis} />
            </>
          )}
          <Tooltip formatter={(value) => formatCount(Number(value))} />
          {/* In the order of Art. 8(3)(a), as every table lists them (Recharts sorts by name). */}
          <Legend
            itemSorter={(item) => ADMISSION_TYPES.findIndex((type) => type === item.dataKey)}
          />
          {ADMISSION_TYPES.map((type) => (
            <Bar
              key={type}
              dataKey={type}
              name={ADMISSION_TYPE_LABELS[type]}
              stackId="types"
              fill={admissionTypeFill(type)}
              stroke="#ffffff"
              strokeWidth={1}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    );
  },
  (previous, next) => previous.layout === next.layout && sameRows(previous.rows, next.rows),
);

/**
 * A dashed line across the bars at `x` (a floor, an even pace) with its label on top, over a white
 * halo that keeps it visible where it crosses a bar. Elements, not a component: the chart reads
 * its children.
 */
export function haloedLine(x: number, label: string) {
  return [
    <ReferenceLine key="halo" x={x} stroke="#ffffff" strokeWidth={7} />,
    <ReferenceLine
      key="line"
      x={x}
      stroke={FLOOR_COLOUR}
      strokeWidth={3}
      strokeDasharray="6 3"
      label={{ value: label, position: 'top', fill: FLOOR_COLOUR, fontSize: 13 }}
    />,
  ];
}

/** The resettlement share as a bar against 0–100 %, with the floor as a line across it. */
export const ShareAgainstFloorChart = memo(
  function ShareAgainstFloorChart({
    rows,
    floorPercent,
  }: {
    readonly rows: readonly { readonly name: string; readonly share: number }[];
    readonly floorPercent: number;
  }) {
    return (
      <ResponsiveContainer width="100%" height={80 + rows.length * 50}>
        <BarChart
          data={[...rows]}
          layout="vertical"
          accessibilityLayer={false}
          margin={{ top: 24, right: 32, bottom: 8, left: 16 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} horizontal={false} />
          <XAxis
            type="number"
            domain={[0, 100]}
            tick={AXIS_TICK}
            tickFormatter={(value: number) => `${value}%`}
          />
          <YAxis type="category" dataKey="name" width={220} tick={AXIS_TICK} />
          <Tooltip formatter={(value) => formatPercent(Number(value))} />
          <Bar
            dataKey="share"
            name="Share of the total"
            fill={admissionTypeFill('resettlement')}
            isAnimationActive={false}
          />
          {haloedLine(floorPercent, `Floor ${formatPercent(floorPercent)}`)}
        </BarChart>
      </ResponsiveContainer>
    );
  },
  (previous, next) =>
    previous.floorPercent === next.floorPercent && sameRows(previous.rows, next.rows),
);

export interface TimelineRow {
  readonly position: number;
  readonly total: number;
}

/** The pledged total after each pledge event, as steps: it holds until the next event. */
export const PledgedTotalChart = memo(
  function PledgedTotalChart({ rows }: { readonly rows: readonly TimelineRow[] }) {
    return (
      <ResponsiveContainer width="100%" height={300}>
        <LineChart
          data={[...rows]}
          accessibilityLayer={false}
          margin={{ top: 8, right: 24, bottom: 24, left: 16 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} />
          <XAxis
            dataKey="position"
            type="number"
            domain={['dataMin', 'dataMax']}
            tick={AXIS_TICK}
            allowDecimals={false}
            label={{
              value: 'Log position',
              position: 'insideBottom',
              offset: -12,
              fill: '#1b1b1b',
            }}
          />
          <YAxis tick={AXIS_TICK} tickFormatter={(value: number) => formatCount(value)} />
          <Tooltip
            formatter={(value) => formatCount(Number(value))}
            labelFormatter={(label) => `Log position ${typeof label === 'number' ? label : ''}`}
          />
          <Line
            type="stepAfter"
            dataKey="total"
            name="Pledged total"
            stroke={NEUTRAL_COLOUR}
            strokeWidth={3}
            dot={{ r: 4, fill: NEUTRAL_COLOUR }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    );
  },
  (previous, next) => sameRows(previous.rows, next.rows),
);
