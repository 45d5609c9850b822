import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTracker, type RunningTracker } from '../../src/main';
import { loadConfig } from '../../src/config/config';
import { sha256Hex } from '../../src/api/auth';

/**
 * Two replicas over one event store (here one SQLite file, opened twice): a write through one is
 * read through the other, either by naming the write's log position or by plain catch-up.
 */
describe('two replicas over one event store', () => {
  const commissionToken = 'replica-commission-token-0123456789';
  const deToken = 'replica-de-token-0123456789';
  let directory: string;
  let replicas: RunningTracker[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-replicas-'));
    writeFileSync(
      join(directory, 'tokens.json'),
      JSON.stringify({
        tokens: [
          { name: 'dg-home', role: 'commission', sha256: sha256Hex(commissionToken) },
          {
            name: 'de-ministry',
            role: 'member_state',
            memberState: 'DE',
            sha256: sha256Hex(deToken),
          },
        ],
      }),
    );
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      PLEDGES_DB_FILE: join(directory, 'pledges.db'),
      PLEDGES_TOKENS_FILE: join(directory, 'tokens.json'),
    });
    replicas = [
      await startTracker(config, () => undefined),
      await startTracker(config, () => undefined),
    ];
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  const call = async (
    replica: number,
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const port = replicas[replica]?.port;
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('reads on one replica what was written through the other', async () => {
    const year = new Date().getUTCFullYear();
    const planId = `${year}-${year + 1}`;
    const created = await call(0, commissionToken, 'POST', '/api/v1/plans', {
      planId,
      periodStart: `${year}-01-01`,
      periodEnd: `${year + 1}-12-31`,
    });
    expect(created.status).toBe(201);
    const opened = await call(
      1,
      commissionToken,
      'POST',
      `/api/v1/plans/${planId}/pledging/open`,
      {},
    );
    expect(opened.status).toBe(200);
    // A write answers with the plan in its GET shape: the other replica reads the same body.
    const read = await call(0, commissionToken, 'GET', `/api/v1/plans/${planId}`, undefined, {
      'x-min-position': opened.headers.get('x-log-position') ?? '',
    });
    expect(read.body).toEqual(opened.body);

    const pledged = await call(
      0,
      deToken,
      'PUT',
      `/api/v1/plans/${planId}/pledges/DE`,
      { lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 1200 }] },
      { 'if-none-match': '*' },
    );
    expect(pledged.status).toBe(201);
    const position = pledged.headers.get('x-log-position') ?? '';

    const named = await call(1, deToken, 'GET', `/api/v1/plans/${planId}/pledges/DE`, undefined, {
      'x-min-position': position,
    });
    expect(named.status).toBe(200);
    expect(named.body['total']).toBe(1200);

    const revised = await call(
      1,
      deToken,
      'PUT',
      `/api/v1/plans/${planId}/pledges/DE`,
      {
        lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons: 900 }],
        reason: 'Budget',
      },
      { 'if-match': named.headers.get('etag') ?? '' },
    );
    expect(revised.status).toBe(200);
    const plain = await call(0, commissionToken, 'GET', `/api/v1/plans/${planId}/totals`);
    expect(plain.body['total']).toBe(900);

    for (const replica of [0, 1]) {
      const replay = await call(replica, commissionToken, 'POST', '/api/v1/audit/replay');
      expect(replay.body['ok']).toBe(true);
    }
  });
});
