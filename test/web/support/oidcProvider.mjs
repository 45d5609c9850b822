/**
 * A real OpenID provider for the end-to-end tests (the `oidc-provider` package, which is ESM only,
 * hence this file runs as its own process). One client, authorization code with PKCE; the
 * package's development sign-in form accepts any password for a login from `oidcPeople.json`.
 *
 *   OIDC_PORT=0 OIDC_CLIENT_ID=pledge-tracker \
 *   OIDC_REDIRECT_URI=http://127.0.0.1:3000/auth/callback \
 *   OIDC_POST_LOGOUT_REDIRECT_URI=http://127.0.0.1:3000/signin \
 *   node test/web/support/oidcProvider.mjs
 *
 * Environment:
 *   OIDC_PORT                      port to listen on (0 or unset: any free port)
 *   OIDC_HOST                      interface (default 127.0.0.1; the issuer uses it)
 *   OIDC_CLIENT_ID                 the tracker's client id (default pledge-tracker)
 *   OIDC_REDIRECT_URI              the tracker's /auth/callback URL (comma-separated for several)
 *   OIDC_POST_LOGOUT_REDIRECT_URI  where the end-session endpoint may send the browser back to
 *   OIDC_CLIENT_SECRET             makes the client confidential (client_secret_basic); unset: a
 *                                  public client ('none'), PKCE alone
 *   OIDC_CONSENT                   `prompt` shows the consent screen after the login; unset or
 *                                  `skip` grants the requested scopes at once (a first-party app)
 *
 * Prints one JSON line `{"ready":true,"issuer":"http://127.0.0.1:<port>"}` once listening; its
 * own warnings go to stderr. Exits on SIGTERM or SIGINT.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { people } = JSON.parse(readFileSync(new URL('./oidcPeople.json', import.meta.url), 'utf8'));

const environment = process.env;
const host = environment.OIDC_HOST || '127.0.0.1';
const requestedPort = Number(environment.OIDC_PORT || 0);
const clientId = environment.OIDC_CLIENT_ID || 'pledge-tracker';
const redirectUris = (environment.OIDC_REDIRECT_URI || '')
  .split(',')
  .map((uri) => uri.trim())
  .filter((uri) => uri !== '');
const postLogoutRedirectUris = (environment.OIDC_POST_LOGOUT_REDIRECT_URI || '')
  .split(',')
  .map((uri) => uri.trim())
  .filter((uri) => uri !== '');
const clientSecret = environment.OIDC_CLIENT_SECRET || undefined;
const promptForConsent = environment.OIDC_CONSENT === 'prompt';

if (redirectUris.length === 0) {
  process.stderr.write('oidcProvider: set OIDC_REDIRECT_URI (the tracker /auth/callback URL)\n');
  process.exit(2);
}

/** Claims by scope. `roles` and `member_state` ride with `openid`, as many IdPs put roles in every ID token. */
const claimsByScope = {
  openid: ['sub', 'roles', 'member_state'],
  email: ['email', 'email_verified'],
  profile: ['name'],
};

// A fresh signing key and cookie key each run: nothing outlives the test that started it.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  alg: 'RS256',
  use: 'sig',
  kid: 'e2e',
};

const server = createServer();
server.listen(requestedPort, host, () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const issuer = `http://${host}:${address.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        ...(clientSecret !== undefined && { client_secret: clientSecret }),
        token_endpoint_auth_method: clientSecret === undefined ? 'none' : 'client_secret_basic',
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        client_name: 'Pledge tracker (end-to-end tests)',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: claimsByScope,
    // The scope's claims go into the ID token too, not only to userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: signOutPage },
    },
    async findAccount(_context, accountId) {
      const person = people[accountId];
      if (person === undefined) return undefined;
      return {
        accountId,
        async claims() {
          return { sub: accountId, ...person };
        },
      };
    },
    async loadExistingGrant(context) {
      const { oidc } = context;
      const grantId =
        oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      if (promptForConsent) return undefined;
      const grant = new oidc.provider.Grant({
        clientId: oidc.client.clientId,
        accountId: oidc.session.accountId,
      });
      grant.addOIDCScope(oidc.params.scope);
      await grant.save();
      return grant;
    },
    async renderError(context, out) {
      context.type = 'html';
      context.body = page(
        'Sign-in error',
        `<h1>Sign-in error</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`,
      );
    },
  });
  // A fault inside the provider shows in the test's failure output, not only as a 500 page.
  provider.on('server_error', (_context, error) => {
    process.stderr.write(`oidcProvider: ${error.stack ?? String(error)}\n`);
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ ready: true, issuer })}\n`);
});

/** The end-session confirmation, without the default page's web font (the tests run offline). */
async function signOutPage(context, form) {
  context.body = page(
    'Sign out',
    `<main><h1>Sign out of the test identity provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main>`,
  );
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Keep-alive connections from the tracker or the browser must not hold the exit back.
process.on('SIGTERM', () => server.closeAllConnections());
process.on('SIGINT', () => server.closeAllConnections());
