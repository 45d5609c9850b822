/**
 * The log's Merkle tree kept in the SQLite file beside the events, written in the append's own
 * transaction, so the tree and the log commit together or not at all. One table holds every
 * stored node (each leaf, with its event's position, and the root of every complete subtree),
 * numbered in post-order: appending a leaf writes it and then exactly the subtrees it completes,
 * which are the next numbers in post-order, so every append adds rows at the end of one b-tree
 * (one page written, where a table per level and an index would dirty several). A root or proof
 * reads O(log n) rows by primary key.
 */
import type Database from 'better-sqlite3';
import { eventLeafHash, type LoggedEvent } from '../../auditLog/auditRecord';
import {
  appendLeaf,
  consistencyProof,
  inclusionProof,
  rootAt,
  type NodeWrite,
  type TreeNodes,
  type WritableTreeNodes,
} from '../../auditLog/merkleTree';
import {
  checkTree,
  type StoredLeaf,
  type StoredNode,
  type TreeExtent,
} from '../../auditLog/treeCheck';
import {
  AuditTreeMismatchError,
  type AuditTree,
  type GlobalPosition,
  type TreeCheck,
  type TreeMismatch,
} from '../port';
import { EVENT_COLUMNS, rawToRecordedEvent, type RawEventRow } from './eventRows';

type Statements = ReturnType<typeof prepareStatements>;

const BACKFILL_BATCH = 1000;

function popcount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** How many nodes a tree of `leaves` leaves stores: every leaf and every complete subtree's root. */
function storedNodes(leaves: number): number {
  return 2 * leaves - popcount(leaves);
}

/**
 * The post-order number of the node at (level, index), the root of leaves
 * [index * 2^level, (index + 1) * 2^level): the nodes stored for the leaves before it, then its
 * own subtree's 2^(level+1) - 1 nodes, itself last.
 */
export function postOrderNumber(level: number, index: number): number {
  return storedNodes(index * 2 ** level) + 2 ** (level + 1) - 2;
}

/** The leaf index whose post-order number is `node`, or undefined if `node` is no leaf's. */
function leafIndexOfNode(node: number): number | undefined {
  // storedNodes is strictly increasing, so the leaf is found by bisection.
  let low = 0;
  let high = node + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (storedNodes(middle) < node) low = middle + 1;
    else high = middle;
  }
  return storedNodes(low) === node ? low : undefined;
}

function prepareStatements(db: Database.Database) {
  return {
    // Leaves are the rows with a position; from the end, at most log2(n) interior rows come first.
    lastLeaf: db
      .prepare<[], [number, number]>(
        'SELECT node, global_position FROM audit_tree WHERE global_position IS NOT NULL ORDER BY node DESC LIMIT 1',
      )
      .raw(),
    headPosition: db.prepare<[], number | null>('SELECT MAX(global_position) FROM events').pluck(),
    eventCount: db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck(),
    nodeHash: db.prepare<[number], Buffer>('SELECT hash FROM audit_tree WHERE node = ?').pluck(),
    leafPosition: db
      .prepare<[number], number | null>('SELECT global_position FROM audit_tree WHERE node = ?')
      .pluck(),
    insertNode: db.prepare<[number, Buffer, number | null]>(
      'INSERT INTO audit_tree (node, hash, global_position) VALUES (?, ?, ?)',
    ),
    eventsAfter: db
      .prepare<[number, number], RawEventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
      )
      .raw(),
    leavesFrom: db
      .prepare<[number, number], [number, number, Buffer]>(
        'SELECT node, global_position, hash FROM audit_tree WHERE node >= ? AND global_position IS NOT NULL ORDER BY node LIMIT ?',
      )
      .raw(),
  };
}

/** The stored nodes as the pure tree functions read them, and the inserts that store new ones. */
class SqliteTreeNodes implements TreeNodes {
  constructor(private readonly statements: Statements) {}

  /** The last leaf's index + 1 (0 for an empty tree), and its event's position. */
  lastLeaf(): { readonly count: number; readonly position: number } {
    const row = this.statements.lastLeaf.get();
    if (row === undefined) return { count: 0, position: 0 };
    const index = leafIndexOfNode(row[0]);
    // A position on a row that is no leaf's: the stored tree was edited; the check names it.
    return { count: index === undefined ? row[0] : index + 1, position: row[1] };
  }

