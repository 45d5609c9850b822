/**
 * The pieces of a browser session: sealing (AES-256-GCM; tampering, another key, another purpose
 * or expiry all read as nothing), cookies read and written by hand, the return path after
 * sign-in, the session key file, and the claims that make a person an actor.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieSealer, SESSION_KEY_BYTES } from '../../src/api/session/seal';
import { parseCookies, serializeCookie } from '../../src/api/session/cookies';
import { safeReturnTo } from '../../src/api/session/browserSignIn';
import { loadSessionKey, readSessionKey, SessionKeyError } from '../../src/api/session/sessionKey';
import { OidcRelyingParty, SignInError, claimAt } from '../../src/api/session/oidc';
import {
  developmentActor,
  developmentIdentities,
} from '../../src/api/session/developmentIdentities';

const key = () => randomBytes(SESSION_KEY_BYTES);

describe('sealing', () => {
  const sealer = new CookieSealer(key());
  const value = { actor: { id: 'dev:auditor', role: 'auditor' } };

  it('opens what it sealed, until it expires', () => {
    const sealed = sealer.seal('pledges_session', value, 1_000);
    expect(sealer.open('pledges_session', sealed, 999)).toEqual({ value, expiresAt: 1_000 });
    expect(sealer.open('pledges_session', sealed, 1_000)).toBeUndefined();
  });

  it('seals the same value differently each time (a fresh IV)', () => {
    expect(sealer.seal('p', value, 10)).not.toBe(sealer.seal('p', value, 10));
  });

  it('opens nothing changed in any byte', () => {
    const sealed = sealer.seal('p', value, 1_000);
    const body = sealed.slice(3);
    for (let index = 0; index < body.length; index += 7) {
      const changed = `${body.slice(0, index)}${body[index] === 'A' ? 'B' : 'A'}${body.slice(index + 1)}`;
      expect(sealer.open('p', `v1.${changed}`, 0)).toBeUndefined();
    }
  });

  it('opens nothing sealed under another key, or for another purpose', () => {
    const sealed = sealer.seal('pledges_oidc', value, 1_000);
    expect(new CookieSealer(key()).open('pledges_oidc', sealed, 0)).toBeUndefined();
    expect(sealer.open('pledges_session', sealed, 0)).toBeUndefined();
  });

  it.each(['', 'v1.', 'v2.abc', 'v1.a.b', 'v1.!!!', 'v1.AAAA'])('opens nothing from %j', (text) => {
    expect(sealer.open('p', text, 0)).toBeUndefined();
  });

  it('wants a 32-byte key', () => {
    expect(() => new CookieSealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('cookies', () => {
  it('reads the Cookie header, first of a name winning', () => {
    expect([...parseCookies('a=1; pledges_session=v1.x; a=2; junk; =x; q="quoted"')]).toEqual([
      ['a', '1'],
      ['pledges_session', 'v1.x'],
      ['q', 'quoted'],
    ]);
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('writes HttpOnly, SameSite=Lax, and Secure when asked', () => {
    expect(serializeCookie('n', 'v', { path: '/', maxAgeSeconds: 60, secure: true })).toBe(
      'n=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(serializeCookie('n', '', { path: '/auth', maxAgeSeconds: 0, secure: false })).toBe(
      'n=; Path=/auth; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
    expect(() =>
      serializeCookie('n', 'a;b', { path: '/', maxAgeSeconds: 1, secure: false }),
    ).toThrow();
  });
});

describe('the path to land on after signing in', () => {
  it.each([
    ['/ministry/plans/2026-2027?asOf=3#top', '/ministry/plans/2026-2027?asOf=3#top'],
    ['/', '/'],
    [undefined, '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['ministry', '/'],
    ['/a\nb', '/'],
    [`/${'x'.repeat(2100)}`, '/'],
  ])('%j → %j', (given, expected) => {
    expect(safeReturnTo(given)).toBe(expected);
  });
});

describe('the session key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pledges-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made beside a development store, mode 0600, and read back on the next start', () => {
    const config = {
      NODE_ENV: 'development',
      EVENT_STORE: 'sqlite',
      PLEDGES_DB_FILE: join(dir, 'pledges.db'),
    } as const;

    const first = loadSessionKey(config);
    const second = loadSessionKey(config);

    expect(first).toMatchObject({ created: true, file: join(dir, 'session.key') });
    expect(statSync(join(dir, 'session.key')).mode & 0o777).toBe(0o600);
    expect(second).toMatchObject({ created: false });
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('serves one run only with an in-memory store', () => {
    const loaded = loadSessionKey({
      NODE_ENV: 'test',
      EVENT_STORE: 'sqlite',
      PLEDGES_DB_FILE: ':memory:',
    });
    expect(loaded.file).toBeUndefined();
    expect(loaded.key).toHaveLength(32);
  });

  it('reads 32 bytes raw, as base64 or as hex', () => {
    const bytes = randomBytes(32);
    for (const content of [
      bytes,
      `${bytes.toString('base64')}\n`,
      bytes.toString('base64url'),
      bytes.toString('hex'),
    ]) {
      const file = join(dir, 'key');
      writeFileSync(file, content, { mode: 0o600 });
      expect(readSessionKey(file).equals(bytes)).toBe(true);
    }
  });

  it('refuses a short key, a missing file and a file others may write', () => {
    const file = join(dir, 'key');
    writeFileSync(file, randomBytes(16).toString('base64'), { mode: 0o600 });
    expect(() => readSessionKey(file)).toThrow(/32 random bytes/);
    expect(() => readSessionKey(join(dir, 'none'))).toThrow(SessionKeyError);
    writeFileSync(file, randomBytes(32));
    chmodSync(file, 0o666);
    expect(() => readSessionKey(file)).toThrow(/other users may write it/);
    expect(() =>
      loadSessionKey({
        NODE_ENV: 'production',
        EVENT_STORE: 'sqlite',
        PLEDGES_DB_FILE: join(dir, 'p.db'),
        PLEDGES_SESSION_KEY_FILE: join(dir, 'none'),
      }),
    ).toThrow(/does not exist/);
  });
});

describe('development identities', () => {
  it('record the identity prefixed dev:, with its name', () => {
    const [commission, , germany] = developmentIdentities(['DE']);
    expect(developmentActor(commission!)).toEqual({
      id: 'dev:commission-official',
      role: 'commission',
      name: 'Commission official (demo)',
    });
    expect(developmentActor(germany!)).toEqual({
      id: 'dev:de-desk-officer',
      role: 'member_state',
      memberState: 'DE',
      name: 'Desk officer, DE ministry (demo)',
    });
  });
});

describe('claims to an actor', () => {
  const party = new OidcRelyingParty(
    {
      issuer: 'https://idp.example',
      clientId: 'c',
      scopes: 'openid',
      label: 'l',
      roleClaim: 'groups',
      roleMap: {
        '/eu/commission': 'commission',
        '/eu/desk': 'member_state',
        '/eu/desk-2': 'member_state',
      },
      memberStateClaim: 'country',
      idClaim: 'email',
    },
    () => '',
    () => '',
  );

  it('reads a claim by name or dotted path', () => {
    expect(claimAt({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
    expect(claimAt({ a: { b: [3] } }, 'a.b')).toEqual([3]);
    expect(claimAt({ a: 'x' }, 'a.b')).toBeUndefined();
    expect(claimAt({}, 'constructor')).toBeUndefined();
  });

  it('takes one role, however many claim values map to it', () => {
    expect(
      party.actorOf({
        sub: 's',
        email: 'e@x.eu',
        groups: ['/eu/desk', '/eu/desk-2', 'other'],
        country: 'GR',
      }),
    ).toEqual({ id: 'e@x.eu', role: 'member_state', memberState: 'EL', name: 'e@x.eu' });
  });

  it('refuses no role, and several', () => {
    const code = (claims: Record<string, unknown>) => {
      try {
        party.actorOf({ sub: 's', ...claims });
        return 'accepted';
      } catch (error) {
        return (error as SignInError).code;
      }
    };
    expect(code({ groups: 'toString' })).toBe('no_role');
    expect(code({ groups: ['/eu/commission', '/eu/desk'], country: 'DE' })).toBe('no_role');
    expect(code({ groups: '/eu/commission', name: 'A'.repeat(300) })).toBe('accepted');
    expect(code({ groups: '/eu/desk', country: 42 })).toBe('no_member_state');
  });

  it('keeps a name to 200 characters', () => {
    expect(
      party.actorOf({ sub: 's', groups: '/eu/commission', name: 'A'.repeat(300) }).name,
    ).toHaveLength(200);
  });
});
