import { formatInstantLong } from '../lib/format';

/** The `asOf` query parameter: a log position (`123`) or an ISO date or instant. */
export const AS_OF_PARAM = 'asOf';

export type AsOfValue =
  | { readonly kind: 'position'; readonly position: number; readonly raw: string }
  | { readonly kind: 'instant'; readonly instant: Date; readonly raw: string };

/** What the parameter says, or undefined when it is missing or says nothing readable. */
export function parseAsOf(raw: string | null | undefined): AsOfValue | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return { kind: 'position', position: Number(value), raw: value };
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  return { kind: 'instant', instant, raw: value };
}

/** For people: "log position 123" or "30 November 2026, 10:00:00 UTC" (the log keeps UTC). */
export function describeAsOf(value: AsOfValue): string {
  if (value.kind === 'position') return `log position ${value.position}`;
  return formatInstantLong(value.instant);
}

/** `path` with `asOf` set (or removed when undefined), keeping its other parameters and hash. */
export function pathWithAsOf(path: string, asOf: string | undefined): string {
  const hashAt = path.indexOf('#');
  const hash = hashAt >= 0 ? path.slice(hashAt) : '';
  const beforeHash = hashAt >= 0 ? path.slice(0, hashAt) : path;
  const queryAt = beforeHash.indexOf('?');
  const pathname = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const params = new URLSearchParams(queryAt >= 0 ? beforeHash.slice(queryAt + 1) : '');
  if (asOf === undefined) params.delete(AS_OF_PARAM);
  else params.set(AS_OF_PARAM, asOf);
  const query = params.toString();
  return `${pathname}${query ? `?${query}` : ''}${hash}`;
}

/** A `datetime-local` value (local wall time, no zone) as an ISO instant, or undefined. */
export function localDateTimeToIso(local: string): string | undefined {
  if (!local) return undefined;
  const instant = new Date(local);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** An instant as a `datetime-local` value in the browser's zone, to refill the control. */
export function isoToLocalDateTime(instant: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}` +
    `T${pad(instant.getHours())}:${pad(instant.getMinutes())}`
  );
}
