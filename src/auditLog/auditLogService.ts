/**
 * The server's side of the verifiable log: it signs tree heads with the audit key (on a timer while
 * the log grows, and on request), keeps the latest one in a file beside the key, and checks at start
 * that the stored tree matches the log and extends every head it signed before. Once the log and
 * its tree disagree (or the log is shorter than, or differs from, a head it signed) it signs no
 * more heads and the API refuses writes, until an operator restarts it on a repaired store: signing
 * a rewritten history would vouch for it.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuditTree, TreeCheck, TreeMismatch, TreeMismatchKind } from '../eventStore/port';
import { STORE_RETRY_AFTER_SECONDS } from '../eventStore/port';
import type { Logger } from '../observability/logging';
import { writeFileAtomically } from '../files/writeFileAtomically';
import { canonicalJson } from './canonicalJson';
import { hashesEqual } from './merkleTree';
import { publishedJwk, type PublishedJwk } from './signingKey';
import {
  generateTreeHeadKeyPair,
  signTreeHead,
  treeHead,
  verifyTreeHead,
  type SignedTreeHead,
} from './treeHead';

export const DEFAULT_SIGN_INTERVAL_MS = 2_000;
/** `/ready` recomputes this many of the last leaves (and compares the counts). */
export const READY_CHECK_TAIL = 64;
/**
 * Up to this many events the full check runs before the server listens (about a second); a larger
 * log is checked at its tail before listening and in full in the background, with no head signed
 * until that check has passed, so a restart on a large store is not held up by it.
 */
export const INLINE_FULL_CHECK_EVENTS = 100_000;

/**
 * How the log differs from what was recorded of it: the tree's own kinds, or against the saved head
 * `rolled_back` (the log is shorter than a head it signed) and `rewritten` (its root at that size is
 * not the one signed).
 */
export type AuditLogMismatchKind = TreeMismatchKind | 'rolled_back' | 'rewritten';

export interface AuditLogMismatch extends Omit<TreeMismatch, 'kind'> {
  readonly kind: AuditLogMismatchKind;
  /** For `rolled_back` and `rewritten`: the size of the head signed before. */
  readonly treeSize?: number;
}

/** Writes are refused while the log does not match what was recorded of it. */
export class AuditLogMismatchError extends Error {
  override readonly name = 'AuditLogMismatchError';
  constructor(readonly mismatch: AuditLogMismatch) {
    super(`The log does not match its Merkle tree: ${mismatch.message}`);
  }

  get retryAfterSeconds(): number {
    return STORE_RETRY_AFTER_SECONDS.integrity;
  }
}

/** What `/ready` reports of the log (`checks.auditLog`). */
export interface AuditLogStatus {
  readonly ok: boolean;
  readonly treeSize: number;
  readonly eventCount: number;
  readonly lastCheck: 'full' | 'tail';
  readonly checkedAt: string;
  /** `running` while the start's full check of a large log goes on in the background; `not_run` before `start()`. */
  readonly fullCheck: 'passed' | 'running' | 'failed' | 'not_run';
  readonly mismatch?: AuditLogMismatch;
  readonly latestHead?: { readonly treeSize: number; readonly timestamp: string };
  /** The check could not run (the store failed): the figures are those of the last check. */
  readonly error?: string;
}

/** The saved head file, the export's last line and the web app's saved head share this form. */
export interface HeadWithKey {
  readonly treeHead: SignedTreeHead;
  readonly publicKey: PublishedJwk;
}

/** A full check of the log against its tree under way away from the event loop. */
export interface RunningTreeCheck {
  /** What the check found; undefined when `stop()` ended it first. */
  readonly result: Promise<TreeCheck | undefined>;
  /** Ends the check and waits until it has stopped. */
  stop(): Promise<void>;
}

/**
 * Starts the same full check as `AuditTree.check()` somewhere the event loop does not wait on (a
 * worker thread with its own read-only connection to the store), so requests are answered while
 * a large log is checked.
 */
export type TreeCheckRunner = () => RunningTreeCheck;

export interface AuditLogServiceOptions {
  readonly tree: AuditTree;
  readonly privateKey: KeyObject;
  /** Where the latest signed head is kept; none (memory only) by default. */
  readonly headFile?: string;
  /** The time heads are signed at. Default the system clock. */
  readonly clock?: () => Date;
  /** How often the timer signs a head while the log grows. Default 2000 ms. */
  readonly signIntervalMs?: number;
  /** Logs of more events are checked in full in the background. Default `INLINE_FULL_CHECK_EVENTS`. */
  readonly inlineFullCheckEvents?: number;
  /**
   * Where the full checks after the start run (the background one, and one locating a change).
   * Default on the event loop, by `tree.check()`: a store no other thread can open (in memory), or
   * one whose tree is built in memory from the log (EventStoreDB), has nothing another thread
   * could check.
   */
  readonly fullCheckRunner?: TreeCheckRunner;
  readonly log?: Logger;
}

