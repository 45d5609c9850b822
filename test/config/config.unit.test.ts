import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';
import { DEFAULT_QUOTA_SETTINGS } from '../../src/api/quotas';
import {
  TokenRegistry,
  createDemoTokens,
  registryFromDemoTokens,
  sha256Hex,
} from '../../src/api/auth';

/** What every production start needs besides its sign-in: the key that signs tree heads. */
const AUDIT_KEY = { PLEDGES_AUDIT_KEY_FILE: '/etc/pledges/audit-signing-key.pem' };

describe('configuration from the environment', () => {
  it('defaults to development on the embedded store, port 3000, with demo data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      PLEDGES_DB_FILE: './data/pledges.db',
      demoData: true,
    });
  });

  it('refuses production without a token file or browser sign-in, in one line', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^Refusing to start: .*PLEDGES_TOKENS_FILE.* or browser sign-in \(PLEDGES_OIDC_ISSUER\)/,
    );
  });

  it('refuses production without the key that signs tree heads, in one line', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PLEDGES_TOKENS_FILE: 't.json' })).toThrow(
      /^Refusing to start: NODE_ENV=production needs PLEDGES_AUDIT_KEY_FILE, .*Ed25519 private key/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', PLEDGES_TOKENS_FILE: 't.json', ...AUDIT_KEY })
        .PLEDGES_AUDIT_KEY_FILE,
    ).toBe(AUDIT_KEY.PLEDGES_AUDIT_KEY_FILE);
    // Development makes one beside the store; nothing to configure.
    expect(loadConfig({}).PLEDGES_AUDIT_KEY_FILE).toBeUndefined();
  });

  it('signs a head every 2 s while the log grows, unless told otherwise', () => {
    expect(loadConfig({}).PLEDGES_AUDIT_SIGN_INTERVAL_MS).toBe(2_000);
    expect(
      loadConfig({ PLEDGES_AUDIT_SIGN_INTERVAL_MS: '500' }).PLEDGES_AUDIT_SIGN_INTERVAL_MS,
    ).toBe(500);
    expect(() => loadConfig({ PLEDGES_AUDIT_SIGN_INTERVAL_MS: 'soon' })).toThrow(
      /PLEDGES_AUDIT_SIGN_INTERVAL_MS/,
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^Invalid configuration: PORT:/);
    expect(() => loadConfig({ PLEDGES_DEMO_DATA: 'perhaps' })).toThrow(/PLEDGES_DEMO_DATA/);
  });

  it('turns demo data off outside development', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PLEDGES_TOKENS_FILE: 't.json',
      ...AUDIT_KEY,
    });
    expect(config.demoData).toBe(false);
  });

  it('loads demo data unasked only in development with demo tokens, never beside a real token file', () => {
    const demoData = (environment: NodeJS.ProcessEnv) => loadConfig(environment).demoData;
    expect(demoData({})).toBe(true);
    expect(demoData({ NODE_ENV: 'development' })).toBe(true);
    expect(demoData({ PLEDGES_TOKENS_FILE: 'tokens.json' })).toBe(false);
    expect(demoData({ NODE_ENV: 'development', PLEDGES_TOKENS_FILE: 'tokens.json' })).toBe(false);
    expect(demoData({ NODE_ENV: 'test' })).toBe(false);
    expect(demoData({ PLEDGES_DEMO_DATA: 'false' })).toBe(false);
  });

  it('loads demo data wherever it is asked for explicitly', () => {
    expect(loadConfig({ PLEDGES_TOKENS_FILE: 't.json', PLEDGES_DEMO_DATA: 'true' })).toMatchObject({
      demoData: true,
      PLEDGES_DEMO_DATA: true,
    });
    expect(
      loadConfig({
        NODE_ENV: 'production',
        PLEDGES_TOKENS_FILE: 't.json',
        PLEDGES_DEMO_DATA: 'yes',
        ...AUDIT_KEY,
      }).demoData,
    ).toBe(true);
  });

  it('has no Irish opt-in setting: Ireland is bound by the Framework, whatever the environment says', () => {
    const config = loadConfig({ IRELAND_OPTED_IN: 'false' });
    expect(config).not.toHaveProperty('IRELAND_OPTED_IN');
    expect(Object.keys(config).some((key) => /IRELAND|OPTED/i.test(key))).toBe(false);
  });
});

