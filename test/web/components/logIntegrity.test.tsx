/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { auditRecordLine, type LoggedEvent } from '../../../src/auditLog/auditRecord';
import {
  appendLeaf,
  consistencyProof,
  inclusionProof,
  leafHash,
  MemoryTreeNodes,
  rootAt,
} from '../../../src/auditLog/merkleTree';
import {
  generateTreeHeadKeyPair,
  publicKeyToJwk,
  signTreeHead,
  treeHead,
  type SignedTreeHead,
} from '../../../src/auditLog/treeHead';
import type { Schema } from '../../../web/src/api/client';
import { AuditFeedPage } from '../../../web/src/screens/auditor/AuditFeedPage';
import { LogIntegrityPage } from '../../../web/src/screens/auditor/LogIntegrityPage';
import { SAVED_HEAD_STORAGE_KEY } from '../../../web/src/screens/auditor/savedHead';
import { stubFetch, type FetchStub, type StubResponse } from './support/fetchStub';
import { AUDITOR, renderScreen } from './support/render';

jest.setTimeout(20_000);

// Browsers have Blob#text; jsdom's Blob does not, but has FileReader.
beforeAll(() => {
  Blob.prototype.text ??= function (this: Blob) {
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
      reader.readAsText(this);
    });
  };
});

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function pledgeEvent(position: number, persons: number): LoggedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamId: 'pledge-2026-2027-DE',
    streamVersion: position,
    globalPosition: position,
    type: position === 1 ? 'PledgeSubmitted' : 'PledgeRevised',
    data: { lines: [{ admissionType: 'resettlement', hostCountry: 'TR', persons }] },
    metadata: {
      recordedAt: new Date(Date.UTC(2026, 10, 30, 10, position)).toISOString(),
      schemaVersion: 2,
      actorId: 'dev:de-desk-officer',
    },
  };
}

/**
 * The server's side, made with the server's own functions: a log of events, its tree, heads
 * signed with a real Ed25519 key, and the audit endpoints answering from them. The tests then
 * tamper with it as a dishonest operator could.
 */
class FakeAuditLog {
  readonly keys = generateTreeHeadKeyPair();
  readonly jwk = { ...publicKeyToJwk(this.keys.publicKey), alg: 'EdDSA', use: 'sig' };
  events: LoggedEvent[] = [];
  /** What the record endpoint sends instead of the logged record, by position. */
  readonly shownRecords = new Map<number, string>();
  /** A change made to the head after signing it. */
  headChange: Partial<SignedTreeHead> = {};
  private clock = Date.UTC(2026, 11, 1, 12, 0, 0);

  constructor(size: number) {
    for (let p = 1; p <= size; p++) this.events.push(pledgeEvent(p, 100 + p));
  }

  append(count: number): void {
    const start = this.events.length + 1;
    for (let p = start; p < start + count; p++) this.events.push(pledgeEvent(p, 100 + p));
  }

  private tree(): MemoryTreeNodes {
    const store = new MemoryTreeNodes();
    for (const event of this.events) {
      appendLeaf(store, leafHash(Buffer.from(auditRecordLine(event), 'utf8')));
    }
    return store;
  }

  head(): SignedTreeHead {
    this.clock += 1000;
    const size = this.events.length;
    const signed = signTreeHead(
      treeHead(size, rootAt(this.tree(), size), new Date(this.clock)),
      this.keys.privateKey,
    );
    return { ...signed, ...this.headChange };
  }

  routes(): Record<string, StubResponse | ((request: Request) => StubResponse)> {
    const routes: Record<string, StubResponse | ((request: Request) => StubResponse)> = {
      'GET /api/v1/audit/key': () => ({ body: this.jwk }),
      'GET /api/v1/audit/tree-head': () => ({ body: this.head() }),
      'GET /api/v1/audit/proof/inclusion': (request) => {
        const query = new URL(request.url).searchParams;
        const position = Number(query.get('position'));
        const treeSize = Number(query.get('treeSize'));
        const leafIndex = this.events.findIndex((e) => e.globalPosition === position);
        if (leafIndex < 0) return notInLog(position);
        const path = inclusionProof(this.tree(), leafIndex, treeSize).map(b64);
        return { body: { leafIndex, treeSize, path } };
      },
      'GET /api/v1/audit/proof/consistency': (request) => {
        const query = new URL(request.url).searchParams;
        const from = Number(query.get('from'));
        const to = Number(query.get('to'));
        return { body: { from, to, path: consistencyProof(this.tree(), from, to).map(b64) } };
      },
    };
    for (let p = 1; p <= 99; p++) {
      routes[`GET /api/v1/audit/records/${p}`] = () => {
        const event = this.events.find((e) => e.globalPosition === p);
        if (event === undefined) return notInLog(p);
        return {
          text: this.shownRecords.get(p) ?? auditRecordLine(event),
          headers: { 'Content-Type': 'application/json' },
        };
      };
    }
    return routes;
  }
}