export class AuditLogService {
  readonly publicKey: KeyObject;
  readonly jwk: PublishedJwk;
  /** The log's tree, as the store keeps it: proofs are read from it. */
  readonly tree: AuditTree;
  private readonly privateKey: KeyObject;
  private readonly headFile: string | undefined;
  private readonly clock: () => Date;
  private readonly signIntervalMs: number;
  private readonly inlineFullCheckEvents: number;
  private readonly fullCheckRunner: TreeCheckRunner | undefined;
  /** Full checks under way in the runner: `close()` ends them. */
  private readonly running = new Set<RunningTreeCheck>();
  private readonly log: Logger;
  /** The start's full check while it runs in the background; heads are signed only after it. */
  private fullCheck: Promise<void> | undefined;
  private fullCheckState: AuditLogStatus['fullCheck'] = 'not_run';
  private latest: SignedTreeHead | undefined;
  private found: AuditLogMismatch | undefined;
  private status: AuditLogStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Signatures one at a time, so the saved head only ever grows. */
  private signing: Promise<unknown> = Promise.resolve();

  constructor(options: AuditLogServiceOptions) {
    this.tree = options.tree;
    this.privateKey = options.privateKey;
    this.publicKey = createPublicKey(options.privateKey);
    this.jwk = publishedJwk(this.publicKey);
    this.headFile = options.headFile;
    this.clock = options.clock ?? (() => new Date());
    this.signIntervalMs = options.signIntervalMs ?? DEFAULT_SIGN_INTERVAL_MS;
    this.inlineFullCheckEvents = options.inlineFullCheckEvents ?? INLINE_FULL_CHECK_EVENTS;
    this.fullCheckRunner = options.fullCheckRunner;
    this.log = options.log ?? (() => undefined);
  }

  /** A service with a key made for this run only (tests, and an app built without one). */
  static withEphemeralKey(
    tree: AuditTree,
    options: Omit<AuditLogServiceOptions, 'tree' | 'privateKey' | 'headFile'> = {},
  ): AuditLogService {
    return new AuditLogService({
      ...options,
      tree,
      privateKey: generateTreeHeadKeyPair().privateKey,
    });
  }

  /** The mismatch found, if any: writes are refused and no head is signed while there is one. */
  get mismatch(): AuditLogMismatch | undefined {
    return this.found;
  }

  /**
   * The start check: the whole tree against the whole log, and the tree against the head saved at
   * the last run. Starts the signing timer when both hold. A head file that cannot be read, or that
   * this key did not sign, stops the start: it is the only memory of what was signed before.
   */
  async start(): Promise<AuditLogStatus> {
    const saved = this.headFile === undefined ? undefined : this.readSavedHead(this.headFile);
    const inline = (await this.tree.size()) <= this.inlineFullCheckEvents;
    const check = await this.tree.check(inline ? {} : { tail: READY_CHECK_TAIL });
    let mismatch: AuditLogMismatch | undefined = check.mismatch;
    if (mismatch === undefined && saved !== undefined) {
      mismatch = await this.extensionMismatch(saved, check.treeSize);
    }
    this.latest = saved;
    this.fullCheckState = mismatch !== undefined ? 'failed' : inline ? 'passed' : 'running';
    this.status = this.statusOf(
      inline ? 'full' : 'tail',
      check.treeSize,
      check.eventCount,
      mismatch,
    );
    if (mismatch !== undefined) {
      this.fail(mismatch);
    } else {
      if (!inline) this.fullCheck = this.checkInFull();
      this.startTimer();
    }
    return this.status;
  }

