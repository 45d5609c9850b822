import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { spawnTypeScript } from '../cli/typeScriptChild';
import { FINGERPRINT, type Acknowledged } from './crashAppender';

const APPENDERS = 16;
/** Each round kills the child once this many appends were acknowledged: from the first few to hundreds. */
const KILL_AFTER = [1, 7, 60, 250, 600];

/**
 * Runs the child until `killAfter` acknowledgements have been read, then SIGKILLs it (the process
 * and its writer thread, wherever they are: inside a commit, between two, in an fsync) and returns
 * every acknowledgement it printed in full.
 */
async function appendUntilKilled(file: string, killAfter: number): Promise<Acknowledged[]> {
  const child = spawnTypeScript('test/eventStore/crashAppender', [file, String(APPENDERS)]);
  const acknowledged: Acknowledged[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('close', (_code, signal) => resolve(signal)),
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) acknowledged.push(JSON.parse(line) as Acknowledged);
    if (acknowledged.length >= killAfter) child.kill('SIGKILL');
  });
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`The appender stopped on its own: ${stderr}`);
  // A line cut short by the kill was never printed whole: its append may or may not be there.
  return acknowledged;
}

describe('SqliteEventStore killed while appending', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-crash-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append, whole, with contiguous versions and a sound tree', async () => {
    const file = join(dir, 'crash.db');
    const everAcknowledged: Acknowledged[] = [];

    for (const killAfter of KILL_AFTER) {
      const acknowledged = await appendUntilKilled(file, killAfter);
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
      everAcknowledged.push(...acknowledged);

      const store = openSqliteEventStore(file);
      try {
        const streams = new Map<string, Awaited<ReturnType<typeof store.readStream>>>();
        for (let index = 0; index < APPENDERS; index++) {
          const streamId = `crash-${index}`;
          // readStream refuses a stream whose versions are not 1, 2, 3, …
          const read = await store.readStream(streamId);
          streams.set(streamId, read);
          // Two events an append: an odd version would be half an append.
          expect(read.version % 2).toBe(0);
        }
        for (const ack of everAcknowledged) {
          const read = streams.get(ack.streamId);
          expect(read).toBeDefined();
          const [first, second] = [ack.version - 1, ack.version].map(
            (version) => read?.events[version - 1],
          );
          expect([first?.id, second?.id]).toEqual(ack.eventIds);
          expect(second?.globalPosition).toBe(ack.lastPosition);
          await expect(
            store.findIdempotentResult({
              key: `${ack.streamId}:${ack.version - 2}`,
              fingerprint: FINGERPRINT,
            }),
          ).resolves.toEqual({
            streamId: ack.streamId,
            nextExpectedVersion: ack.version,
            lastPosition: ack.lastPosition,
            replayed: true,
          });
        }
        const events = [...streams.values()].reduce((sum, read) => sum + read.events.length, 0);
        expect(await store.auditTree.check()).toMatchObject({
          ok: true,
          treeSize: events,
          eventCount: events,
        });
      } finally {
        await store.close();
      }
    }
  }, 120_000);
});
