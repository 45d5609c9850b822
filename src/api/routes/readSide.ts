import type { Projection } from '../../projections/projection';
import type { Projector } from '../../projections/projector';
import type { GlobalPosition } from '../../eventStore/port';

export type AsOf = { readonly timestamp: string } | { readonly position: number };

/**
 * The state a GET answers from: live (caught up first, so a client reads its own writes) or
 * rebuilt as it stood at `asOf`.
 */
export async function readState<S>(
  projector: Projector,
  projection: Projection<S>,
  asOf: AsOf | undefined,
): Promise<{ state: S; position: GlobalPosition; asOf?: AsOf }> {
  if (asOf === undefined) {
    const position = await projector.catchUp();
    return { state: projector.state(projection), position };
  }
  await projector.catchUp();
  const { state, position } = await projector.stateAsOf(projection, asOf);
  return { state, position, asOf };
}
