/**
 * The log's Merkle tree kept in the SQLite file beside the events: one leaf row per event and the
 * interior node of every complete subtree, written in the append's own transaction, so the tree
 * and the log commit together or not at all. A root or proof reads O(log n) rows by primary key.
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
import { checkTree, type StoredLeaf, type StoredNode } from '../../auditLog/treeCheck';
import {
  AuditTreeMismatchError,
  type AuditTree,
  type GlobalPosition,
  type TreeCheck,
  type TreeMismatch,
} from '../port';

type Statements = ReturnType<typeof prepareStatements>;

type RawEvent = readonly [string, string, number, number, string, string, string];

const BACKFILL_BATCH = 1000;

function prepareStatements(db: Database.Database) {
  return {
    leafCount: db
      .prepare<[], number | null>('SELECT MAX(leaf_index) + 1 FROM audit_leaves')
      .pluck(),
    lastLeafPosition: db
      .prepare<[], number | null>(
        'SELECT global_position FROM audit_leaves ORDER BY leaf_index DESC LIMIT 1',
      )
      .pluck(),
    headPosition: db.prepare<[], number | null>('SELECT MAX(global_position) FROM events').pluck(),
    eventCount: db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck(),
    leafHash: db
      .prepare<[number], Buffer>('SELECT hash FROM audit_leaves WHERE leaf_index = ?')
      .pluck(),
    nodeHash: db
      .prepare<[number, number], Buffer>(
        'SELECT hash FROM audit_nodes WHERE level = ? AND node_index = ?',
      )
      .pluck(),
    leafIndexOf: db
      .prepare<[number], number>('SELECT leaf_index FROM audit_leaves WHERE global_position = ?')
      .pluck(),
    sizeAt: db
      .prepare<[number], number | null>(
        'SELECT MAX(leaf_index) + 1 FROM audit_leaves WHERE global_position <= ?',
      )
      .pluck(),
    insertLeaf: db.prepare<[number, number, Buffer]>(
      'INSERT INTO audit_leaves (leaf_index, global_position, hash) VALUES (?, ?, ?)',
    ),
    insertNode: db.prepare<[number, number, Buffer]>(
      'INSERT INTO audit_nodes (level, node_index, hash) VALUES (?, ?, ?)',
    ),
    eventsAfter: db
      .prepare<[number, number], RawEvent>(
        'SELECT event_id, stream_id, stream_version, global_position, type, data, metadata FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?',
      )
      .raw(),
    leavesFrom: db
      .prepare<[number, number], [number, number, Buffer]>(
        'SELECT leaf_index, global_position, hash FROM audit_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?',
      )
      .raw(),
    nodesFrom: db
      .prepare<[number, number, number], [number, Buffer]>(
        'SELECT node_index, hash FROM audit_nodes WHERE level = ? AND node_index >= ? ORDER BY node_index LIMIT ?',
      )
      .raw(),
  };
}

/** The stored nodes as the pure tree functions read them; writes go to the tables. */
class SqliteTreeNodes implements WritableTreeNodes {
  /** The position of the event whose leaf the next `writeNodes` stores. */
  position = 0;

  constructor(private readonly statements: Statements) {}

  leafCount(): number {
    return this.statements.leafCount.get() ?? 0;
  }

  hashAt(level: number, index: number): Uint8Array | undefined {
    const hash =
      level === 0
        ? this.statements.leafHash.get(index)
        : this.statements.nodeHash.get(level, index);
    return hash === undefined ? undefined : new Uint8Array(hash);
  }

  writeNodes(nodes: readonly NodeWrite[]): void {
    for (const { level, index, hash } of nodes) {
      const bytes = Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength);
      if (level === 0) this.statements.insertLeaf.run(index, this.position, bytes);
      else this.statements.insertNode.run(level, index, bytes);
    }
  }
}

export class SqliteAuditTree implements AuditTree {
  private readonly statements: Statements;
  private readonly nodes: SqliteTreeNodes;

  constructor(
    db: Database.Database,
    /** Runs a read as the store runs its own (closed check, failures translated and noted). */
    private readonly guarded: <T>(operation: string, work: () => T) => Promise<T>,
    /** Told of every mismatch a check finds: the store then refuses appends. */
    private readonly onMismatch: (mismatch: TreeMismatch) => void,
  ) {
    this.statements = prepareStatements(db);
    this.nodes = new SqliteTreeNodes(this.statements);
  }

  /**
   * Inside the append transaction, before the events go in: the log's last event must be the
   * tree's last leaf; anything else was written behind the tracker's back (or the tree was cut).
   */
  assertTailMatches(): void {
    const head = this.statements.headPosition.get() ?? 0;
    const lastLeaf = this.statements.lastLeafPosition.get() ?? 0;
    if (head === lastLeaf) return;
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

  /** Inside the append transaction, after the event's row is inserted at `event.globalPosition`. */
  appendEvent(event: LoggedEvent): void {
    this.nodes.position = event.globalPosition;
    appendLeaf(this.nodes, eventLeafHash(event));
  }

  size(): Promise<number> {
    return this.guarded('read the audit tree', () => this.nodes.leafCount());
  }

  sizeAt(position: GlobalPosition): Promise<number> {
    return this.guarded('read the audit tree', () => this.statements.sizeAt.get(position) ?? 0);
  }

  leafIndexOf(position: GlobalPosition): Promise<number | undefined> {
    return this.guarded('read the audit tree', () => this.statements.leafIndexOf.get(position));
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
          statements.eventsAfter.all(afterPosition, limit).map(toLoggedEvent),
        // Rows as arrays and hashes as the driver's own buffers (a Buffer is a Uint8Array): the
        // check reads every leaf and node, so no per-row object or copy beyond what it keeps.
        leaves: (fromIndex, limit): StoredLeaf[] =>
          statements.leavesFrom
            .all(fromIndex, limit)
            .map(([leafIndex, position, hash]) => ({ leafIndex, position, hash })),
        nodes: (level, fromIndex, limit): StoredNode[] =>
          statements.nodesFrom
            .all(level, fromIndex, limit)
            .map(([index, hash]) => ({ index, hash })),
        eventCount: () => statements.eventCount.get() ?? 0,
        leafCount: () => statements.leafCount.get() ?? 0,
      },
      {
        ...(options.tail !== undefined && { tail: options.tail }),
        yieldBetweenBatches: () => new Promise((resolve) => setImmediate(resolve)),
      },
    );
    if (result.mismatch !== undefined) this.onMismatch(result.mismatch);
    return result;
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
  let after = statements.lastLeafPosition.get() ?? 0;
  let added = 0;
  for (;;) {
    const batch = statements.eventsAfter.all(after, BACKFILL_BATCH);
    for (const row of batch) {
      const event = toLoggedEvent(row);
      nodes.position = event.globalPosition;
      appendLeaf(nodes, eventLeafHash(event));
      after = event.globalPosition;
      added++;
    }
    if (batch.length < BACKFILL_BATCH) return added;
  }
}

function toLoggedEvent(row: RawEvent): LoggedEvent {
  const [id, streamId, streamVersion, globalPosition, type, data, metadata] = row;
  return {
    id,
    streamId,
    streamVersion,
    globalPosition,
    type,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
  };
}
