import { memo, useId, type ReactNode } from 'react';
import { LazyDetails } from '../../../components/LazyDetails';
import { formatCount, formatPercent } from '../../../lib/format';
import { ADMISSION_TYPE_LABELS, ADMISSION_TYPES, type AdmissionTypeCounts } from '../labels';
import {
  BottomCategoryAxis,
  BottomValueAxis,
  BoxSwatch,
  ChartLegend,
  ChartSvg,
  FloorLine,
  Grid,
  HorizontalBarChart,
  LeftCategoryAxis,
  LeftValueAxis,
} from './chartParts';
import { bands, fitLastTickLabel, linearScale } from './chartScale';
import {
  ADMISSION_TYPE_COLOURS,
  admissionTypeFill,
  AXIS_TICK,
  NEUTRAL_COLOUR,
  PATTERN_IDS,
} from './chartStyle';
import './charts.css';

/**
 * Whether two charts' rows hold the same values. The page builds its rows afresh on every render
 * (each of its reads landing is one): a chart whose rows did not change keeps its drawing.
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
 * SVG's parts mean nothing to a screen reader), and the table it draws, folded beneath. The table
 * is rendered when it is first unfolded: folded, nobody sees, hears or prints it, and the page's
 * first load need not build it.
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
      <LazyDetails className="chart__table" summary="Table of this chart">
        {table}
      </LazyDetails>
    </figure>
  );
}

export interface StackedRow extends AdmissionTypeCounts {
  readonly name: string;
}

/** Space for a value axis' figures beside the plot, and for its ticks' words beneath it. */
export const VALUE_AXIS_WIDTH = 60;
export const BOTTOM_AXIS_HEIGHT = 30;

/** The three admission types with their fills, in the order of Art. 8(3)(a), as tables list them. */
const TYPE_LEGEND = ADMISSION_TYPES.map((type) => ({
  label: ADMISSION_TYPE_LABELS[type],
  swatch: <BoxSwatch fill={admissionTypeFill(type)} />,
}));

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
    const nameWidth = 240;
    const highest = Math.max(0, ...rows.map((row) => sumOfTypes(row)));
    const names = rows.map((row) => row.name);
    return (
      <>
        <ChartSvg
          height={lying ? 60 + rows.length * 44 : 300}
          margin={
            lying
              ? { top: 8, right: 24, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + nameWidth }
              : { top: 12, right: 24, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + VALUE_AXIS_WIDTH }
          }
          draw={(drawing, width) => {
            // Lying, the counts run along the bottom: their last figure must fit the drawing.
            const { plot, scale: counts } = lying
              ? fitLastTickLabel(
                  drawing,
                  width,
                  (box) => linearScale(0, highest, [box.left, box.right], { integer: true }),
                  formatCount,
                )
              : {
                  plot: drawing,
                  scale: linearScale(0, highest, [drawing.bottom, drawing.top], { integer: true }),
                };
            const slots = lying
              ? bands(rows.length, [plot.top, plot.bottom])
              : bands(rows.length, [plot.left, plot.right]);
            const positions = counts.ticks.map(counts.at);
            return (
              <>
                {lying ? (
                  <Grid plot={plot} xs={positions} ys={slots.map((slot) => slot.centre)} />
                ) : (
                  <Grid plot={plot} xs={slots.map((slot) => slot.centre)} ys={positions} />
                )}
                {rows.map((row, index) => {
                  const slot = slots[index];
                  if (slot === undefined) return null;
                  let from = 0;
                  return (
                    <g key={`${row.name}-${index}`}>
                      {ADMISSION_TYPES.map((type) => {
                        const value = row[type];
                        const start = from;
                        from += value;
                        if (value <= 0) return null;
                        const a = counts.at(start);
                        const b = counts.at(start + value);
                        const box = lying
                          ? { x: a, y: slot.start, width: b - a, height: slot.size }
                          : { x: slot.start, y: b, width: slot.size, height: a - b };
                        return (
                          <rect
                            key={type}
                            className="chart__bar"
                            data-series={type}
                            {...box}
                            fill={admissionTypeFill(type)}
                            stroke="#ffffff"
                            strokeWidth={1}
                          >
                            <title>{`${row.name}, ${ADMISSION_TYPE_LABELS[type]}: ${formatCount(value)}`}</title>
                          </rect>
                        );
                      })}
                    </g>
                  );
                })}
                {lying ? (
                  <>
                    <BottomValueAxis plot={plot} scale={counts} />
                    <LeftCategoryAxis plot={plot} names={names} slots={slots} width={nameWidth} />
                  </>
                ) : (
                  <>
                    <BottomCategoryAxis plot={plot} names={names} slots={slots} />
                    <LeftValueAxis plot={plot} scale={counts} />
                  </>
                )}
              </>
            );
          }}
        />
        <ChartLegend items={TYPE_LEGEND} />
      </>
    );
  },
  (previous, next) => previous.layout === next.layout && sameRows(previous.rows, next.rows),
);

