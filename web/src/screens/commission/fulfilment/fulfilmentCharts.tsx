/**
 * The fulfilment dashboard's drawings (plain SVG, as on the figures page). No colour carries
 * meaning alone: admitted is a solid bar, adopted an outlined one; the pace line is dashed, the
 * admissions line solid with dots. Each sits in a <ChartFigure> beside the table it draws.
 */
import { formatCount, formatEuros, formatPercent } from '../../../lib/format';
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
  LineSwatch,
  MarkLine,
} from '../figures/chartParts';
import { BOTTOM_AXIS_HEIGHT, formatAxisPercent, VALUE_AXIS_WIDTH } from '../figures/charts';
import { bands, fitLastTickLabel, linearScale } from '../figures/chartScale';
import { NEUTRAL_COLOUR } from '../figures/chartStyle';
import { formatShortMonth, type PaceRow, type ProgressBar } from './fulfilmentModel';

/** The adopted contribution: an outline, so it parts from the admitted bar in greyscale too. */
const ADOPTED_STYLE = { fill: '#ffffff', stroke: NEUTRAL_COLOUR, strokeWidth: 2 } as const;
const ADMITTED_FILL = '#004494';
const PACE_COLOUR = '#5c3d99';

/** Euros as every screen writes them (`EUR 1,136,000`). */
export function formatEur(value: number): string {
  return formatEuros(value);
}

/**
 * Admitted as a percentage of each contribution, as lying bars, with the even pace (the elapsed
 * share of the period) and the whole contribution (100 %) as lines across them.
 */
export function ProgressAgainstContributionChart({
  rows,
  pacePercent,
}: {
  readonly rows: readonly ProgressBar[];
  readonly pacePercent: number;
}) {
  const highest = Math.max(100, ...rows.map((row) => row.percent));
  const top = Math.ceil(highest / 10) * 10;
  const nameWidth = 80;
  return (
    <HorizontalBarChart
      rows={rows}
      height={90 + rows.length * 40}
      margin={{ top: 28, right: 40, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + nameWidth }}
      nameWidth={nameWidth}
      scaleOf={(plot) => linearScale(0, top, [plot.left, plot.right], { nice: false })}
      value={(row) => row.percent}
      fill={ADMITTED_FILL}
      title={(row) => `${row.name}: ${formatPercent(row.percent)} admitted`}
      format={formatAxisPercent}
      marks={(percents, plot) => (
        <>
          <MarkLine plot={plot} x={percents.at(100)} label="Contribution" colour={NEUTRAL_COLOUR} />
          <FloorLine
            plot={plot}
            x={percents.at(pacePercent)}
            label={`Even pace ${formatPercent(pacePercent)}`}
          />
        </>
      )}
    />
  );
}

export interface AdoptedAdmittedRow {
  readonly name: string;
  readonly adopted: number;
  readonly admitted: number;
}

const ADOPTED_ADMITTED_LEGEND = [
  { label: 'Adopted', swatch: <BoxSwatch {...ADOPTED_STYLE} /> },
  { label: 'Admitted', swatch: <BoxSwatch fill={ADMITTED_FILL} /> },
];

/** Adopted beside admitted for each row (admission type, region), as lying bar pairs. */
export function AdoptedAdmittedChart({ rows }: { readonly rows: readonly AdoptedAdmittedRow[] }) {
  const highest = Math.max(0, ...rows.map((row) => Math.max(row.adopted, row.admitted)));
  const nameWidth = 240;
  return (
    <>
      <ChartSvg
        height={70 + rows.length * 56}
        margin={{ top: 8, right: 32, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + nameWidth }}
        draw={(drawing, width) => {
          // The counts run along the bottom: their last figure must fit the drawing.
          const { plot, scale: counts } = fitLastTickLabel(
            drawing,
            width,
            (box) => linearScale(0, highest, [box.left, box.right], { integer: true }),
            formatCount,
          );
          const slots = bands(rows.length, [plot.top, plot.bottom]);
          return (
            <>
              <Grid plot={plot} xs={counts.ticks.map(counts.at)} />
              {rows.map((row, index) => {
                const slot = slots[index];
                if (slot === undefined) return null;
                // Two bars share the slot, adopted above admitted, with a hair between them.
                const size = Math.max(1, slot.size / 2 - 2);
                return (
                  <g key={row.name}>
                    <rect
                      className="chart__bar"
                      x={plot.left}
                      y={slot.start}
                      width={Math.max(0, counts.at(row.adopted) - plot.left)}
                      height={size}
                      {...ADOPTED_STYLE}
                    >
                      <title>{`${row.name}, adopted: ${formatCount(row.adopted)}`}</title>
                    </rect>
                    <rect
                      className="chart__bar"
                      x={plot.left}
                      y={slot.start + slot.size - size}
                      width={Math.max(0, counts.at(row.admitted) - plot.left)}
                      height={size}
                      fill={ADMITTED_FILL}
                    >
                      <title>{`${row.name}, admitted: ${formatCount(row.admitted)}`}</title>
                    </rect>
                  </g>
                );
              })}
              <BottomValueAxis plot={plot} scale={counts} />
              <LeftCategoryAxis
                plot={plot}
                names={rows.map((row) => row.name)}
                slots={slots}
                width={nameWidth}
              />
            </>
          );
        }}
      />
      <ChartLegend items={ADOPTED_ADMITTED_LEGEND} />
    </>
  );
}

