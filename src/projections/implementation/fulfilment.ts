/** Fulfilment of an adopted plan: admitted against adopted (as amended), pace, checks, AMIF earned. */
import type { PlanReadModelState } from '../planReadModel/model';
import type { ReadScope } from '../readScope';
import type { Fulfilment } from './fulfilmentTypes';

/**
 * Undefined when there is no such plan; `'not_adopted'` when the plan has no adopted contributions
 * yet. `referenceInstant` (ISO) is when pace and missing months are measured.
 */
export function getFulfilment(
  state: PlanReadModelState,
  planId: string,
  scope: ReadScope,
  referenceInstant: string,
): Fulfilment | 'not_adopted' | undefined {
  void state;
  void planId;
  void scope;
  void referenceInstant;
  throw new Error('getFulfilment: being written');
}
