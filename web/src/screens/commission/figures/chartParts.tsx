/*
 * The parts every chart of the app is drawn from: an SVG as wide as its figure, axes, a grid, lines
 * across the plot and a legend, placed by d3's scales (`chartScale.ts`). Plain SVG elements: a
 * chart is a few dozen shapes, so a full charting library's parsing, measuring passes and
 * re-renders would cost far more than the drawing itself.
 */
import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { formatCount } from '../../../lib/format';
import { bands, fitLastTickLabel, wrapWords, type Band, type LinearScale } from './chartScale';
import { AXIS_TICK, FLOOR_COLOUR, GRID_COLOUR } from './chartStyle';

/** Where the drawing is drawn when no width can be measured (a document without layout). */
const FALLBACK_WIDTH = 640;
const AXIS_COLOUR = '#666666';
const TICK_LENGTH = 6;
/** About how wide a character of the axis' 13 px type is, to break long names into lines. */
const CHAR_WIDTH = 7;
const LINE_HEIGHT = 15;

/*
 * One ResizeObserver for every chart on the page, rather than one per chart: each chart registers
 * what to do when its own drawing changes width.
 */
const onResize = new Map<Element, (width: number) => void>();
let observer: ResizeObserver | undefined;

function sharedObserver(): ResizeObserver | undefined {
  if (observer === undefined && typeof ResizeObserver !== 'undefined') {
    observer = new ResizeObserver((entries) => {
      for (const entry of entries)
        onResize.get(entry.target)?.(Math.round(entry.contentRect.width));
    });
  }
  return observer;
}

/**
 * The width an element is laid out at, in whole pixels, kept current as the window changes. Read
 * once before the first paint (a layout effect: the chart is drawn at its width from the start,
 * never at a guess), then from the shared observer.
 */
function useWidth<E extends Element>(): [number | undefined, RefObject<E | null>] {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState<number>();
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return undefined;
    const measured = Math.round(element.getBoundingClientRect().width);
    setWidth(measured > 0 ? measured : FALLBACK_WIDTH);
    const watcher = sharedObserver();
    onResize.set(element, (next) => {
      // A drawing hidden for a moment (0 wide) keeps its last width rather than collapsing.
      if (next > 0) setWidth(next);
    });
    watcher?.observe(element);
    return () => {
      watcher?.unobserve(element);
      onResize.delete(element);
    };
  }, []);
  return [width, ref];
}