const PACE_LEGEND = [
  { label: 'Expected at an even pace', swatch: <LineSwatch colour={PACE_COLOUR} dashed /> },
  { label: 'Admitted, cumulative', swatch: <LineSwatch colour={ADMITTED_FILL} dot /> },
];

/** Cumulative admissions month by month against the even pace towards the adopted total. */
export function PaceChart({ rows }: { readonly rows: readonly PaceRow[] }) {
  const highest = Math.max(
    0,
    ...rows.map((row) => Math.max(row.cumulative, row.expectedCumulative)),
  );
  return (
    <>
      <ChartSvg
        height={290}
        margin={{ top: 8, right: 24, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + VALUE_AXIS_WIDTH }}
        draw={(plot) => {
          const counts = linearScale(0, highest, [plot.bottom, plot.top], { integer: true });
          const slots = bands(rows.length, [plot.left, plot.right], 0);
          const line = (pick: (row: PaceRow) => number) =>
            rows
              .map((row, index) => {
                const x = slots[index]?.centre ?? plot.left;
                return `${index === 0 ? 'M' : 'L'}${x},${counts.at(pick(row))}`;
              })
              .join('');
          return (
            <>
              <Grid
                plot={plot}
                xs={slots.map((slot) => slot.centre)}
                ys={counts.ticks.map(counts.at)}
              />
              <path
                className="chart__line"
                d={line((row) => row.expectedCumulative)}
                fill="none"
                stroke={PACE_COLOUR}
                strokeWidth={3}
                strokeDasharray="8 4"
              />
              <path
                className="chart__line"
                d={line((row) => row.cumulative)}
                fill="none"
                stroke={ADMITTED_FILL}
                strokeWidth={3}
              />
              {rows.map((row, index) => (
                <circle
                  key={row.month}
                  className="chart__dot"
                  cx={slots[index]?.centre ?? plot.left}
                  cy={counts.at(row.cumulative)}
                  r={4}
                  fill={ADMITTED_FILL}
                  stroke={ADMITTED_FILL}
                  strokeWidth={3}
                >
                  <title>
                    {`${formatShortMonth(row.month)}: ${formatCount(row.cumulative)} admitted, ${formatCount(row.expectedCumulative)} expected`}
                  </title>
                </circle>
              ))}
              <BottomCategoryAxis
                plot={plot}
                names={rows.map((row) => formatShortMonth(row.month))}
                slots={slots}
              />
              <LeftValueAxis plot={plot} scale={counts} />
            </>
          );
        }}
      />
      <ChartLegend items={PACE_LEGEND} />
    </>
  );
}

/** `EUR 80k` on an axis, where whole euros would crowd each other. */
function formatAxisEuros(value: number): string {
  return `EUR ${formatCount(value / 1000)}k`;
}

/** AMIF lump sums earned, one lying bar per Member State and year. */
export function AmifChart({
  rows,
}: {
  readonly rows: readonly { readonly name: string; readonly eur: number }[];
}) {
  const highest = Math.max(0, ...rows.map((row) => row.eur));
  const nameWidth = 100;
  return (
    <HorizontalBarChart
      rows={rows}
      height={80 + rows.length * 36}
      margin={{ top: 8, right: 40, bottom: 8 + BOTTOM_AXIS_HEIGHT, left: 16 + nameWidth }}
      nameWidth={nameWidth}
      scaleOf={(plot) => linearScale(0, highest, [plot.left, plot.right], { integer: true })}
      value={(row) => row.eur}
      fill={NEUTRAL_COLOUR}
      title={(row) => `${row.name}: ${formatEur(row.eur)}`}
      rowKey={(row, index) => `${row.name}-${index}`}
      format={formatAxisEuros}
    />
  );
}
