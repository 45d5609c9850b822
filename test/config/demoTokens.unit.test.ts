import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoTokensFileFor, loadOrCreateDemoTokens } from '../../src/api/demoTokens';
import { loadConfig } from '../../src/config/config';

const posixOnly = process.platform === 'win32' ? it.skip : it;

describe('demo tokens kept beside the development store', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-demo-tokens-'));
    file = join(directory, 'data', 'demo-tokens.json');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('sit in the folder of the SQLite file; an in-memory or remote store keeps them in memory', () => {
    expect(demoTokensFileFor(loadConfig({ PLEDGES_DB_FILE: join(directory, 'x', 'p.db') }))).toBe(
      join(directory, 'x', 'demo-tokens.json'),
    );
    expect(demoTokensFileFor(loadConfig({}))).toBe(resolve('data', 'demo-tokens.json'));
    expect(demoTokensFileFor(loadConfig({ PLEDGES_DB_FILE: ':memory:' }))).toBeUndefined();
    expect(
      demoTokensFileFor(
        loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://x:2113' }),
      ),
    ).toBeUndefined();
  });

  posixOnly('are created once, with mode 0600, and the same ones come back', () => {
    const first = loadOrCreateDemoTokens(file, ['DE', 'FR']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.map((token) => token.name)).toEqual([
      'dg-home',
      'eca-auditor',
      'ops',
      'de-ministry',
      'fr-ministry',
    ]);
    expect(loadOrCreateDemoTokens(file, ['DE', 'FR'])).toEqual(first);
    expect(readFileSync(file, 'utf8')).toMatch(/Development-only demo tokens, in plain text/);
  });

  it('give a principal the file lacks a new token and keep the others', () => {
    const before = loadOrCreateDemoTokens(file, ['DE']);
    const after = loadOrCreateDemoTokens(file, ['DE', 'SE']);
    expect(after.slice(0, 4)).toEqual(before);
    expect(after[4]).toMatchObject({ name: 'se-ministry', memberState: 'SE' });
    expect(loadOrCreateDemoTokens(file, ['DE', 'SE'])).toEqual(after);
  });

  it('are fresh on every run without a file', () => {
    const [one] = loadOrCreateDemoTokens(undefined, ['DE']);
    const [two] = loadOrCreateDemoTokens(undefined, ['DE']);
    expect(one?.token).not.toBe(two?.token);
  });

  it('refuse a damaged file, without quoting it', () => {
    loadOrCreateDemoTokens(file, ['DE']);
    writeFileSync(file, '{"tokens": [{"name": "dg-home", "token": "abcdefghijklmnopqrstuvwxyz"');
    expect(() => loadOrCreateDemoTokens(file, ['DE'])).toThrow(
      `The demo token file ${file} cannot be read as demo tokens; delete it to get new ones`,
    );
  });
});
