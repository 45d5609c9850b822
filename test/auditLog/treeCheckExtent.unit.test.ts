/**
 * The full check reads the log and the tree in batches while others append to both (the writer
 * thread commits between the check's reads). An append landing between two of its reads must not
 * look like an event deleted or inserted: the check covers the extent read in one snapshot at its
 * start and leaves the rest to the next check.
 */
import { eventLeafHash, type LoggedEvent } from '../../src/auditLog/auditRecord';
import { checkTree, type StoredLeaf, type TreeCheckSource } from '../../src/auditLog/treeCheck';

function loggedEvent(position: number): LoggedEvent {
  return {
    id: `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`,
    streamId: `pledge-${position % 7}`,
    streamVersion: Math.floor(position / 7) + 1,
    globalPosition: position,
    type: 'PledgeSubmitted',
    data: { sequence: position },
    metadata: { schemaVersion: 1, recordedAt: '2026-11-30T10:00:00.000Z' },
  };
}

/** A log and its leaves (no interior nodes: the tail check does not read them). */
class GrowingLog {
  readonly events: LoggedEvent[] = [];
  readonly leaves: StoredLeaf[] = [];
  /** Runs once, inside the next events read past the end: an append committed between reads. */
  beforeNextEventsPastEnd: (() => void) | undefined;

  append(): void {
    const event = loggedEvent(this.events.length + 1);
    this.events.push(event);
    this.leaves.push({
      leafIndex: this.leaves.length,
      position: event.globalPosition,
      hash: eventLeafHash(event),
    });
  }

  source(withExtent: boolean): TreeCheckSource {
    return {
      events: (after, limit) => {
        const last = this.events.at(-1)?.globalPosition ?? 0;
        if (after >= last && this.beforeNextEventsPastEnd !== undefined) {
          const append = this.beforeNextEventsPastEnd;
          this.beforeNextEventsPastEnd = undefined;
          append();
        }
        return this.events.filter((e) => e.globalPosition > after).slice(0, limit);
      },
      leaves: (fromIndex, limit) => this.leaves.slice(fromIndex, fromIndex + limit),
      nodes: () => [],
      eventCount: () => this.events.length,
      leafCount: () => this.leaves.length,
      ...(withExtent && {
        extent: () => ({
          leafCount: this.leaves.length,
          eventCount: this.events.length,
          lastPosition: this.events.at(-1)?.globalPosition ?? 0,
        }),
      }),
    };
  }
}

describe('a check while the log grows', () => {
  function logOf(size: number): GrowingLog {
    const log = new GrowingLog();
    for (let i = 0; i < size; i++) log.append();
    return log;
  }

  it('reports nothing when an event and its leaf are appended between its reads', async () => {
    const log = logOf(2500);
    log.beforeNextEventsPastEnd = () => log.append();
    const check = await checkTree(log.source(true), { tail: 100 });
    expect(check.mismatch).toBeUndefined();
    expect(check).toMatchObject({ ok: true, treeSize: 2500, eventCount: 2500 });
    expect(log.events).toHaveLength(2501);
  });

  it('without one snapshot of its extent, the same append reads as an event inserted', async () => {
    const log = logOf(2500);
    log.beforeNextEventsPastEnd = () => log.append();
    const check = await checkTree(log.source(false), { tail: 100 });
    expect(check.mismatch?.kind).toBe('inserted');
  });

  it('still finds an event present at its start that the tree does not record', async () => {
    const log = logOf(300);
    log.events.push(loggedEvent(301));
    const check = await checkTree(log.source(true), { tail: 100 });
    expect(check.mismatch?.kind).toBe('inserted');
  });
});