  leafCount(): number {
    return this.lastLeaf().count;
  }

  hashAt(level: number, index: number): Uint8Array | undefined {
    return this.statements.nodeHash.get(postOrderNumber(level, index));
  }

  /** The position of leaf `index`'s event (undefined past the end). */
  positionOf(index: number): number | undefined {
    return this.statements.leafPosition.get(postOrderNumber(0, index)) ?? undefined;
  }

  /** Stores one append's nodes; the leaf among them keeps `position`, its event's. */
  insert(nodes: readonly NodeWrite[], position: number): void {
    for (const { level, index, hash } of nodes) {
      const bytes = Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength);
      this.statements.insertNode.run(
        postOrderNumber(level, index),
        bytes,
        level === 0 ? position : null,
      );
    }
  }
}

/**
 * Appends leaves inside one transaction, which holds the write lock: the leaf count is read once
 * at its start and then kept as leaves go in, rather than read back before every leaf. An append
 * rolled back to its savepoint takes its leaves with it, so its writer rewinds the count too.
 */
export class TreeAppender implements WritableTreeNodes {
  private count: number;
  private position = 0;

  constructor(private readonly nodes: SqliteTreeNodes) {
    this.count = nodes.leafCount();
  }

  /** The leaf of the event just inserted at `event.globalPosition`, and the subtrees it completes. */
  append(event: LoggedEvent): void {
    this.position = event.globalPosition;
    appendLeaf(this, eventLeafHash(event));
  }

  leafCount(): number {
    return this.count;
  }

  /** Back to `count` leaves, after the rows of the leaves past it were rolled back. */
  rewind(count: number): void {
    this.count = count;
  }

  hashAt(level: number, index: number): Uint8Array | undefined {
    return this.nodes.hashAt(level, index);
  }

  writeNodes(nodes: readonly NodeWrite[], leafCount: number): void {
    this.nodes.insert(nodes, this.position);
    this.count = leafCount;
  }
}

export class SqliteAuditTree implements AuditTree {
  private readonly statements: Statements;
  private readonly nodes: SqliteTreeNodes;
  /** The leaf count, event count and last position, read in one snapshot. */
  private readonly readExtent: () => TreeExtent;

  constructor(
    db: Database.Database,
    /** Runs a read as the store runs its own (closed check, failures translated and noted). */
    private readonly guarded: <T>(operation: string, work: () => T) => Promise<T>,
    /** Told of every mismatch a check finds: the store then refuses appends. */
    private readonly onMismatch: (mismatch: TreeMismatch) => void,
  ) {
    this.statements = prepareStatements(db);
    this.nodes = new SqliteTreeNodes(this.statements);
    const statements = this.statements;
    const nodes = this.nodes;
    // One read transaction: appends commit from another thread (the writer) while a check runs,
    // and three separate reads could straddle one and see a leaf without its event or the reverse.
    this.readExtent = db.transaction((): TreeExtent => ({
      leafCount: nodes.leafCount(),
      eventCount: statements.eventCount.get() ?? 0,
      lastPosition: statements.headPosition.get() ?? 0,
    }));
  }

  /**
   * Inside the append transaction, before the events go in: the log's last event must be the
   * tree's last leaf; anything else was written behind the tracker's back (or the tree was cut).
   * Returns what appends the transaction's leaves.
   */
  beginAppend(): TreeAppender {
    const head = this.statements.headPosition.get() ?? 0;
    const lastLeaf = this.nodes.lastLeaf().position;
    if (head === lastLeaf) return new TreeAppender(this.nodes);
    const mismatch: TreeMismatch =
      head > lastLeaf
        ? {
            kind: 'inserted',
            position: head,
            message: `the log ends at position ${head} but the tree's last leaf is the event at position ${lastLeaf}: events were added behind the tracker's back`,
          }
        : {
            kind: 'deleted',
            position: lastLeaf,
            message: `the tree's last leaf is the event at position ${lastLeaf} but the log ends at position ${head}: events were deleted`,
          };
    this.onMismatch(mismatch);
    throw new AuditTreeMismatchError(mismatch);
  }

  size(): Promise<number> {
    return this.guarded('read the audit tree', () => this.nodes.leafCount());
  }

  sizeAt(position: GlobalPosition): Promise<number> {
    return this.guarded('read the audit tree', () => this.leavesUpTo(position));
  }