function notInLog(position: number): StubResponse {
  return {
    status: 404,
    body: {
      type: 'about:blank',
      title: 'No event at that log position',
      status: 404,
      detail: `No event sits at log position ${position}.`,
      code: 'position_not_in_log',
    },
  };
}

function section(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

describe('the log integrity page', () => {
  let log: FakeAuditLog;
  let server: FetchStub;
  let downloads: Blob[];
  const createObjectURL = URL.createObjectURL;
  const revokeObjectURL = URL.revokeObjectURL;

  beforeEach(() => {
    localStorage.clear();
    log = new FakeAuditLog(5);
    server = stubFetch(log.routes());
    downloads = [];
    URL.createObjectURL = (blob: Blob) => {
      downloads.push(blob);
      return 'blob:tree-head';
    };
    URL.revokeObjectURL = () => undefined;
    HTMLAnchorElement.prototype.click = jest.fn();
  });
  afterEach(() => {
    server.restore();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });

  const open = () =>
    renderScreen(<LogIntegrityPage />, { url: '/audit/integrity', session: AUDITOR });

  it('shows the latest head with its signature verified in the browser', async () => {
    open();
    const latest = section('Latest signed head');
    await within(latest).findByText('Signed by the key published at', {
      exact: false,
    });
    expect(within(latest).getByText('5')).toBeTruthy();
    expect(within(latest).getByText(rootOf(log))).toBeTruthy();
    expect(within(latest).getAllByRole('status')[0]!.textContent).toMatch(/^Signature valid/);
  });

  it.each([
    ['a changed tree size', { treeSize: 4 }],
    ['a changed time', { timestamp: '2026-12-01T12:00:09.000Z' }],
  ])('says plainly when the signature fails (%s) and offers no saving', async (_what, change) => {
    log.headChange = change;
    open();
    const latest = section('Latest signed head');
    await within(latest).findByText('Signature NOT valid');
    expect(within(latest).getAllByRole('status')[0]!.textContent).toContain(
      'the signature does not match the head and the key',
    );
    expect(
      within(latest).getByRole<HTMLButtonElement>('button', { name: 'Save this head' }).disabled,
    ).toBe(true);
  });

  it('saves the head, then finds the log only grew when events were appended', async () => {
    open();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Save this head' }));

    await screen.findByText(/downloaded as tree-head-5\.json and kept in this browser/);
    expect(downloads).toHaveLength(1);
    const file = JSON.parse(await downloads[0]!.text());
    expect(Object.keys(file)).toEqual(['treeHead', 'publicKey']);
    expect(file.treeHead.treeSize).toBe(5);
    expect(file.publicKey.x).toBe(log.jwk.x);
    expect(JSON.parse(localStorage.getItem(SAVED_HEAD_STORAGE_KEY)!)).toEqual(file);

    log.append(3);
    const saved = section('Your saved head');
    await user.click(within(saved).getByRole('button', { name: 'Check consistency' }));
    const result = await within(saved).findByText(/^Verified: the log only grew/);
    expect(result.textContent).toContain('(3 events added)');
    const status = within(saved).getAllByRole('status').at(-1)!;
    expect(status.textContent).toContain('the first 5 events of today');
    expect(server.requests.some((r) => r.url.includes('/proof/consistency?from=5&to=8'))).toBe(
      true,
    );
    // The page now shows the head the check used.
    expect(within(section('Latest signed head')).getByText('8')).toBeTruthy();
  });

  it('finds a rewritten log inconsistent with the saved head', async () => {
    open();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Save this head' }));
    await screen.findByText(/kept in this browser/);

    // An operator edits event 3 in the database, the tree is rebuilt, and the log grows on.
    log.events[2] = { ...log.events[2]!, data: { lines: [] } };
    log.append(2);
    const saved = section('Your saved head');
    await user.click(within(saved).getByRole('button', { name: 'Check consistency' }));
    await within(saved).findByText(/^Failed: the log did NOT only grow/);
    expect(within(saved).getAllByRole('status').at(-1)!.textContent).toContain(
      'The log was rewritten or rolled back',
    );
  });

  it('finds a log rolled back below the saved head', async () => {
    open();
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Save this head' }));
    await screen.findByText(/kept in this browser/);
    log.events.pop();
    const saved = section('Your saved head');
    await user.click(within(saved).getByRole('button', { name: 'Check consistency' }));
    await within(saved).findByText('Failed: the log is shorter than the head you saved.');
  });

  it('loads a saved head from a file, and refuses a file that is not one', async () => {
    const earlier = log.head();
    log.append(4);
    open();
    const user = userEvent.setup({ delay: null });
    const saved = section('Your saved head');
    expect(within(saved).getByText(/No head is saved in this browser/)).toBeTruthy();
    const input = within(saved).getByLabelText('Load a saved head');

    await user.upload(
      input,
      new File(['{"treeHead": 1}'], 'tree-head-x.json', { type: 'application/json' }),
    );
    expect((await within(saved).findByRole('alert')).textContent).toContain(
      'tree-head-x.json cannot be used',
    );

    await user.upload(
      input,
      new File([JSON.stringify({ treeHead: earlier, publicKey: log.jwk })], 'tree-head-5.json', {
        type: 'application/json',
      }),
    );
    await within(saved).findByText(/from tree-head-5\.json; it is now the saved head/);
    expect(within(saved).queryByRole('alert')).toBeNull();
    await user.click(within(saved).getByRole('button', { name: 'Check consistency' }));
    await within(saved).findByText(
      'Verified: the log only grew since you saved the head (4 events added).',
    );
  });

  it('refuses a saved head whose file was edited', async () => {
    const earlier = { ...log.head(), treeSize: 4 };
    localStorage.setItem(
      SAVED_HEAD_STORAGE_KEY,
      JSON.stringify({ treeHead: earlier, publicKey: log.jwk }),
    );
    open();
    const user = userEvent.setup({ delay: null });
    const saved = section('Your saved head');
    await user.click(await within(saved).findByRole('button', { name: 'Check consistency' }));
    await within(saved).findByText('Not checked: the saved head is not validly signed.');
  });

  it("verifies an event's inclusion and says what the record is", async () => {
    open();
    const user = userEvent.setup({ delay: null });
    const inclusion = section("Check an event's inclusion");
    await user.type(within(inclusion).getByLabelText('Log position'), '3');
    await user.click(within(inclusion).getByRole('button', { name: 'Check inclusion' }));

    await within(inclusion).findByText(
      'Verified: the event at log position 3 is in the signed log, exactly as shown.',
    );
    const status = within(inclusion).getByRole('status');
    expect(status.textContent).toContain('entry 3 of the 5 events the head commits to');
    expect(within(status).getByText('pledge-2026-2027-DE')).toBeTruthy();
    expect(within(status).getByText('PledgeRevised')).toBeTruthy();
    expect(
      server.requests.some((r) => r.url.includes('/proof/inclusion?position=3&treeSize=5')),
    ).toBe(true);
  });

  it('fails an edited record, a record of another position, and a position not in the log', async () => {
    open();
    const user = userEvent.setup({ delay: null });
    const inclusion = section("Check an event's inclusion");
    const field = within(inclusion).getByLabelText('Log position');
    const check = within(inclusion).getByRole('button', { name: 'Check inclusion' });

    // One byte more: a space the JSON reader would not notice, the hash does.
    log.shownRecords.set(3, `${auditRecordLine(log.events[2]!)} `);
    await user.type(field, '3');
    await user.click(check);
    await within(inclusion).findByText(
      'Failed: the record shown for log position 3 is NOT in the signed log.',
    );

    log.shownRecords.set(4, auditRecordLine(log.events[1]!));
    await user.clear(field);
    await user.type(field, '4');
    await user.click(check);
    await within(inclusion).findByText(/^Failed: the record shown for log position 4/);

    await user.clear(field);
    await user.type(field, '99');
    await user.click(check);
    await within(inclusion).findByText('No event at log position 99.');

    await user.clear(field);
    await user.type(field, 'seven');
    await user.click(check);
    expect((await within(inclusion).findByRole('alert')).textContent).toContain(
      'A log position is a whole number from 1',
    );
    expect(within(inclusion).getByLabelText('Log position').getAttribute('aria-invalid')).toBe(
      'true',
    );
  });

  it.each([
    ['a size that is text', { body: { ...new FakeAuditLog(5).head(), treeSize: '5' } }],
    ['a body that is not JSON', { text: '<html>Maintenance</html>' }],
  ])('refuses a head answered with %s as not what was asked for', async (_what, answer) => {
    server.restore();
    server = stubFetch({ ...log.routes(), 'GET /api/v1/audit/tree-head': answer });
    open();
    const alert = await within(section('Latest signed head')).findByRole('alert');
    expect(alert.textContent).toContain('The latest head could not be read');
    expect(alert.textContent).toContain(
      'The answer to /api/v1/audit/tree-head does not have the documented shape.',
    );
    expect(screen.queryByRole('button', { name: 'Save this head' })).toBeNull();
  });

  it('refuses an inclusion proof whose path is not a list of hashes', async () => {
    server.restore();
    server = stubFetch({
      ...log.routes(),
      'GET /api/v1/audit/proof/inclusion': { body: { leafIndex: 2, treeSize: 5, path: [1, 2] } },
    });
    open();
    const user = userEvent.setup({ delay: null });
    const inclusion = section("Check an event's inclusion");
    await user.type(within(inclusion).getByLabelText('Log position'), '3');
    await user.click(within(inclusion).getByRole('button', { name: 'Check inclusion' }));
    await within(inclusion).findByText(
      'Not checked: the record or its inclusion proof could not be read.',
    );
    expect(within(inclusion).getByRole('status').textContent).toContain(
      'The answer to /api/v1/audit/proof/inclusion does not have the documented shape.',
    );
  });
});

describe('verifying an event from the audit feed', () => {
  it("checks the row's event against the latest head and says so in the row", async () => {
    const log = new FakeAuditLog(6);
    const entry: Schema<'AuditFeedEntry'> = {
      position: 6,
      streamId: 'pledge-2026-2027-DE',
      streamVersion: 6,
      type: 'PledgeRevised',
      planId: '2026-2027',
      memberState: 'DE',
      actorId: 'dev:de-desk-officer',
      actorName: 'Desk officer',
      actorRole: 'member_state',
      recordedAt: '2026-11-30T10:06:00.000Z',
      correlationId: 'corr-6',
      schemaVersion: 2,
      data: {},
    };
    const server = stubFetch({
      ...log.routes(),
      'GET /api/v1/audit/events': {
        body: { entries: [entry], nextAfterPosition: null, headPosition: 6 },
      },
      'GET /api/v1/plans': { body: { plans: [], nextAfter: null } },
      'GET /api/v1/reference/member-states': { body: { memberStates: [] } },
    });
    try {
      renderScreen(<AuditFeedPage />, { url: '/audit', session: AUDITOR });
      const user = userEvent.setup({ delay: null });
      await user.click(
        await screen.findByRole('button', { name: 'Verify inclusion of the event at position 6' }),
      );
      const row = screen.getByRole('row', { name: /^6 / });
      await waitFor(() =>
        expect(within(row).getByRole('status').textContent).toContain(
          'Verified: the event at log position 6 is in the signed log',
        ),
      );
      log.shownRecords.set(6, auditRecordLine({ ...log.events[5]!, data: { edited: true } }));
      await user.click(
        screen.getByRole('button', { name: 'Verify inclusion of the event at position 6' }),
      );
      await waitFor(() =>
        expect(within(row).getByRole('status').textContent).toContain('is NOT in the signed log'),
      );
    } finally {
      server.restore();
    }
  });
});

function rootOf(log: FakeAuditLog): string {
  const store = new MemoryTreeNodes();
  for (const event of log.events) {
    appendLeaf(store, leafHash(Buffer.from(auditRecordLine(event), 'utf8')));
  }
  return b64(rootAt(store, log.events.length));
}
