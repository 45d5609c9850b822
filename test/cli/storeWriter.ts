/**
 * A second process writing to an SQLite store, as the server does while a backup runs: it revises
 * the pledges of the plan `BACKUP_PLAN_ID` again and again, says `ready` over IPC after its first
 * few appends, and on `stop` finishes its current write, reports how many it made, and exits.
 */
import { v4 as uuidv4 } from 'uuid';
import { createTracker } from '../../src/application/tracker';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';

export const BACKUP_PLAN_ID = '2030-2031';
export const WRITER_MEMBER_STATES = ['DE', 'FR', 'SE'] as const;

export type WriterMessage =
  | { readonly kind: 'ready'; readonly appended: number }
  | { readonly kind: 'stopped'; readonly appended: number };

async function write(file: string): Promise<void> {
  const store = openSqliteEventStore(file);
  const tracker = createTracker({ store, clock: () => new Date(), newId: uuidv4 });
  let stopping = false;
  process.on('message', (message) => {
    if (message === 'stop') stopping = true;
  });
  let appended = 0;
  while (!stopping) {
    const memberState = WRITER_MEMBER_STATES[appended % WRITER_MEMBER_STATES.length] ?? 'DE';
    await tracker.putPledge(
      BACKUP_PLAN_ID,
      memberState,
      {
        lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 100 + appended }],
        reason: `Revision ${appended}`,
      },
      {
        actor: { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState },
        correlationId: uuidv4(),
        requestId: uuidv4(),
      },
    );
    appended++;
    if (appended === 5) send({ kind: 'ready', appended });
    // The store answers without I/O waits: yield, or the 'stop' message is never read.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.close();
  send({ kind: 'stopped', appended });
  process.disconnect();
}

function send(message: WriterMessage): void {
  process.send?.(message);
}

if (require.main === module) {
  write(process.argv[2] ?? '').catch((error: unknown) => {
    process.stderr.write(
      `writer failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
