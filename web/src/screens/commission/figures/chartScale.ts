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

// The steps between ticks are 1, 2 or 5 times a power of ten, chosen as d3's `tickStep` does: the
// step whose tick count comes nearest to the one asked for.
const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** The round step between about `count` ticks over `span`; 1 at least for whole counts. */
export function tickStep(span: number, count: number, integer: boolean): number {
  const rough = span / Math.max(1, count);
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const error = rough / power;
  const step = power * (error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1);
  return integer ? Math.max(1, step) : step;
}

/**
 * A scale from `min` (usually 0) up to `max` onto `range`. With `nice`, the top grows to the next
 * tick, so the longest bar ends on a named figure, as charts are read; without it, the domain is
 * kept as given (a share from 0 to 100 %).
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
  const step = tickStep(top - min, count, integer);
  const low = nice ? Math.floor(min / step) * step : min;
  const high = nice ? Math.ceil(top / step) * step : top;
  const ticks: number[] = [];
  const first = Math.ceil(low / step);
  const last = Math.floor(high / step);
  // Multiples of the step, rounded so that 0.1 + 0.2 reads as 0.3 on the axis.
  for (let index = first; index <= last; index++) ticks.push(roundTick(index * step));
  const [from, to] = range;
  const factor = (to - from) / (high - low);
  return {
    domain: [low, high],
    ticks,
    at: (value) => from + (value - low) * factor,
  };
}

function roundTick(value: number): number {
  return Math.round(value * 1e9) / 1e9;
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
 * `count` equal slots across `range`, each bar leaving a tenth of its slot free on either side
 * (the gap between categories that bar charts use, Recharts' default among them).
 */
export function bands(count: number, range: readonly [number, number], gap = 0.1): Band[] {
  const [from, to] = range;
  const slot = (to - from) / Math.max(1, count);
  return Array.from({ length: count }, (_, index) => {
    const start = from + index * slot;
    return { centre: start + slot / 2, start: start + slot * gap, size: slot * (1 - 2 * gap) };
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
