/**
 * The `default` of a switch that must handle every member of a union: a member left out makes
 * `value` not `never`, so the switch fails to compile instead of ignoring the new case.
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
