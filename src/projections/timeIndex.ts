import type { GlobalPosition } from '../eventStore/port';

/** One sample every this many events: 1,000,000 events keep about 4,000 samples. */
export const TIME_INDEX_EVERY = 256;

export interface TimeIndexData {
  /** Positions of the sampled events, increasing. */
  readonly positions: number[];
  /** The latest `recordedAt` (epoch ms) at or before each sampled event: never decreasing. */
  readonly times: number[];
  /** The latest `recordedAt` seen so far, and how many events since the last sample. */
  latest: number;
  sinceSample: number;
}

export function emptyTimeIndex(): TimeIndexData {
  return { positions: [], times: [], latest: Number.NEGATIVE_INFINITY, sinceSample: 0 };
}

/**
 * From an instant to a log position, without keeping a time for every event. Writers' clocks may
 * disagree slightly, so `recordedAt` need not grow with the position; the index keeps the running
 * latest time instead, which always does. "The log as of T" is then the longest prefix of the log in
 * which no event was recorded after T: a state that really existed, reached by binary search.
 */
export class TimeIndex {
  constructor(private data: TimeIndexData = emptyTimeIndex()) {}

  reset(data: TimeIndexData): void {
    this.data = {
      positions: [...data.positions],
      times: [...data.times],
      latest: data.latest,
      sinceSample: data.sinceSample,
    };
  }

  get sampleCount(): number {
    return this.data.positions.length;
  }

  /** The samples from the `from`-th on (those not yet persisted). */
  samplesFrom(from: number): { positions: number[]; times: number[] } {
    return { positions: this.data.positions.slice(from), times: this.data.times.slice(from) };
  }

  /** The running state that is not in the samples. */
  get running(): { readonly latest: number; readonly sinceSample: number } {
    return { latest: this.data.latest, sinceSample: this.data.sinceSample };
  }

  /** Called for every event, in log order. */
  record(position: GlobalPosition, recordedAt: string): void {
    const instant = Date.parse(recordedAt);
    if (instant > this.data.latest) this.data.latest = instant;
    if (this.data.sinceSample === 0) {
      this.data.positions.push(position);
      this.data.times.push(this.data.latest);
    }
    this.data.sinceSample = (this.data.sinceSample + 1) % TIME_INDEX_EVERY;
  }

  /**
   * Where a scan for the cut at `instant` starts: the position of the last sample whose running
   * time is at or before it (0: before the first event) and that running time. The cut lies at or
   * after it and within `TIME_INDEX_EVERY` events of it.
   */
  scanStart(instant: number): { readonly position: GlobalPosition; readonly latest: number } {
    const { positions, times } = this.data;
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((times[middle] ?? Infinity) <= instant) low = middle + 1;
      else high = middle;
    }
    if (low === 0) return { position: 0, latest: Number.NEGATIVE_INFINITY };
    return { position: positions[low - 1] ?? 0, latest: times[low - 1] ?? 0 };
  }
}
