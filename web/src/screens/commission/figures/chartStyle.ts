import type { AdmissionType } from '../labels';

/*
 * One look per admission type on every chart of the app: a dark fill that holds 3:1 against white
 * (WCAG 1.4.11), and a pattern of its own (solid, stripes, dots) so the types part in greyscale and
 * for every kind of colour vision. The patterns live in <ChartPatterns />, once per page.
 */
export const ADMISSION_TYPE_COLOURS: Readonly<Record<AdmissionType, string>> = {
  resettlement: '#004494',
  humanitarian_admission: '#a34f00',
  emergency_admission: '#1e6b34',
};

export const PATTERN_IDS: Readonly<Record<AdmissionType, string>> = {
  resettlement: 'chart-pattern-resettlement',
  humanitarian_admission: 'chart-pattern-humanitarian',
  emergency_admission: 'chart-pattern-emergency',
};

/** What a bar of that type is filled with. */
export function admissionTypeFill(type: AdmissionType): string {
  return type === 'resettlement' ? ADMISSION_TYPE_COLOURS[type] : `url(#${PATTERN_IDS[type]})`;
}

/** Axis words and the grid behind the bars, alike on every chart. */
export const AXIS_TICK = { fill: '#1b1b1b', fontSize: 13 } as const;
export const GRID_COLOUR = '#d0d5dd';

/** Lines and single bars that stand for no admission type. */
export const NEUTRAL_COLOUR = '#1b1b1b';
export const FLOOR_COLOUR = '#a4262c';
