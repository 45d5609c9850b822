import type { Problem } from '../../api/problems';

/**
 * The problem with each message moved to the field the form shows for it: the server names
 * `priorityCountries.3` (the fourth code), the form has one control for the whole list, so the
 * message belongs under `priorityCountries`. A path no field covers stays as it is.
 */
export function atFormFields(problem: Problem, fields: readonly string[]): Problem {
  if (problem.errors === undefined) return problem;
  const byLength = [...fields].sort((a, b) => b.length - a.length);
  return {
    ...problem,
    errors: problem.errors.map((entry) => {
      const path = typeof entry.path === 'string' ? entry.path : undefined;
      if (path === undefined) return entry;
      const field = byLength.find(
        (candidate) => path === candidate || path.startsWith(`${candidate}.`),
      );
      return field === undefined ? entry : { ...entry, path: field };
    }),
  };
}
