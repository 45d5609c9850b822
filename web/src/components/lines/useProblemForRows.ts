import { useMemo } from 'react';
import type { Problem } from '../../api/problems';
import { problemForRows } from './lineErrors';

/**
 * `problemForRows` kept as one object while neither the refusal nor the rows change: the alert
 * showing it takes the focus whenever it receives another problem, and typing in a field must not
 * hand the focus back to the alert at every keystroke.
 */
export function useProblemForRows(
  refusal: { readonly problem: Problem; readonly sentKeys: readonly string[] } | undefined,
  currentKeys: readonly string[],
  prefix = 'lines',
): Problem | undefined {
  const rows = currentKeys.join('\n');
  return useMemo(
    () =>
      refusal === undefined
        ? undefined
        : problemForRows(
            refusal.problem,
            refusal.sentKeys,
            rows === '' ? [] : rows.split('\n'),
            prefix,
          ),
    [refusal, rows, prefix],
  );
}