  /** The start's full check of a large log, while the server serves; it fails the service on a mismatch. */
  private async checkInFull(): Promise<void> {
    try {
      const check = await this.fullTreeCheck();
      if (check === undefined) {
        // Ended by `close()`: nothing was found, and nothing passed, so no head is signed after it.
        this.log({
          level: 'info',
          msg: 'the full check of the log against its Merkle tree was ended by the shutdown',
        });
        return;
      }
      if (check.mismatch !== undefined) {
        this.fullCheckState = 'failed';
        this.fail(check.mismatch);
      } else {
        this.fullCheckState = 'passed';
        this.log({
          level: 'info',
          msg: 'the full check of the log against its Merkle tree passed',
          treeSize: check.treeSize,
        });
      }
      this.status = this.statusOf('full', check.treeSize, check.eventCount, check.mismatch);
    } catch (error) {
      this.fullCheckState = 'failed';
      this.fail({
        kind: 'edited',
        message: `the full check of the log against its tree could not run: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  /** Stops the timer, ends a full check under way in the runner, and waits for a signature under way. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.running].map((check) => check.stop()));
    await this.fullCheck;
    await this.ticking;
    await this.signing.catch(() => undefined);
  }

  /** Throws `AuditLogMismatchError` while the log does not match what was recorded of it. */
  assertWritable(): void {
    if (this.found !== undefined) throw new AuditLogMismatchError(this.found);
  }

  /** The latest signed head; when the log has grown since, a head for its current size, signed now. */
  async latestHead(): Promise<SignedTreeHead> {
    this.assertWritable();
    const size = await this.currentSize();
    const latest = this.latest;
    if (latest !== undefined && latest.treeSize === size) return latest;
    return this.sign(size);
  }

  /** The latest head signed, without signing one (undefined before the first). */
  lastSignedHead(): SignedTreeHead | undefined {
    return this.latest;
  }

  /** A head for exactly the first `treeSize` leaves, signed now (for an export). */
  async headFor(treeSize: number): Promise<SignedTreeHead> {
    this.assertWritable();
    return this.sign(treeSize);
  }

  /**
   * Something served from the log did not hash to the tree (an export's records to its root): the
   * log changed under the running server. A full check locates it and refuses writes from then on;
   * should the check find nothing (the change was undone meanwhile), `suspected` is kept.
   */
  async investigate(suspected: string): Promise<AuditLogMismatch> {
    const check = await this.fullTreeCheck();
    const mismatch: AuditLogMismatch = check?.mismatch ?? { kind: 'edited', message: suspected };
    this.fail(mismatch);
    this.status = this.statusOf(
      'full',
      check?.treeSize ?? this.status?.treeSize ?? 0,
      check?.eventCount ?? this.status?.eventCount ?? 0,
      mismatch,
    );
    return mismatch;
  }

  /**
   * `tree.check()` in full, in the runner when there is one (undefined if `close()` ended it). A
   * mismatch the runner found on its own connection is latched on the tree, as its own check
   * would: the store then refuses appends and reports itself failed.
   */
  private async fullTreeCheck(): Promise<TreeCheck | undefined> {
    if (this.fullCheckRunner === undefined) return this.tree.check();
    const running = this.fullCheckRunner();
    this.running.add(running);
    try {
      const check = await running.result;
      if (check?.mismatch !== undefined) this.tree.noteMismatch(check.mismatch);
      return check;
    } finally {
      this.running.delete(running);
    }
  }

  /** The cheap check `/ready` runs: the last leaves and the counts. A mismatch refuses writes from then on. */
  async readiness(): Promise<AuditLogStatus> {
    if (this.found !== undefined && this.status !== undefined) {
      return { ...this.status, ...this.latestHeadField() };
    }
    let check: TreeCheck;
    try {
      check = await this.tree.check({ tail: READY_CHECK_TAIL });
    } catch (error) {
      return {
        ok: false,
        treeSize: this.status?.treeSize ?? 0,
        eventCount: this.status?.eventCount ?? 0,
        lastCheck: 'tail',
        checkedAt: this.clock().toISOString(),
        fullCheck: this.fullCheckState,
        ...this.latestHeadField(),
        error: error instanceof Error ? error.message : String(error),
      };
    }
    if (check.mismatch !== undefined) this.fail(check.mismatch);
    this.status = this.statusOf('tail', check.treeSize, check.eventCount, check.mismatch);
    return this.status;
  }

  // ---- signing ----

  private sign(treeSize: number): Promise<SignedTreeHead> {
    const signed = this.signing.then(async () => {
      // Nothing is vouched for before the whole log has been checked against its tree.
      await this.fullCheck;
      this.assertWritable();
      if (this.fullCheckState === 'running') {
        throw new Error('The full check of the log was ended before it passed: no head is signed');
      }
      const root = await this.tree.root(treeSize);
      const head = signTreeHead(treeHead(treeSize, root, this.clock()), this.privateKey);
      // A head for an earlier size (an export up to a position) is served, not kept as the latest.
      if (this.latest === undefined || treeSize >= this.latest.treeSize) {
        this.latest = head;
        if (this.headFile !== undefined) this.saveHead(this.headFile, head);
      }
      return head;
    });
    this.signing = signed.catch(() => undefined);
    return signed;
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.signIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, this.signIntervalMs);
    // The timer keeps no process alive: a test or a shutdown need not wait for it.
    this.timer.unref();
  }

  /** Signs when the log has grown (or shrunk: then the head says so, and the check will too). */
  private async tick(): Promise<void> {
    if (this.found !== undefined) return;
    try {
      const size = await this.currentSize();
      if (this.latest?.treeSize !== size) await this.sign(size);
    } catch (error) {
      this.log({
        level: 'warn',
        msg: 'could not sign a tree head',
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** The tree's size; one smaller than a head already signed is a rollback under the running server. */
  private async currentSize(): Promise<number> {
    const size = await this.tree.size();
    const latest = this.latest;
    if (latest !== undefined && size < latest.treeSize) {
      this.fail(rolledBack(size, latest));
      this.assertWritable();
    }
    return size;
  }

  // ---- the saved head ----

  private readSavedHead(file: string): SignedTreeHead | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`Cannot read the saved tree head ${file}`);
    }
    let head: SignedTreeHead | undefined;
    try {
      head = (JSON.parse(text) as Partial<HeadWithKey>).treeHead;
    } catch {
      head = undefined;
    }
    if (head === undefined || typeof head !== 'object') {
      throw new Error(`The saved tree head ${file} is not a {treeHead, publicKey} JSON file`);
    }
    if (!verifyTreeHead(head, this.publicKey)) {
      throw new Error(
        `The saved tree head ${file} is not signed by the audit key ${this.jwk.kid}: if the key was replaced on purpose, move the head file aside (an auditor's saved heads still tell whether the log was rewritten)`,
      );
    }
    return head;
  }

  private saveHead(file: string, head: SignedTreeHead): void {
    const saved: HeadWithKey = { treeHead: head, publicKey: this.jwk };
    try {
      writeFileAtomically(file, `${canonicalJson(saved)}\n`);
    } catch (error) {
      this.log({
        level: 'error',
        msg: 'could not save the latest tree head',
        file,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** The tree must extend the head signed before: at least as large, the same root at its size. */
  private async extensionMismatch(
    saved: SignedTreeHead,
    treeSize: number,
  ): Promise<AuditLogMismatch | undefined> {
    if (treeSize < saved.treeSize) return rolledBack(treeSize, saved);
    const root = await this.tree.root(saved.treeSize);
    if (!hashesEqual(root, Buffer.from(saved.rootHash, 'base64'))) {
      return {
        kind: 'rewritten',
        treeSize: saved.treeSize,
        message: `the first ${saved.treeSize} events do not have the root of the head signed at ${saved.timestamp}: the log was rewritten`,
      };
    }
    return undefined;
  }

  // ---- state ----

  private fail(mismatch: AuditLogMismatch): void {
    if (this.found !== undefined) return;
    this.found = mismatch;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.log({
      level: 'error',
      msg: 'the log does not match its Merkle tree: writes are refused and no tree head is signed until a restart on a repaired store',
      kind: mismatch.kind,
      ...(mismatch.position !== undefined && { position: mismatch.position }),
      detail: mismatch.message,
    });
  }

  private statusOf(
    lastCheck: 'full' | 'tail',
    treeSize: number,
    eventCount: number,
    mismatch: AuditLogMismatch | undefined,
  ): AuditLogStatus {
    return {
      ok: mismatch === undefined,
      treeSize,
      eventCount,
      lastCheck,
      checkedAt: this.clock().toISOString(),
      fullCheck: this.fullCheckState,
      ...(mismatch !== undefined && { mismatch }),
      ...this.latestHeadField(),
    };
  }

  private latestHeadField(): Pick<AuditLogStatus, 'latestHead'> {
    const latest = this.latest;
    return latest === undefined
      ? {}
      : { latestHead: { treeSize: latest.treeSize, timestamp: latest.timestamp } };
  }
}

function rolledBack(treeSize: number, signed: SignedTreeHead): AuditLogMismatch {
  return {
    kind: 'rolled_back',
    treeSize: signed.treeSize,
    message: `the log holds ${treeSize} events, fewer than the ${signed.treeSize} of the head signed at ${signed.timestamp}: it was rolled back`,
  };
}