function sumOfTypes(row: AdmissionTypeCounts): number {
  return ADMISSION_TYPES.reduce((total, type) => total + row[type], 0);
}

/** Percentages on an axis: `60%`. */
export function formatAxisPercent(value: number): string {
  return `${value}%`;
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
    const nameWidth = 220;
    return (
      <HorizontalBarChart
        rows={rows}
        height={80 + rows.length * 50}
        margin={{ top: 24, right: 32, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + nameWidth }}
        nameWidth={nameWidth}
        scaleOf={(plot) => linearScale(0, 100, [plot.left, plot.right], { nice: false })}
        value={(row) => Math.min(100, row.share)}
        fill={admissionTypeFill('resettlement')}
        title={(row) => `${row.name}: ${formatPercent(row.share)}`}
        format={formatAxisPercent}
        marks={(shares, plot) => (
          <FloorLine
            plot={plot}
            x={shares.at(floorPercent)}
            label={`Floor ${formatPercent(floorPercent)}`}
          />
        )}
      />
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
    const positions = rows.map((row) => row.position);
    const first = Math.min(...positions);
    const last = Math.max(...positions);
    const highest = Math.max(0, ...rows.map((row) => row.total));
    return (
      <ChartSvg
        height={300}
        margin={{
          top: 8,
          right: 24,
          bottom: 24 + BOTTOM_AXIS_HEIGHT,
          left: 16 + VALUE_AXIS_WIDTH,
        }}
        draw={(drawing, width) => {
          const { plot, scale: x } = fitLastTickLabel(
            drawing,
            width,
            (box) =>
              linearScale(first, last, [box.left, box.right], { nice: false, integer: true }),
            String,
          );
          const y = linearScale(0, highest, [plot.bottom, plot.top], { integer: true });
          const points = rows.map((row) => ({ row, x: x.at(row.position), y: y.at(row.total) }));
          // Steps after each point: level until the next event, then up or down to its total.
          const path = points
            .map((point, index) =>
              index === 0 ? `M${point.x},${point.y}` : `H${point.x}V${point.y}`,
            )
            .join('');
          return (
            <>
              <Grid plot={plot} xs={x.ticks.map(x.at)} ys={y.ticks.map(y.at)} />
              <path
                className="chart__line"
                d={path}
                fill="none"
                stroke={NEUTRAL_COLOUR}
                strokeWidth={3}
              />
              {points.map((point) => (
                <circle
                  key={point.row.position}
                  className="chart__dot"
                  cx={point.x}
                  cy={point.y}
                  r={4}
                  fill={NEUTRAL_COLOUR}
                  stroke={NEUTRAL_COLOUR}
                  strokeWidth={3}
                >
                  <title>{`Log position ${point.row.position}: ${formatCount(point.row.total)}`}</title>
                </circle>
              ))}
              <BottomValueAxis plot={plot} scale={x} format={String} />
              <text
                x={(plot.left + plot.right) / 2}
                y={plot.bottom + BOTTOM_AXIS_HEIGHT + 16}
                textAnchor="middle"
                fill={AXIS_TICK.fill}
                fontSize={15}
              >
                Log position
              </text>
              <LeftValueAxis plot={plot} scale={y} />
            </>
          );
        }}
      />
    );
  },
  (previous, next) => sameRows(previous.rows, next.rows),
);
