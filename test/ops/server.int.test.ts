import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawConnection, closed, untilReceived } from './rawSocket';
import { sha256Hex } from '../../src/api/auth';
import { loadConfig } from '../../src/config/config';
import { startTracker, type RunningTracker } from '../../src/main';

const COMMISSION_TOKEN = 'server-commission-token-0123456789';

describe('the HTTP server', () => {
  let directory: string;
  let running: RunningTracker | undefined;

  const start = async (environment: Record<string, string> = {}) => {
    running = await startTracker(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        PLEDGES_DB_FILE: join(directory, 'pledges.db'),
        PLEDGES_TOKENS_FILE: join(directory, 'tokens.json'),
        ...environment,
      }),
      () => undefined,
    );
    return running;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-server-'));
    writeFileSync(
      join(directory, 'tokens.json'),
      JSON.stringify({
        tokens: [{ name: 'dg-home', role: 'commission', sha256: sha256Hex(COMMISSION_TOKEN) }],
      }),
    );
  });

  afterEach(async () => {
    await running?.close();
    running = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  it('caps connections and bounds how long a client may take', async () => {
    const { server } = await start({ PLEDGES_MAX_CONNECTIONS: '250' });

    expect(server.maxConnections).toBe(250);
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
  });

  it('drops a connection beyond PLEDGES_MAX_CONNECTIONS without answering it', async () => {
    const { port } = await start({ PLEDGES_MAX_CONNECTIONS: '1' });
    const first = await rawConnection(port);
    first.write('GET /health HTTP/1.1\r\nHost: tracker\r\n\r\n');
    await untilReceived(first, '{"status":"ok"}');

    const second = await rawConnection(port).catch(() => undefined);
    second?.on('error', () => undefined);
    second?.write('GET /health HTTP/1.1\r\nHost: tracker\r\n\r\n');
    if (second) await closed(second);

    expect(second?.received() ?? '').toBe('');
    first.destroy();
  });

  it('on close, lets a request in flight finish, then closes its connection', async () => {
    const { port, server } = await start({ PLEDGES_READ_WAIT_MS: '300' });
    const idle = await rawConnection(port);
    idle.write('GET /health HTTP/1.1\r\nHost: tracker\r\n\r\n');
    await untilReceived(idle, '{"status":"ok"}');
    const busy = await rawConnection(port);
    const arrived = new Promise((resolve) => server.once('request', resolve));
    // A write whose body is still on its way when the server is told to close: in flight.
    const body = JSON.stringify({
      planId: '2026-2027',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
    });
    busy.write(
      `POST /api/v1/plans HTTP/1.1\r\nHost: tracker\r\nAuthorization: Bearer ${COMMISSION_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await arrived;

    const closing = running?.close();
    await closed(idle);
    busy.write(body.slice(10));
    await closed(busy);
    await closing;

    expect(busy.received()).toMatch(/^HTTP\/1\.1 201 /);
    expect(busy.received()).toMatch(/\r\nConnection: close\r\n/i);
    expect(idle.received()).not.toContain('503');
  });

  it('reads PLEDGES_MAX_CONNECTIONS and PLEDGES_SHUTDOWN_GRACE_MS, with defaults', () => {
    expect(loadConfig({})).toMatchObject({
      PLEDGES_MAX_CONNECTIONS: 1000,
      PLEDGES_SHUTDOWN_GRACE_MS: 10_000,
    });
    expect(
      loadConfig({ PLEDGES_MAX_CONNECTIONS: '50', PLEDGES_SHUTDOWN_GRACE_MS: '500' }),
    ).toMatchObject({ PLEDGES_MAX_CONNECTIONS: 50, PLEDGES_SHUTDOWN_GRACE_MS: 500 });
    expect(() => loadConfig({ PLEDGES_MAX_CONNECTIONS: '0' })).toThrow(/PLEDGES_MAX_CONNECTIONS/);
    expect(() => loadConfig({ PLEDGES_SHUTDOWN_GRACE_MS: '-1' })).toThrow(
      /PLEDGES_SHUTDOWN_GRACE_MS/,
    );
  });
});
