import type { RecordedEvent } from '../../eventStore/port';
import { decodeRecordedEvent, type TrackerRecordedEvent } from '../../events/trackerRecordedEvent';
import type { UnionPlanEvent } from '../../domain/unionPlan/unionPlan';
import { evolvePlanRecord, type PlanRecord } from './model';

/**
 * A plan's record folded from its own stream's events, as the read model folds it: how a write
 * answers with the plan's one response shape, exactly as of the version it wrote.
 */
export function planRecordFromStream(events: readonly RecordedEvent[]): PlanRecord | undefined {
  let record: PlanRecord | undefined;
  for (const recorded of events) {
    const decoded = decodeRecordedEvent(recorded);
    record = evolvePlanRecord(record, decoded, decoded as TrackerRecordedEvent & UnionPlanEvent);
  }
  return record;
}
