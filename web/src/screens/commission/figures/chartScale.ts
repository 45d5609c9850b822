import { scaleBand, scaleLinear } from 'd3-scale';

/*
 * The arithmetic of the charts: where a value or a category lands on a drawing, and which round
 * figures an axis names. Pure functions, so the drawing code stays a plain map from rows to shapes.
 */

/** A value axis: its extent, the round figures it names, and where a value lands. */
export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  /** The position of `value` in the range (pixels). */
  readonly at: (value: number) => number;
}

/**
 * A scale from `min` (usually 0) up to `max` onto `range` (d3's linear scale). With `nice`, the top
 * grows to the next tick, so the longest bar ends on a named figure, as charts are read; without
 * it, the domain is kept as given (a share from 0 to 100 %). Ticks are 1, 2 or 5 times a power of
 * ten, about `count` of them; `integer` keeps the whole ones (persons are counted, never halved).
 */
export function linearScale(
  min: number,
  max: number,
  range: readonly [number, number],
  options: { readonly nice?: boolean; readonly integer?: boolean; readonly count?: number } = {},
): LinearScale {
  const { nice = true, integer = false, count = 5 } = options;
  // Nothing to show (every value 0) still needs an axis, and a domain of width 0 divides by 0.
  const top = max > min ? max : min + 1;
  const scale = scaleLinear().domain([min, top]).range(range);
  if (nice) scale.nice(count);
  const ticks = scale.ticks(count).filter((tick) => !integer || Number.isInteger(tick));
  const [low = min, high = top] = scale.domain();
  return { domain: [low, high], ticks, at: (value) => scale(value) };
}

/** One category's slot along an axis, and the bar drawn in it. */
export interface Band {
  /** The slot's middle, where its name is written. */
  readonly centre: number;
  /** Where the bar starts and how thick it is: the slot less a gap on each side. */
  readonly start: number;
  readonly size: number;
}

/**
 * `count` equal slots across `range` (d3's band scale), each bar leaving a tenth of its slot free
 * on either side: the gap between categories that bar charts use.
 */
export function bands(count: number, range: readonly [number, number], gap = 0.1): Band[] {
  const indices = Array.from({ length: count }, (_, index) => index);
  const scale = scaleBand<number>()
    .domain(indices)
    .range(range)
    .paddingInner(2 * gap)
    .paddingOuter(gap);
  const size = scale.bandwidth();
  return indices.map((index) => {
    const start = scale(index) ?? range[0];
    return { centre: start + size / 2, start, size };
  });
}

/**
 * A label broken into lines of at most `maxChars` characters at spaces (a long region name beside
 * a bar); a word longer than a line keeps its own line.
 */
export function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= maxChars) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * About how wide a character of the axis' 13 px type is, for keeping a figure inside the drawing.
 * Generous on purpose (digits are about 7 px): a guess too wide leaves a little space, one too
 * narrow cuts the figure off.
 */
export const TICK_CHAR_WIDTH = 8;

/** The estimated width of a tick's label, without measuring text (no layout needed). */
export function tickLabelWidth(label: string): number {
  return label.length * TICK_CHAR_WIDTH;
}

/**
 * A value axis along the bottom writes each figure centred under its tick, so the last one reaches
 * half its width past the tick: when that is more than the drawing has to the right ("EUR
 * 12,000k" beside a narrow margin), the plot's right edge moves left until it fits. The scale is
 * taken again from the narrower plot, whose ticks may differ; a few rounds settle it.
 */
export function fitLastTickLabel<P extends { readonly left: number; readonly right: number }>(
  plot: P,
  width: number,
  scaleOf: (plot: P) => LinearScale,
  format: (value: number) => string,
  gap = 2,
): { readonly plot: P; readonly scale: LinearScale } {
  let fitted = plot;
  let scale = scaleOf(fitted);
  for (let round = 0; round < 3; round += 1) {
    const last = scale.ticks[scale.ticks.length - 1];
    if (last === undefined) break;
    const overflow = scale.at(last) + tickLabelWidth(format(last)) / 2 + gap - width;
    if (overflow <= 0) break;
    // The plot keeps at least a pixel of width, whatever the labels.
    fitted = { ...fitted, right: Math.max(fitted.left + 1, fitted.right - Math.ceil(overflow)) };
    scale = scaleOf(fitted);
  }
  return { plot: fitted, scale };
}
