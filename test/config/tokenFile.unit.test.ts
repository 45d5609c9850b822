import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex, TokenRegistry } from '../../src/api/auth';
import {
  loadTokenFile,
  TokenFileError,
  writeTokenFile,
  type TokenEntry,
} from '../../src/api/tokenFile';
import { findJsonSyntaxProblem } from '../../src/config/jsonSyntax';

const posixOnly = process.platform === 'win32' ? it.skip : it;

/** Looks like a credential; must never reach an error message. */
const SECRET = 'sk_live_7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c2e';
const SECRET_HASH = sha256Hex(SECRET);

const commission = (name = 'dg-home', token = 'commission token'): TokenEntry => ({
  name,
  role: 'commission',
  sha256: sha256Hex(token),
});

describe('the token file is checked before it is used', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-token-file-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  let counter = 0;
  const fileWith = (text: string, mode = 0o600): string => {
    const path = join(directory, `tokens-${++counter}.json`);
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  };
  const json = (content: unknown) => fileWith(JSON.stringify(content, null, 2));
  const failureOf = (path: string): string => {
    try {
      loadTokenFile(path);
    } catch (error) {
      expect(error).toBeInstanceOf(TokenFileError);
      return (error as Error).message;
    }
    throw new Error('expected the token file to be refused');
  };

  it('refuses two entries with the same name, naming both by index', () => {
    const path = json({ tokens: [commission('dg-home', 'a'), commission('dg-home', 'b')] });
    expect(failureOf(path)).toBe(
      `Invalid token file ${path}: entry 1 ("dg-home"): the same name as entry 0; every name must be different`,
    );
  });

  it('refuses two entries with the same hash (whatever its case) without showing it', () => {
    const path = json({
      tokens: [
        { name: 'dg-home', role: 'commission', sha256: SECRET_HASH },
        { name: 'eca', role: 'auditor', sha256: SECRET_HASH.toUpperCase() },
      ],
    });
    const message = failureOf(path);
    expect(message).toBe(
      `Invalid token file ${path}: entry 1 ("eca"): the same sha256 as entry 0 ("dg-home"); every token must be different`,
    );
    expect(message.toLowerCase()).not.toContain(SECRET_HASH.slice(0, 8));
  });

  it('refuses the names the demo data records its events under', () => {
    const path = json({ tokens: [commission('demo-seed-commission')] });
    expect(failureOf(path)).toMatch(
      /entry 0 \("demo-seed-commission"\): names beginning demo-seed-/,
    );
  });

  posixOnly('refuses a file every user may write, and says how to fix it', () => {
    const path = fileWith(JSON.stringify({ tokens: [commission()] }), 0o666);
    expect(failureOf(path)).toBe(
      `Refusing the token file ${path}: every user may write it (mode 666); run chmod 600 on it`,
    );
  });

  posixOnly('accepts a group-writable file with a warning in the log', () => {
    const path = fileWith(JSON.stringify({ tokens: [commission()] }), 0o660);
    expect(loadTokenFile(path).warnings).toEqual([expect.stringMatching(/writable by its group/)]);
    const log: Record<string, unknown>[] = [];
    const registry = TokenRegistry.fromFile(path, { log: (entry) => log.push(entry) });
    expect(registry.authenticate('commission token')).toEqual({
      id: 'dg-home',
      role: 'commission',
    });
    expect(log).toEqual([
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/group/), file: path }),
    ]);
  });

  it('locates a JSON syntax error by line and column without quoting the text', () => {
    const path = fileWith(
      [
        '{',
        '  "tokens": [',
        `    { "name": "dg-home", "role": "commission", "sha256": ${SECRET} }`,
        '  ]',
        '}',
      ].join('\n'),
    );
    const message = failureOf(path);
    expect(message).toMatch(
      new RegExp(
        `^Invalid token file ${path}: not valid JSON at line 3, column 58: unexpected character`,
      ),
    );
    expect(message).not.toContain('sk_live');
    expect(message).not.toContain('dg-home');
  });

  // Each of these would, with JSON.parse's or zod's own wording, put a piece of the file in the log.
  it.each([
    ['an unquoted value', `{"tokens": [{"name": "x", "role": "auditor", "sha256": ${SECRET}}]}`],
    ['an unclosed string', `{"tokens": [{"name": "x", "role": "auditor", "sha256": "${SECRET}`],
    ['a trailing comma', `{"tokens": [{"sha256": "${SECRET}",}]}`],
    ['content after the document', `{"tokens": []} ${SECRET}`],
    [
      'the token where its hash belongs',
      JSON.stringify({ tokens: [{ name: 'x', role: 'auditor', sha256: SECRET }] }),
    ],
    [
      'the token under a field of its own',
      JSON.stringify({
        tokens: [{ name: 'x', role: 'auditor', token: SECRET, sha256: SECRET_HASH }],
      }),
    ],
    [
      'the token as a field name',
      JSON.stringify({
        tokens: [{ name: 'x', role: 'auditor', sha256: SECRET_HASH, [SECRET]: 1 }],
      }),
    ],
    [
      'the token as a role',
      JSON.stringify({ tokens: [{ name: 'x', role: SECRET, sha256: SECRET_HASH }] }),
    ],
    ['the token at the top level', JSON.stringify({ tokens: [commission()], [SECRET]: true })],
    ['the token as the whole file', SECRET],
  ])('never echoes the file: %s', (_case, text) => {
    const message = failureOf(fileWith(text));
    expect(message).toMatch(/^Invalid token file /);
    expect(message).not.toContain('sk_live');
    expect(message).not.toContain(SECRET_HASH.slice(0, 12));
    expect(message.split('\n')).toHaveLength(1);
  });

  it('names the entry and field of a schema error', () => {
    const path = json({
      tokens: [
        commission(),
        { name: 'de-ministry', role: 'member_state', memberState: 'DE', sha256: 'abc' },
      ],
    });
    expect(failureOf(path)).toBe(
      `Invalid token file ${path}: entry 1 ("de-ministry"), field sha256: the SHA-256 of the token, as 64 hex digits`,
    );
    const unknownField = json({ tokens: [{ ...commission(), token: 'plain' }] });
    expect(failureOf(unknownField)).toMatch(
      /entry 0 \("dg-home"\): an unknown field \(allowed: name, role, memberState, sha256/,
    );
  });

  it('says where it cannot read the file, without the system error text', () => {
    const missing = join(directory, 'missing.json');
    expect(failureOf(missing)).toBe(`Cannot read the token file ${missing} (ENOENT)`);
  });

  it('reads a file that starts with a byte-order mark', () => {
    const path = fileWith(`\uFEFF${JSON.stringify({ tokens: [commission()] })}`);
    expect(loadTokenFile(path).entries).toHaveLength(1);
  });

  posixOnly('writes a new file with mode 0600 through a rename, leaving no temporary file', () => {
    const folder = mkdtempSync(join(directory, 'write-'));
    const path = join(folder, 'tokens.json');
    writeTokenFile(path, [commission()]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadTokenFile(path).entries).toEqual([commission()]);
    writeTokenFile(path, [commission(), commission('eca', 'auditor token')]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['tokens.json']);
  });

  posixOnly('keeps the mode an operator chose, but never group or world write', () => {
    const path = fileWith(JSON.stringify({ tokens: [commission()] }), 0o640);
    writeTokenFile(path, [commission()]);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    chmodSync(path, 0o662);
    writeTokenFile(path, [commission()]);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});

describe('JSON syntax problems, located without quoting', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['  [1, 2.5e3, -0, "x\\u00e9", true, false, null, {}]  ', undefined],
    ['', { line: 1, column: 1, problem: 'the file ends where a value was expected' }],
    ['{"a": 1,\n "b" 2}', { line: 2, column: 6, problem: "expected ':' after the property name" }],
    [
      '{"a": 1 "b": 2}',
      { line: 1, column: 9, problem: "expected ',' or '}' after the property's value" },
    ],
    [
      '[1,\n\n  ]',
      { line: 3, column: 3, problem: "a ',' before ']' (trailing commas are not JSON)" },
    ],
    ['{a: 1}', { line: 1, column: 2, problem: 'expected a property name in double quotes' }],
    [
      '"a\nb"',
      { line: 1, column: 3, problem: 'a line break or control character inside a string' },
    ],
    ['"\\x"', { line: 1, column: 2, problem: 'an invalid escape inside a string' }],
    ['[01]', { line: 1, column: 3, problem: "expected ',' or ']' after the array item" }],
    [
      '{} {}',
      { line: 1, column: 4, problem: 'unexpected content after the end of the JSON document' },
    ],
    ['[-]', { line: 1, column: 2, problem: 'an invalid number' }],
  ])('%j', (text, expected) => {
    expect(findJsonSyntaxProblem(text)).toEqual(expected);
    // The scanner and JSON.parse agree on what is JSON.
    if (expected === undefined) expect(() => JSON.parse(text) as unknown).not.toThrow();
    else expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
