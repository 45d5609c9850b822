import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { AS_OF_PARAM, parseAsOf, pathWithAsOf, type AsOfValue } from './asOf';

export interface AsOfState {
  /** The raw parameter to pass to reads that accept `asOf`; undefined means "now". */
  readonly asOf: string | undefined;
  /** The parsed parameter, for display. */
  readonly value: AsOfValue | undefined;
  /** True while looking at the past: write controls must be disabled. */
  readonly isPast: boolean;
  /** `path` keeping the current `asOf`, for links and navigation. */
  readonly withAsOf: (path: string) => string;
  /** Moves the whole app to another instant or position, or back to now with undefined. */
  readonly setAsOf: (asOf: string | undefined) => void;
}

const AsOfContext = createContext<AsOfState | undefined>(undefined);

/** Reads the `asOf` URL parameter; every view below reads the log as of it. Needs a router. */
export function AsOfProvider({ children }: { readonly children: ReactNode }) {
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const raw = searchParams.get(AS_OF_PARAM);
  const value = useMemo(() => parseAsOf(raw), [raw]);
  const asOf = value?.raw;

  const withAsOf = useCallback((path: string) => pathWithAsOf(path, asOf), [asOf]);
  const setAsOf = useCallback(
    (next: string | undefined) => {
      const here = `${location.pathname}${location.search}${location.hash}`;
      void navigate(pathWithAsOf(here, next));
    },
    [location.pathname, location.search, location.hash, navigate],
  );

  const state = useMemo<AsOfState>(
    () => ({ asOf, value, isPast: value !== undefined, withAsOf, setAsOf }),
    [asOf, value, withAsOf, setAsOf],
  );
  return <AsOfContext.Provider value={state}>{children}</AsOfContext.Provider>;
}

/** The time-travel state: `{ asOf, isPast, withAsOf(path), setAsOf }`. */
export function useAsOf(): AsOfState {
  const state = useContext(AsOfContext);
  if (state === undefined) throw new Error('useAsOf() needs an <AsOfProvider> above it');
  return state;
}