  leafIndexOf(position: GlobalPosition): Promise<number | undefined> {
    return this.guarded('read the audit tree', () => {
      const index = this.leavesUpTo(position) - 1;
      return index >= 0 && this.nodes.positionOf(index) === position ? index : undefined;
    });
  }

  root(treeSize: number): Promise<Uint8Array> {
    return this.guarded('read the audit tree', () => rootAt(this.readOnlyNodes(), treeSize));
  }

  inclusionProof(leafIndex: number, treeSize: number): Promise<Uint8Array[]> {
    return this.guarded('read the audit tree', () =>
      inclusionProof(this.readOnlyNodes(), leafIndex, treeSize),
    );
  }

  consistencyProof(fromSize: number, toSize: number): Promise<Uint8Array[]> {
    return this.guarded('read the audit tree', () =>
      consistencyProof(this.readOnlyNodes(), fromSize, toSize),
    );
  }

  async check(options: { readonly tail?: number } = {}): Promise<TreeCheck> {
    const statements = this.statements;
    const result = await checkTree(
      {
        events: (afterPosition, limit) =>
          statements.eventsAfter.all(afterPosition, limit).map(rawToRecordedEvent),
        // Rows as arrays and hashes as the driver's own buffers (a Buffer is a Uint8Array): the
        // check reads every leaf and node, so no per-row object or copy beyond what it keeps.
        leaves: (fromIndex, limit): StoredLeaf[] => {
          let expected = fromIndex;
          return statements.leavesFrom
            .all(postOrderNumber(0, fromIndex), limit)
            .map(([node, position, hash]) => {
              // Leaves come in order, so each is the next index; only a row out of place (a
              // position on a node that is no leaf's) is looked up, as leaf -1 if it is none.
              const leafIndex =
                node === postOrderNumber(0, expected) ? expected : (leafIndexOfNode(node) ?? -1);
              expected = leafIndex + 1;
              return { leafIndex, position, hash };
            });
        },
        // A level's nodes are spread through the table: one primary-key read each.
        nodes: (level, fromIndex, limit): StoredNode[] => {
          const found: StoredNode[] = [];
          for (let index = fromIndex; index < fromIndex + limit; index++) {
            const hash = statements.nodeHash.get(postOrderNumber(level, index));
            if (hash === undefined) break;
            found.push({ index, hash });
          }
          return found;
        },
        eventCount: () => statements.eventCount.get() ?? 0,
        leafCount: () => this.nodes.leafCount(),
        extent: () => this.readExtent(),
      },
      {
        ...(options.tail !== undefined && { tail: options.tail }),
        yieldBetweenBatches: () => new Promise((resolve) => setImmediate(resolve)),
      },
    );
    if (result.mismatch !== undefined) this.onMismatch(result.mismatch);
    return result;
  }

  /** Appends are refused from then on, as after a mismatch this tree's own check found. */
  noteMismatch(mismatch: TreeMismatch): void {
    this.onMismatch(mismatch);
  }

  /**
   * How many leaves have a position up to `position`: leaves' positions increase with their
   * index, so by bisection over the leaf count, one primary-key read a step.
   */
  private leavesUpTo(position: GlobalPosition): number {
    let low = 0;
    let high = this.nodes.leafCount();
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if ((this.nodes.positionOf(middle) ?? Infinity) <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The leaf count read once per call, so a proof sees one tree even if a writer slips in. */
  private readOnlyNodes(): TreeNodes {
    const count = this.nodes.leafCount();
    return { leafCount: () => count, hashAt: (level, index) => this.nodes.hashAt(level, index) };
  }
}

/**
 * Gives every event after the tree's last leaf a leaf, in log order: the migration that creates
 * the tree runs it over a store written by an earlier release. It must run inside a transaction.
 */
export function extendAuditTree(db: Database.Database): number {
  const statements = prepareStatements(db);
  const nodes = new SqliteTreeNodes(statements);
  const appender = new TreeAppender(nodes);
  let after = nodes.lastLeaf().position;
  let added = 0;
  for (;;) {
    const batch = statements.eventsAfter.all(after, BACKFILL_BATCH);
    for (const row of batch) {
      const event = rawToRecordedEvent(row);
      appender.append(event);
      after = event.globalPosition;
      added++;
    }
    if (batch.length < BACKFILL_BATCH) return added;
  }
}