describe('bearer tokens, stored as SHA-256 hashes', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'pledge-tokens-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const writeTokens = (content: unknown) => {
    const path = join(directory, `${Math.random()}.json`);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('authenticates the token whose hash is on file, and nothing else', () => {
    const path = writeTokens({
      tokens: [
        {
          name: 'el-ministry',
          role: 'member_state',
          memberState: 'GR',
          sha256: sha256Hex('greek secret'),
        },
        {
          name: 'dg-home',
          role: 'commission',
          sha256: sha256Hex('commission secret').toUpperCase(),
        },
      ],
    });
    const registry = TokenRegistry.fromFile(path);
    expect(registry.authenticate('greek secret')).toEqual({
      id: 'el-ministry',
      role: 'member_state',
      memberState: 'EL',
    });
    expect(registry.authenticate('commission secret')).toEqual({
      id: 'dg-home',
      role: 'commission',
    });
    expect(registry.authenticate('greek secret ')).toBeUndefined();
    expect(registry.authenticate(sha256Hex('greek secret'))).toBeUndefined();
  });

  it('refuses a file that would give a Member State token no Member State, or a plain-text token', () => {
    const noMemberState = writeTokens({
      tokens: [{ name: 'x', role: 'member_state', sha256: sha256Hex('a') }],
    });
    expect(() => TokenRegistry.fromFile(noMemberState)).toThrow(/memberState is required/);
    const plain = writeTokens({
      tokens: [{ name: 'x', role: 'auditor', token: 'a', sha256: sha256Hex('a') }],
    });
    expect(() => TokenRegistry.fromFile(plain)).toThrow(/Invalid token file/);
    const unknownCountry = writeTokens({
      tokens: [{ name: 'x', role: 'member_state', memberState: 'XX', sha256: sha256Hex('a') }],
    });
    expect(() => TokenRegistry.fromFile(unknownCountry)).toThrow(/XX/);
  });

  it('creates distinct random demo tokens and knows them only by hash', () => {
    const tokens = createDemoTokens(['DE', 'FR']);
    expect(new Set(tokens.map((token) => token.token)).size).toBe(tokens.length);
    const registry = registryFromDemoTokens(tokens);
    const de = tokens.find((token) => token.memberState === 'DE');
    expect(registry.authenticate(de?.token ?? '')).toEqual({
      id: 'de-ministry',
      role: 'member_state',
      memberState: 'DE',
    });
  });
});

describe('event store selection', () => {
  it('defaults to the embedded SQLite store', () => {
    expect(loadConfig({}).EVENT_STORE).toBe('sqlite');
  });

  it('takes EventStoreDB with a connection string', () => {
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING:
        'esdb://node1:2113,node2:2113,node3:2113?tls=true&tlsCAFile=/certs/ca/ca.crt',
    });
    expect(config.EVENT_STORE).toBe('eventstoredb');
  });

  it('refuses EventStoreDB without a connection string, or with a malformed one', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(
      /^Invalid configuration: EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING/,
    );
    expect(() =>
      loadConfig({
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113',
      }),
    ).toThrow(/^Invalid configuration: EVENTSTORE_CONNECTION_STRING: an esdb:\/\//);
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(
      /^Invalid configuration: EVENT_STORE:/,
    );
  });
});

describe('quotas', () => {
  it('defaults to the quotas the app applies when none are given', () => {
    const config = loadConfig({});
    expect({
      writesPerMinute: config.PLEDGES_WRITES_PER_MINUTE,
      commissionWritesPerMinute: config.PLEDGES_COMMISSION_WRITES_PER_MINUTE,
      readsPerMinute: config.PLEDGES_READS_PER_MINUTE,
      maxPledgeBytes: config.PLEDGES_MAX_PLEDGE_BYTES,
      storedBytesPerMemberState: config.PLEDGES_STORED_BYTES_PER_MEMBER_STATE,
    }).toEqual(DEFAULT_QUOTA_SETTINGS);
  });

  it('takes each quota from the environment', () => {
    const config = loadConfig({
      PLEDGES_WRITES_PER_MINUTE: '30',
      PLEDGES_READS_PER_MINUTE: '300',
      PLEDGES_MAX_PLEDGE_BYTES: '16384',
      PLEDGES_STORED_BYTES_PER_MEMBER_STATE: '1048576',
    });
    expect(config).toMatchObject({
      PLEDGES_WRITES_PER_MINUTE: 30,
      PLEDGES_READS_PER_MINUTE: 300,
      PLEDGES_MAX_PLEDGE_BYTES: 16_384,
      PLEDGES_STORED_BYTES_PER_MEMBER_STATE: 1_048_576,
    });
  });

  it('refuses a rate of zero and a pledge cap the body limit would never let it reach', () => {
    expect(() => loadConfig({ PLEDGES_WRITES_PER_MINUTE: '0' })).toThrow(
      /^Invalid configuration: PLEDGES_WRITES_PER_MINUTE:/,
    );
    expect(() =>
      loadConfig({ PLEDGES_BODY_LIMIT: '32kb', PLEDGES_MAX_PLEDGE_BYTES: '65536' }),
    ).toThrow(/PLEDGES_MAX_PLEDGE_BYTES \(65536\) is above PLEDGES_BODY_LIMIT/);
    expect(
      loadConfig({ PLEDGES_BODY_LIMIT: '1mb', PLEDGES_MAX_PLEDGE_BYTES: '1048576' }),
    ).toMatchObject({ PLEDGES_MAX_PLEDGE_BYTES: 1_048_576 });
  });
});

