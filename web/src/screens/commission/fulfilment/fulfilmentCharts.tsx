/**
 * The fulfilment dashboard's drawings (Recharts, in the fulfilment chunk only). No colour carries
 * meaning alone: admitted is a solid bar, adopted an outlined one; the pace line is dashed, the
 * admissions line solid with dots. Each sits in a <ChartFigure> beside the table it draws.
 */
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
import { formatCount, formatEuros, formatPercent } from '../../../lib/format';
import { haloedLine } from '../figures/charts';
import { AXIS_TICK, GRID_COLOUR, NEUTRAL_COLOUR } from '../figures/chartStyle';
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
  return (
    <ResponsiveContainer width="100%" height={90 + rows.length * 40}>
      <BarChart
        data={[...rows]}
        layout="vertical"
        accessibilityLayer={false}
        margin={{ top: 28, right: 40, bottom: 8, left: 16 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} horizontal={false} />
        <XAxis
          type="number"
          domain={[0, top]}
          tick={AXIS_TICK}
          tickFormatter={(value: number) => `${value}%`}
        />
        <YAxis type="category" dataKey="name" width={80} tick={AXIS_TICK} interval={0} />
        <Tooltip formatter={(value) => formatPercent(Number(value))} />
        <Bar
          dataKey="percent"
          name="Admitted of the contribution"
          fill={ADMITTED_FILL}
          isAnimationActive={false}
        />
        <ReferenceLine
          x={100}
          stroke={NEUTRAL_COLOUR}
          strokeWidth={2}
          label={{ value: 'Contribution', position: 'top', fill: NEUTRAL_COLOUR, fontSize: 13 }}
        />
        {haloedLine(pacePercent, `Even pace ${formatPercent(pacePercent)}`)}
      </BarChart>
    </ResponsiveContainer>
  );
}

export interface AdoptedAdmittedRow {
  readonly name: string;
  readonly adopted: number;
  readonly admitted: number;
}

/**
 * The legend of adopted against admitted, drawn here: Recharts colours a legend's words like its
 * series, and the adopted series is white.
 */
function AdoptedAdmittedLegend() {
  return (
    <ul className="chart-legend">
      <li>
        <svg width="16" height="12" aria-hidden="true" focusable="false">
          <rect x="1" y="1" width="14" height="10" {...ADOPTED_STYLE} />
        </svg>
        Adopted
      </li>
      <li>
        <svg width="16" height="12" aria-hidden="true" focusable="false">
          <rect x="0" y="0" width="16" height="12" fill={ADMITTED_FILL} />
        </svg>
        Admitted
      </li>
    </ul>
  );
}

/** Adopted beside admitted for each row (admission type, region), as lying bar pairs. */
export function AdoptedAdmittedChart({ rows }: { readonly rows: readonly AdoptedAdmittedRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={100 + rows.length * 56}>
      <BarChart
        data={[...rows]}
        layout="vertical"
        accessibilityLayer={false}
        margin={{ top: 8, right: 32, bottom: 8, left: 16 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} horizontal={false} />
        <XAxis
          type="number"
          tick={AXIS_TICK}
          tickFormatter={(value: number) => formatCount(value)}
        />
        <YAxis type="category" dataKey="name" width={240} tick={AXIS_TICK} interval={0} />
        <Tooltip formatter={(value) => formatCount(Number(value))} />
        <Legend content={<AdoptedAdmittedLegend />} />
        <Bar dataKey="adopted" name="Adopted" {...ADOPTED_STYLE} isAnimationActive={false} />
        <Bar dataKey="admitted" name="Admitted" fill={ADMITTED_FILL} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Cumulative admissions month by month against the even pace towards the adopted total. */
export function PaceChart({ rows }: { readonly rows: readonly PaceRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={320}>
      <LineChart
        data={rows.map((row) => ({ ...row, label: formatShortMonth(row.month) }))}
        accessibilityLayer={false}
        margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} />
        <XAxis dataKey="label" tick={AXIS_TICK} />
        <YAxis tick={AXIS_TICK} tickFormatter={(value: number) => formatCount(value)} />
        <Tooltip formatter={(value) => formatCount(Number(value))} />
        <Legend />
        <Line
          type="linear"
          dataKey="expectedCumulative"
          name="Expected at an even pace"
          stroke={PACE_COLOUR}
          strokeWidth={3}
          strokeDasharray="8 4"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="linear"
          dataKey="cumulative"
          name="Admitted, cumulative"
          stroke={ADMITTED_FILL}
          strokeWidth={3}
          dot={{ r: 4, fill: ADMITTED_FILL }}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** AMIF lump sums earned, one lying bar per Member State and year. */
export function AmifChart({
  rows,
}: {
  readonly rows: readonly { readonly name: string; readonly eur: number }[];
}) {
  return (
    <ResponsiveContainer width="100%" height={80 + rows.length * 36}>
      <BarChart
        data={[...rows]}
        layout="vertical"
        accessibilityLayer={false}
        margin={{ top: 8, right: 40, bottom: 8, left: 16 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOUR} horizontal={false} />
        <XAxis
          type="number"
          tick={AXIS_TICK}
          tickFormatter={(value: number) => `EUR ${formatCount(value / 1000)}k`}
        />
        <YAxis type="category" dataKey="name" width={100} tick={AXIS_TICK} interval={0} />
        <Tooltip formatter={(value) => formatEur(Number(value))} />
        <Bar
          dataKey="eur"
          name="Lump sums earned"
          fill={NEUTRAL_COLOUR}
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
