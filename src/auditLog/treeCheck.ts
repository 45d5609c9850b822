/**
 * Compares a log with the Merkle tree recorded for it, in one pass over both in order: every
 * event's leaf is recomputed from its content and matched with the leaf stored for its position,
 * and every stored interior node with the hash of its stored children. Store-neutral: the caller
 * reads events and nodes in batches (SQLite cannot interleave two open cursors on one connection).
 */
import type { TreeCheck, TreeMismatch } from '../eventStore/port';
import { eventLeafHash, type LoggedEvent } from './auditRecord';
import { hashesEqual, nodeHash } from './merkleTree';

export interface StoredLeaf {
  readonly leafIndex: number;
  readonly position: number;
  readonly hash: Uint8Array;
}

export interface StoredNode {
  readonly index: number;
  readonly hash: Uint8Array;
}

export interface TreeCheckSource {
  /** Events with position > `afterPosition`, in log order, at most `limit`. */
  events(afterPosition: number, limit: number): readonly LoggedEvent[];
  /** Stored leaves with index >= `fromIndex`, in order, at most `limit`. */
  leaves(fromIndex: number, limit: number): readonly StoredLeaf[];
  /** Stored nodes of `level` (>= 1) with index >= `fromIndex`, in order, at most `limit`. */
  nodes(level: number, fromIndex: number, limit: number): readonly StoredNode[];
  /** The number of events in the log, and of leaves in the tree. */
  eventCount(): number;
  leafCount(): number;
  /**
   * The leaf count, the event count and the last event's position read together, in one snapshot
   * of a store that others append to while the check runs. The check then covers that extent and
   * leaves what is appended meanwhile to the next one. Without it, the two counts are read apart.
   */
  extent?(): TreeExtent;
}

export interface TreeExtent {
  readonly leafCount: number;
  readonly eventCount: number;
  /** The last event's position (0 for an empty log). */
  readonly lastPosition: number;
}

const BATCH = 2000;

interface Edited {
  readonly event: LoggedEvent;
  readonly leaf: StoredLeaf;
}

/**
 * The full check, or with `tail` only the last `tail` leaves, the events from there on, and the
 * counts (a deletion further back shows as a count mismatch, located by a full check).
 * `yieldEvery` lets a long check give the event loop a turn between batches.
 */
export async function checkTree(
  source: TreeCheckSource,
  options: { readonly tail?: number; readonly yieldBetweenBatches?: () => Promise<void> } = {},
): Promise<TreeCheck> {
  const extent = source.extent?.() ?? {
    leafCount: source.leafCount(),
    eventCount: source.eventCount(),
    lastPosition: Number.POSITIVE_INFINITY,
  };
  const treeSize = extent.leafCount;
  const eventCount = extent.eventCount;
  // Events and leaves appended after the extent was read are not this check's: they are cut off,
  // so an append landing between two batch reads never looks like an inserted or deleted event.
  const eventsOf = (batch: readonly LoggedEvent[]): readonly LoggedEvent[] => {
    const end = batch.findIndex((event) => event.globalPosition > extent.lastPosition);
    return end === -1 ? batch : batch.slice(0, end);
  };
  const leavesOf = (batch: readonly StoredLeaf[]): readonly StoredLeaf[] => {
    const end = batch.findIndex((leaf) => leaf.leafIndex >= treeSize);
    return end === -1 ? batch : batch.slice(0, end);
  };
  const pause = options.yieldBetweenBatches ?? (() => Promise.resolve());
  const firstLeaf = options.tail === undefined ? 0 : Math.max(0, treeSize - options.tail);
  let afterPosition = 0;
  if (firstLeaf > 0) {
    afterPosition = source.leaves(firstLeaf - 1, 1)[0]?.position ?? 0;
  }
  const result = (checkedLeaves: number, mismatch?: TreeMismatch): TreeCheck => ({
    ok: mismatch === undefined,
    treeSize,
    eventCount,
    checkedLeaves,
    ...(mismatch !== undefined && { mismatch }),
  });

  let events: readonly LoggedEvent[] = eventsOf(source.events(afterPosition, BATCH));
  let leaves: readonly StoredLeaf[] = leavesOf(source.leaves(firstLeaf, BATCH));
  let e = 0;
  let l = 0;
  let checked = 0;
  const edited: Edited[] = [];
  for (;;) {
    if (e === events.length && events.length > 0) {
      afterPosition = events[events.length - 1]!.globalPosition;
      events = eventsOf(source.events(afterPosition, BATCH));
      e = 0;
      await pause();
    }
    if (l === leaves.length && leaves.length > 0) {
      leaves = leavesOf(source.leaves(leaves[leaves.length - 1]!.leafIndex + 1, BATCH));
      l = 0;
    }
    const event = events[e];
    const leaf = leaves[l];
    if (event === undefined && leaf === undefined) break;
    if (leaf === undefined || (event !== undefined && event.globalPosition < leaf.position)) {
      const at = event!;
      const last = leaf === undefined;
      return result(
        checked,
        edited[0] !== undefined
          ? editedMismatch(edited)
          : {
              kind: 'inserted',
              position: at.globalPosition,
              message: last
                ? `the event at position ${at.globalPosition} (stream ${at.streamId}, version ${at.streamVersion}) was added after the last event the tree records`
                : `the event at position ${at.globalPosition} (stream ${at.streamId}, version ${at.streamVersion}) was inserted: the tree records no event there`,
            },
      );
    }
    if (event === undefined || event.globalPosition > leaf.position) {
      return result(
        checked,
        edited[0] !== undefined
          ? editedMismatch(edited)
          : {
              kind: 'deleted',
              position: leaf.position,
              leafIndex: leaf.leafIndex,
              message: `the event recorded at position ${leaf.position} (leaf ${leaf.leafIndex}) is missing from the log`,
            },
      );
    }
    checked++;
    if (!hashesEqual(eventLeafHash(event), leaf.hash)) {
      edited.push({ event, leaf });
      // A swap shows as two edits; more than a few edits are reported as the first of them.
      if (edited.length >= 8) return result(checked, editedMismatch(edited));
    }
    e++;
    l++;
  }
  if (edited.length > 0) return result(checked, editedMismatch(edited));
  if (eventCount !== treeSize) {
    return result(checked, {
      kind: eventCount < treeSize ? 'deleted' : 'inserted',
      message: `the log holds ${eventCount} events but the tree records ${treeSize}: ${
        eventCount < treeSize ? 'an event was deleted' : 'an event was inserted'
      } further back (a full check locates it)`,
    });
  }
  if (options.tail === undefined) {
    const node = await checkNodes(source, treeSize, pause);
    if (node !== undefined) return result(checked, node);
  }
  return result(checked);
}

