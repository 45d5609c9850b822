import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex, TokenRegistry } from '../../src/api/auth';
import { loadTokenFile } from '../../src/api/tokenFile';
import { addToken, revokeToken, runTokenCommand, TokenCommandError } from '../../src/cli/token';
import { runTypeScript } from './typeScriptChild';

const posixOnly = process.platform === 'win32' ? it.skip : it;

// Child processes compile their TypeScript as they load it: seconds, on a busy machine.
jest.setTimeout(60_000);

describe('npm run token: principals added and revoked in the token file', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-token-cli-'));
    file = join(directory, 'tokens.json');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const run = (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = runTokenCommand(
      argv,
      {},
      {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
      },
    );
    return { code, stdout, stderr };
  };

  posixOnly('creates the file with mode 0600 and a strong token it keeps only as a hash', () => {
    const { token, entry } = addToken(file, {
      name: 'de-ministry',
      role: 'member_state',
      memberState: 'DE',
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(entry).toEqual({
      name: 'de-ministry',
      role: 'member_state',
      memberState: 'DE',
      sha256: sha256Hex(token),
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(TokenRegistry.fromFile(file).authenticate(token)).toEqual({
      id: 'de-ministry',
      role: 'member_state',
      memberState: 'DE',
    });
  });

  it('appends to an existing file, a new token each time, and refuses a name already there', () => {
    const first = addToken(file, { name: 'dg-home', role: 'commission' });
    const second = addToken(file, { name: 'el-ministry', role: 'member_state', memberState: 'GR' });
    expect(second.token).not.toBe(first.token);
    expect(loadTokenFile(file).entries.map((entry) => [entry.name, entry.memberState])).toEqual([
      ['dg-home', undefined],
      ['el-ministry', 'EL'],
    ]);
    const before = readFileSync(file, 'utf8');
    expect(() => addToken(file, { name: 'dg-home', role: 'auditor' })).toThrow(
      new TokenCommandError(
        `${file} already has a token named dg-home; revoke it first to replace it`,
      ),
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses what the server would refuse, writing nothing', () => {
    addToken(file, { name: 'dg-home', role: 'commission' });
    const before = readFileSync(file, 'utf8');
    expect(() => addToken(file, { name: 'de-ministry', role: 'member_state' })).toThrow(
      /memberState is required/,
    );
    expect(() => addToken(file, { name: 'eca', role: 'auditor', memberState: 'DE' })).toThrow(
      /memberState is required for, and only for/,
    );
    expect(() => addToken(file, { name: 'xx', role: 'member_state', memberState: 'XX' })).toThrow(
      /XX is not a Member State/,
    );
    expect(() => addToken(file, { name: 'x', role: 'minister' })).toThrow(/^role: Invalid option/);
    expect(() => addToken(file, { name: 'demo-seed-de', role: 'auditor' })).toThrow(
      /names beginning demo-seed- belong to the demo data/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(directory)).toEqual(['tokens.json']);
  });

  it('will not add to a file the server would refuse', () => {
    writeFileSync(file, '{"tokens": [');
    expect(() => addToken(file, { name: 'dg-home', role: 'commission' })).toThrow(
      /Invalid token file .*: not valid JSON at line 1/,
    );
    expect(readFileSync(file, 'utf8')).toBe('{"tokens": [');
  });

  it('revokes by name; the token then no longer authenticates', () => {
    const commission = addToken(file, { name: 'dg-home', role: 'commission' });
    const auditor = addToken(file, { name: 'eca', role: 'auditor' });
    expect(revokeToken(file, 'eca')).toEqual(auditor.entry);
    const registry = TokenRegistry.fromFile(file);
    expect(registry.authenticate(auditor.token)).toBeUndefined();
    expect(registry.authenticate(commission.token)).toEqual({ id: 'dg-home', role: 'commission' });
    expect(() => revokeToken(file, 'eca')).toThrow(`${file} has no token named eca`);
    // The server refuses an empty file and would keep the last token in force: so does this.
    expect(() => revokeToken(file, 'dg-home')).toThrow(/dg-home is the last token/);
    expect(loadTokenFile(file).entries).toEqual([commission.entry]);
  });

  it('prints the token alone on stdout and the hint on stderr', () => {
    const added = run(
      '--file',
      file,
      '--name',
      'fr-ministry',
      '--role',
      'member_state',
      '--member-state',
      'fr',
    );
    expect(added.code).toBe(0);
    const token = added.stdout.trim();
    expect(added.stdout).toBe(`${token}\n`);
    expect(added.stderr).toMatch(
      /^Added fr-ministry \(member_state FR\) to .*shown only this once/,
    );
    expect(added.stderr).not.toContain(token);
    expect(TokenRegistry.fromFile(file).authenticate(token)?.memberState).toBe('FR');

    const refused = run('--file', file, '--name', 'fr-ministry', '--role', 'commission');
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `${file} already has a token named fr-ministry; revoke it first to replace it\n`,
    });
    expect(run('--file', file, '--name', 'x').code).toBe(2);
    expect(run('--name', 'x', '--role', 'auditor').stderr).toMatch(
      /^Name the token file with --file/,
    );
    expect(run('--file', file, '--bogus').code).toBe(2);
  });

  posixOnly('runs as a command: adds, then revokes, keeping mode 0600', async () => {
    const added = await runTypeScript(
      'src/cli/token',
      ['--name', 'se-ministry', '--role', 'member_state', '--member-state', 'SE'],
      { PLEDGES_TOKENS_FILE: file },
    );
    expect(added.code).toBe(0);
    const token = added.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toMatch(/^Added se-ministry \(member_state SE\)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(TokenRegistry.fromFile(file).authenticate(token)?.id).toBe('se-ministry');

    addToken(file, { name: 'dg-home', role: 'commission' });
    const revoked = await runTypeScript('src/cli/token', [
      '--file',
      file,
      '--revoke',
      'se-ministry',
    ]);
    expect(revoked).toMatchObject({ code: 0, stdout: '' });
    expect(revoked.stderr).toMatch(/^Revoked se-ministry/);
    expect(TokenRegistry.fromFile(file).authenticate(token)).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const again = await runTypeScript('src/cli/token', ['--file', file, '--revoke', 'se-ministry']);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `${file} has no token named se-ministry\n`,
    });
  });
});