export interface Margin {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/** The plotting area inside a drawing `width` wide and `height` high. */
export interface Plot {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * An SVG as wide as the figure and `height` high, with the plot's box inside `margin`; `draw` is
 * called with that box once the width is known. Hidden from assistive technology: the figure
 * around it names the drawing, and its table holds the figures.
 */
export function ChartSvg({
  height,
  margin,
  draw,
}: {
  readonly height: number;
  readonly margin: Margin;
  readonly draw: (plot: Plot, width: number) => ReactNode;
}) {
  const [width, ref] = useWidth<SVGSVGElement>();
  return (
    <svg
      ref={ref}
      className="chart__svg"
      width="100%"
      height={height}
      viewBox={width === undefined ? undefined : `0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
    >
      {width !== undefined &&
        draw(
          {
            left: margin.left,
            right: Math.max(margin.left + 1, width - margin.right),
            top: margin.top,
            bottom: height - margin.bottom,
          },
          width,
        )}
    </svg>
  );
}

/** Dashed lines behind the bars at each tick: upright at `xs`, level at `ys`. */
export function Grid({
  plot,
  xs = [],
  ys = [],
}: {
  readonly plot: Plot;
  readonly xs?: readonly number[];
  readonly ys?: readonly number[];
}) {
  return (
    <g className="chart__grid" stroke={GRID_COLOUR} strokeDasharray="3 3">
      {xs.map((x) => (
        <line key={`x${x}`} x1={x} x2={x} y1={plot.top} y2={plot.bottom} />
      ))}
      {ys.map((y) => (
        <line key={`y${y}`} x1={plot.left} x2={plot.right} y1={y} y2={y} />
      ))}
    </g>
  );
}

const tickText = { fill: AXIS_TICK.fill, fontSize: AXIS_TICK.fontSize } as const;

/** A value axis along the bottom of the plot. */
export function BottomValueAxis({
  plot,
  scale,
  format = formatCount,
}: {
  readonly plot: Plot;
  readonly scale: LinearScale;
  readonly format?: (value: number) => string;
}) {
  return (
    <g className="chart__axis">
      <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke={AXIS_COLOUR} />
      {scale.ticks.map((tick) => {
        const x = scale.at(tick);
        return (
          <g key={tick}>
            <line
              x1={x}
              x2={x}
              y1={plot.bottom}
              y2={plot.bottom + TICK_LENGTH}
              stroke={AXIS_COLOUR}
            />
            <text x={x} y={plot.bottom + TICK_LENGTH + 14} textAnchor="middle" {...tickText}>
              {format(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** A value axis up the left of the plot. */
export function LeftValueAxis({
  plot,
  scale,
  format = formatCount,
}: {
  readonly plot: Plot;
  readonly scale: LinearScale;
  readonly format?: (value: number) => string;
}) {
  return (
    <g className="chart__axis">
      <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke={AXIS_COLOUR} />
      {scale.ticks.map((tick) => {
        const y = scale.at(tick);
        return (
          <g key={tick}>
            <line x1={plot.left - TICK_LENGTH} x2={plot.left} y1={y} y2={y} stroke={AXIS_COLOUR} />
            <text x={plot.left - TICK_LENGTH - 3} y={y} dy="0.32em" textAnchor="end" {...tickText}>
              {format(tick)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Names up the left of the plot, one per band, broken into lines that fit `width`. */
export function LeftCategoryAxis({
  plot,
  names,
  slots,
  width,
}: {
  readonly plot: Plot;
  readonly names: readonly string[];
  readonly slots: readonly Band[];
  readonly width: number;
}) {
  const maxChars = Math.max(4, Math.floor((width - TICK_LENGTH - 8) / CHAR_WIDTH));
  return (
    <g className="chart__axis">
      <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke={AXIS_COLOUR} />
      {slots.map((slot, index) => {
        const lines = wrapWords(names[index] ?? '', maxChars);
        const x = plot.left - TICK_LENGTH - 3;
        return (
          <g key={index}>
            <line
              x1={plot.left - TICK_LENGTH}
              x2={plot.left}
              y1={slot.centre}
              y2={slot.centre}
              stroke={AXIS_COLOUR}
            />
            <text
              x={x}
              y={slot.centre - ((lines.length - 1) * LINE_HEIGHT) / 2}
              dy="0.32em"
              textAnchor="end"
              {...tickText}
            >
              {lines.map((line, lineIndex) => (
                <tspan key={lineIndex} x={x} dy={lineIndex === 0 ? undefined : LINE_HEIGHT}>
                  {line}
                </tspan>
              ))}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/**
 * Names along the bottom of the plot, one per band; where they would collide (24 months on a
 * narrow screen), every second or third is written, always the last.
 */
export function BottomCategoryAxis({
  plot,
  names,
  slots,
}: {
  readonly plot: Plot;
  readonly names: readonly string[];
  readonly slots: readonly Band[];
}) {
  const longest = Math.max(0, ...names.map((name) => name.length));
  const slotWidth = (plot.right - plot.left) / Math.max(1, slots.length);
  const every = Math.max(1, Math.ceil((longest * CHAR_WIDTH + 8) / slotWidth));
  return (
    <g className="chart__axis">
      <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke={AXIS_COLOUR} />
      {slots.map((slot, index) =>
        (slots.length - 1 - index) % every !== 0 ? null : (
          <g key={index}>
            <line
              x1={slot.centre}
              x2={slot.centre}
              y1={plot.bottom}
              y2={plot.bottom + TICK_LENGTH}
              stroke={AXIS_COLOUR}
            />
            <text
              x={slot.centre}
              y={plot.bottom + TICK_LENGTH + 14}
              textAnchor="middle"
              {...tickText}
            >
              {names[index]}
            </text>
          </g>
        ),
      )}
    </g>
  );
}

/**
 * A bar chart lying on its side: one bar a row, from the plot's left edge to the row's value in
 * the row's slot (its exact figure named on hover, `<title>`), a grid at the value axis's ticks,
 * the value axis along the bottom, the rows' names up the left; `marks` adds lines across the
 * bars (a floor, a pace). The plot stops short of `margin.right` when the axis' last figure needs
 * more room than that.
 */
export function HorizontalBarChart<Row extends { readonly name: string }>({
  rows,
  height,
  margin,
  nameWidth,
  scaleOf,
  value,
  fill,
  title,
  rowKey = (row) => row.name,
  format,
  marks,
}: {
  readonly rows: readonly Row[];
  readonly height: number;
  /** Its `left` includes `nameWidth`. */
  readonly margin: Margin;
  readonly nameWidth: number;
  /** The value axis across the plot's width. */
  readonly scaleOf: (plot: Plot) => LinearScale;
  readonly value: (row: Row) => number;
  readonly fill: string;
  readonly title: (row: Row) => string;
  readonly rowKey?: (row: Row, index: number) => string;
  readonly format?: (value: number) => string;
  readonly marks?: (scale: LinearScale, plot: Plot) => ReactNode;
}) {
  return (
    <ChartSvg
      height={height}
      margin={margin}
      draw={(drawing, width) => {
        // The plot ends where the value axis' last figure still fits in the drawing.
        const { plot, scale } = fitLastTickLabel(drawing, width, scaleOf, format ?? formatCount);
        const slots = bands(rows.length, [plot.top, plot.bottom]);
        return (
          <>
            <Grid plot={plot} xs={scale.ticks.map(scale.at)} />
            {rows.map((row, index) => {
              const slot = slots[index];
              if (slot === undefined) return null;
              return (
                <rect
                  key={rowKey(row, index)}
                  className="chart__bar"
                  x={plot.left}
                  y={slot.start}
                  width={Math.max(0, scale.at(value(row)) - plot.left)}
                  height={slot.size}
                  fill={fill}
                >
                  <title>{title(row)}</title>
                </rect>
              );
            })}
            {marks?.(scale, plot)}
            <BottomValueAxis plot={plot} scale={scale} {...(format !== undefined && { format })} />
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
  );
}

/** An upright line across the plot at `x`, its label above the plot. */
export function MarkLine({
  plot,
  x,
  label,
  colour,
  dashed = false,
  haloed = false,
}: {
  readonly plot: Plot;
  readonly x: number;
  readonly label: string;
  readonly colour: string;
  readonly dashed?: boolean;
  /** A white band beneath, which keeps the line visible where it crosses a bar of its colour. */
  readonly haloed?: boolean;
}) {
  return (
    <g className="chart__mark">
      {haloed && (
        <line x1={x} x2={x} y1={plot.top} y2={plot.bottom} stroke="#ffffff" strokeWidth={7} />
      )}
      <line
        x1={x}
        x2={x}
        y1={plot.top}
        y2={plot.bottom}
        stroke={colour}
        strokeWidth={haloed ? 3 : 2}
        strokeDasharray={dashed ? '6 3' : undefined}
      />
      <text x={x} y={plot.top - 6} textAnchor="middle" fill={colour} fontSize={13}>
        {label}
      </text>
    </g>
  );
}

/** A floor or an even pace: dashed, haloed, in the floor's red. */
export function FloorLine({
  plot,
  x,
  label,
}: {
  readonly plot: Plot;
  readonly x: number;
  readonly label: string;
}) {
  return <MarkLine plot={plot} x={x} label={label} colour={FLOOR_COLOUR} dashed haloed />;
}

export interface LegendItem {
  readonly label: string;
  /** The swatch: a small drawing of how the series looks (a filled box, a dashed line). */
  readonly swatch: ReactNode;
}

/** The series' names with their looks, beneath the drawing, in the order the tables list them. */
export function ChartLegend({ items }: { readonly items: readonly LegendItem[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.label}>
          <svg width="16" height="12" aria-hidden="true" focusable="false">
            {item.swatch}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** A legend swatch of a filled (or outlined) bar. */
export function BoxSwatch({
  fill,
  stroke,
  strokeWidth,
}: {
  readonly fill: string;
  readonly stroke?: string;
  readonly strokeWidth?: number;
}) {
  return stroke === undefined ? (
    <rect x="0" y="0" width="16" height="12" fill={fill} />
  ) : (
    <rect
      x="1"
      y="1"
      width="14"
      height="10"
      fill={fill}
      stroke={stroke}
      strokeWidth={strokeWidth}
    />
  );
}

/** A legend swatch of a line, dashed or with a dot. */
export function LineSwatch({
  colour,
  dashed = false,
  dot = false,
}: {
  readonly colour: string;
  readonly dashed?: boolean;
  readonly dot?: boolean;
}) {
  return (
    <>
      <line
        x1="0"
        x2="16"
        y1="6"
        y2="6"
        stroke={colour}
        strokeWidth={3}
        strokeDasharray={dashed ? '4 2' : undefined}
      />
      {dot && <circle cx="8" cy="6" r="3" fill={colour} />}
    </>
  );
}
