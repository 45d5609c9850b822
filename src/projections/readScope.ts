/**
 * Whose indications a read may show. The authorization policy decides it for each actor and
 * request (`src/application/accessPolicy.ts`); the queries apply it while they compute, so a
 * figure that would include another participant's indication is never computed for the caller.
 */
export type ReadScope =
  | { readonly kind: 'all' }
  /** Only this participant's own indications, proposal share and history. */
  | { readonly kind: 'own'; readonly memberState: string };

export const ALL_PARTICIPANTS: ReadScope = Object.freeze({ kind: 'all' });

export function ownScope(memberState: string): ReadScope {
  return { kind: 'own', memberState };
}

export function inScope(scope: ReadScope, memberState: string): boolean {
  return scope.kind === 'all' || scope.memberState === memberState;
}

export function withinScope<T extends { readonly memberState: string }>(
  scope: ReadScope,
  items: readonly T[],
): T[] {
  return items.filter((item) => inScope(scope, item.memberState));
}
