/**
 * The child of the crash suite: many concurrent appenders on one SQLite store, each on its own
 * stream, two events an append, each under an idempotency key. It prints one line per append as
 * soon as the store acknowledges it (stdout to a pipe is synchronous, so a printed line was
 * acknowledged before anything else happened), until it is killed.
 *   crashAppender <file> <appenders>
 */
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';

export interface Acknowledged {
  readonly streamId: string;
  readonly version: number;
  readonly lastPosition: number;
  readonly eventIds: readonly string[];
}

export const FINGERPRINT = 'sha256:crash-suite';

async function main(): Promise<void> {
  const [file, appenders] = process.argv.slice(2);
  if (file === undefined || appenders === undefined) throw new Error('usage: <file> <appenders>');
  const store = openSqliteEventStore(file);
  await Promise.all(
    Array.from({ length: Number(appenders) }, async (_, index) => {
      const streamId = `crash-${index}`;
      // A later round goes on where the last one was acknowledged, or further.
      let version = (await store.readStream(streamId)).version;
      for (;;) {
        const eventIds = [randomUUID(), randomUUID()];
        const result = await store.append(
          streamId,
          eventIds.map((id, offset) => ({
            id,
            type: 'PledgeRevised',
            data: { version: version + offset + 1, note: 'x'.repeat(index * 10) },
            metadata: { appender: index },
          })),
          {
            expectedVersion: version,
            idempotency: { key: `${streamId}:${version}`, fingerprint: FINGERPRINT },
          },
        );
        version = result.nextExpectedVersion;
        const line: Acknowledged = {
          streamId,
          version,
          lastPosition: result.lastPosition,
          eventIds,
        };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      }
    }),
  );
}

// Run as the child; imported by the suite only for its types.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
