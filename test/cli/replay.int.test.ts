import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import { createTracker, type RequestContext } from '../../src/application/tracker';
import { openSqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore';
import { runTypeScript } from './typeScriptChild';

const commission: RequestContext = {
  actor: { id: 'dg-home', role: 'commission' },
  correlationId: 'setup',
  requestId: 'setup',
};
const ministry = (memberState: string): RequestContext => ({
  actor: { id: `${memberState.toLowerCase()}-ministry`, role: 'member_state', memberState },
  correlationId: 'setup',
  requestId: uuidv4(),
});

describe('npm run replay', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-replay-cli-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('rebuilds every projection of a store file from nothing and reports that they agree with the live state', async () => {
    const file = join(directory, 'pledges.db');
    const store = openSqliteEventStore(file);
    const tracker = createTracker({ store, clock: () => new Date(), newId: uuidv4 });
    await tracker.createPlan(
      { planId: '2030-2031', periodStart: '2030-01-01', periodEnd: '2031-12-31' },
      commission,
    );
    await tracker.openPledging('2030-2031', {}, commission);
    for (let revision = 0; revision < 12; revision++) {
      const memberState = ['DE', 'FR', 'SE'][revision % 3] ?? 'DE';
      await tracker.putPledge(
        '2030-2031',
        memberState,
        {
          lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 100 + revision }],
          reason: `Revision ${revision}`,
        },
        ministry(memberState),
      );
    }
    await store.close();

    const finished = await runTypeScript('src/cli/replay', [file]);

    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);
    const report = JSON.parse(finished.stdout) as {
      store: string;
      ok: boolean;
      eventCount: number;
      projections: { name: string; equal: boolean }[];
    };
    expect(report.store).toBe('sqlite');
    expect(report.ok).toBe(true);
    expect(report.eventCount).toBe(14);
    expect(report.projections.length).toBeGreaterThan(0);
    expect(report.projections.every((projection) => projection.equal)).toBe(true);
  });

  it('exits 2, saying why, when the store file does not exist', async () => {
    const finished = await runTypeScript('src/cli/replay', [join(directory, 'missing.db')]);

    expect(finished.code).toBe(2);
    expect(finished.stderr).toMatch(/No event store at .*missing\.db/);
  });
});