/** The first edit, or a swap when two edited events each match the other's leaf. */
function editedMismatch(edited: readonly Edited[]): TreeMismatch {
  const [first, ...rest] = edited as [Edited, ...Edited[]];
  for (const other of rest) {
    if (
      hashesEqual(eventLeafHash(at(first.event, other.leaf.position)), other.leaf.hash) &&
      hashesEqual(eventLeafHash(at(other.event, first.leaf.position)), first.leaf.hash)
    ) {
      return {
        kind: 'reordered',
        position: first.leaf.position,
        leafIndex: first.leaf.leafIndex,
        recordedAt: other.leaf.position,
        message: `the events at positions ${first.leaf.position} and ${other.leaf.position} were swapped: each holds what the tree records for the other`,
      };
    }
  }
  return {
    kind: 'edited',
    position: first.leaf.position,
    leafIndex: first.leaf.leafIndex,
    message: `the event at position ${first.leaf.position} (stream ${first.event.streamId}, version ${first.event.streamVersion}) was changed after it was recorded: its content no longer matches leaf ${first.leaf.leafIndex}`,
  };
}

function at(event: LoggedEvent, position: number): LoggedEvent {
  return { ...event, globalPosition: position };
}

/** Every stored node of level >= 1 against the hash of its two stored children, level by level. */
async function checkNodes(
  source: TreeCheckSource,
  treeSize: number,
  pause: () => Promise<void>,
): Promise<TreeMismatch | undefined> {
  for (let level = 1; 2 ** level <= treeSize; level++) {
    const complete = Math.floor(treeSize / 2 ** level);
    const childLevel = (fromIndex: number, limit: number): readonly StoredNode[] =>
      level === 1
        ? source
            .leaves(fromIndex, limit)
            .map((leaf) => ({ index: leaf.leafIndex, hash: leaf.hash }))
        : source.nodes(level - 1, fromIndex, limit);
    for (let start = 0; start < complete; start += BATCH) {
      const count = Math.min(BATCH, complete - start);
      const parents = source.nodes(level, start, count);
      const children = childLevel(2 * start, 2 * count);
      for (let i = 0; i < count; i++) {
        const index = start + i;
        const parent = parents[i];
        const left = children[2 * i];
        const right = children[2 * i + 1];
        if (
          parent === undefined ||
          parent.index !== index ||
          left === undefined ||
          right === undefined ||
          left.index !== 2 * index ||
          right.index !== 2 * index + 1 ||
          !hashesEqual(nodeHash(left.hash, right.hash), parent.hash)
        ) {
          return {
            kind: 'tree_node',
            message: `the tree's node at level ${level}, index ${index} (over leaves ${index * 2 ** level} to ${(index + 1) * 2 ** level - 1}) is missing or is not the hash of its children: the stored tree was edited`,
          };
        }
      }
      await pause();
    }
  }
  return undefined;
}