describe('browser sign-in configuration', () => {
  const OIDC = {
    PLEDGES_OIDC_ISSUER: 'https://login.example.org/realms/eu',
    PLEDGES_OIDC_CLIENT_ID: 'pledge-tracker',
  };

  it('offers the development sign-in in development and test, not in production', () => {
    expect(loadConfig({}).devSignIn).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).devSignIn).toBe(true);
    expect(loadConfig({ PLEDGES_DEV_SIGN_IN: 'false' }).devSignIn).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', PLEDGES_TOKENS_FILE: 't.json', ...AUDIT_KEY }).devSignIn,
    ).toBe(false);
  });

  it('refuses the development sign-in in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        PLEDGES_TOKENS_FILE: 't.json',
        PLEDGES_DEV_SIGN_IN: 'true',
      }),
    ).toThrow(/^Refusing to start: PLEDGES_DEV_SIGN_IN=true .*development only/);
  });

  it('starts production with browser sign-in alone, given a session key file', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      ...OIDC,
      PLEDGES_SESSION_KEY_FILE: '/etc/pledges/session.key',
      ...AUDIT_KEY,
    });
    expect(config.PLEDGES_TOKENS_FILE).toBeUndefined();
    expect(config.devSignIn).toBe(false);
  });

  it('refuses browser sign-in in production without a session key file', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...OIDC })).toThrow(
      /^Refusing to start: .*PLEDGES_SESSION_KEY_FILE/,
    );
  });

  it('needs the client id with the issuer, and the issuer with the client id', () => {
    expect(() => loadConfig({ PLEDGES_OIDC_ISSUER: OIDC.PLEDGES_OIDC_ISSUER })).toThrow(
      /PLEDGES_OIDC_CLIENT_ID/,
    );
    expect(() => loadConfig({ PLEDGES_OIDC_CLIENT_ID: 'x' })).toThrow(
      /without PLEDGES_OIDC_ISSUER/,
    );
    expect(() => loadConfig({ ...OIDC, PLEDGES_OIDC_ISSUER: 'login.example.org' })).toThrow(
      /^Invalid configuration: PLEDGES_OIDC_ISSUER:/,
    );
  });

  it('defaults the claims and roles, and reads a role map', () => {
    expect(loadConfig(OIDC)).toMatchObject({
      PLEDGES_OIDC_SCOPES: 'openid profile email',
      PLEDGES_OIDC_ROLE_CLAIM: 'roles',
      PLEDGES_OIDC_MEMBER_STATE_CLAIM: 'member_state',
      PLEDGES_OIDC_ID_CLAIM: 'email',
      PLEDGES_OIDC_ROLE_MAP: {
        member_state: 'member_state',
        commission: 'commission',
        auditor: 'auditor',
        operator: 'operator',
      },
      PLEDGES_SESSION_HOURS: 8,
    });
    expect(
      loadConfig({
        ...OIDC,
        PLEDGES_OIDC_ROLE_CLAIM: 'realm_access.roles',
        PLEDGES_OIDC_ROLE_MAP: '{"eu-home-desk":"member_state","eca":"auditor"}',
      }),
    ).toMatchObject({
      PLEDGES_OIDC_ROLE_CLAIM: 'realm_access.roles',
      PLEDGES_OIDC_ROLE_MAP: { 'eu-home-desk': 'member_state', eca: 'auditor' },
    });
  });

  it('refuses a role map that is not JSON, or names no role', () => {
    expect(() => loadConfig({ ...OIDC, PLEDGES_OIDC_ROLE_MAP: '{eca: auditor}' })).toThrow(
      /PLEDGES_OIDC_ROLE_MAP/,
    );
    expect(() => loadConfig({ ...OIDC, PLEDGES_OIDC_ROLE_MAP: '{"eca":"admin"}' })).toThrow(
      /PLEDGES_OIDC_ROLE_MAP/,
    );
    expect(() => loadConfig({ ...OIDC, PLEDGES_OIDC_SCOPES: 'profile email' })).toThrow(
      /PLEDGES_OIDC_SCOPES/,
    );
  });

  it('takes a public URL without query or fragment, and drops a trailing slash', () => {
    expect(
      loadConfig({ PLEDGES_PUBLIC_URL: 'https://pledges.example.org/' }).PLEDGES_PUBLIC_URL,
    ).toBe('https://pledges.example.org');
    expect(() => loadConfig({ PLEDGES_PUBLIC_URL: 'https://pledges.example.org/?x=1' })).toThrow(
      /PLEDGES_PUBLIC_URL/,
    );
  });
});
