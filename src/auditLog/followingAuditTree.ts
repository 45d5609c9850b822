/**
 * The Merkle tree of a store that does not keep one beside its events (the in-memory store,
 * EventStoreDB): built in memory from the log at first use and extended from the log before every
 * answer, so it always covers every event committed when the call began. On EventStoreDB each
 * replica builds its own; the tree is a function of the log, so all replicas agree.
 */
import type { AuditTree, GlobalPosition, RecordedEvent, TreeCheck } from '../eventStore/port';
import { eventLeafHash } from './auditRecord';
import {
  appendLeaf,
  consistencyProof,
  inclusionProof,
  MemoryTreeNodes,
  rootAt,
} from './merkleTree';

const READ_BATCH = 1000;

export type LogReader = (
  fromPosition: GlobalPosition,
  maxCount: number,
) => Promise<readonly RecordedEvent[]>;

export class FollowingAuditTree implements AuditTree {
  private readonly nodes = new MemoryTreeNodes();
  /** Leaf index → the event's position, ascending. */
  private readonly positions: number[] = [];
  private catchingUp: Promise<void> | undefined;

  constructor(private readonly readLog: LogReader) {}

  async size(): Promise<number> {
    await this.catchUp();
    return this.positions.length;
  }

  async sizeAt(position: GlobalPosition): Promise<number> {
    await this.catchUp();
    return upperBound(this.positions, position);
  }

  async leafIndexOf(position: GlobalPosition): Promise<number | undefined> {
    await this.catchUp();
    const index = upperBound(this.positions, position) - 1;
    return index >= 0 && this.positions[index] === position ? index : undefined;
  }

  async root(treeSize: number): Promise<Uint8Array> {
    await this.catchUp();
    return rootAt(this.nodes, treeSize);
  }

  async inclusionProof(leafIndex: number, treeSize: number): Promise<Uint8Array[]> {
    await this.catchUp();
    return inclusionProof(this.nodes, leafIndex, treeSize);
  }

  async consistencyProof(fromSize: number, toSize: number): Promise<Uint8Array[]> {
    await this.catchUp();
    return consistencyProof(this.nodes, fromSize, toSize);
  }

  /** Nothing is stored apart from the log: the tree is rebuilt from it, so it matches by construction. */
  async check(): Promise<TreeCheck> {
    await this.catchUp();
    const size = this.positions.length;
    return { ok: true, treeSize: size, eventCount: size, checkedLeaves: 0 };
  }

  /** Nothing to hold: no other connection keeps a tree of its own to check against this one. */
  noteMismatch(): void {
    // The tree is rebuilt from the log, so no check of it, here or elsewhere, finds a mismatch.
  }

  /** One catch-up at a time: concurrent callers share it, and the leaves go in in log order. */
  private catchUp(): Promise<void> {
    this.catchingUp ??= this.readNew().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const from = this.positions.at(-1) ?? 0;
      const events = await this.readLog(from, READ_BATCH);
      for (const event of events) {
        appendLeaf(this.nodes, eventLeafHash(event));
        this.positions.push(event.globalPosition);
      }
      if (events.length < READ_BATCH) return;
    }
  }
}

/** The number of entries <= `value` in an ascending array. */
export function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
