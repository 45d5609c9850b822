/**
 * A stand-in for the tracker's sign-in, just enough to drive `signInWithOidc` through a real
 * browser before the server's /auth endpoints exist: /signin with the OIDC button, /auth/login
 * and /auth/callback doing the code flow (with the fetch helpers), one development identity
 * offered as a button, and a page naming the person.
 */
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import {
  redeemAuthorizationCode,
  type AuthorizationCodeResult,
} from '../support/authorizationCode';
import type { RunningOidcProvider } from '../support/harness';

export interface FakeRelyingParty {
  readonly baseUrl: string;
  close(): Promise<void>;
}

const DEVELOPMENT_IDENTITY = {
  id: 'de-desk-officer',
  name: 'Desk officer, DE ministry (demo)',
  role: 'member_state',
  memberState: 'DE',
};

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>${title}</title></head><body><main>${body}</main></body></html>`;

/** Serves on `port` (the one in the provider's redirect URI). */
export async function startFakeRelyingParty(
  provider: RunningOidcProvider,
  port: number,
): Promise<FakeRelyingParty> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${baseUrl}/auth/callback`;
  const pending = new Map<string, Omit<AuthorizationCodeResult, 'callbackUrl' | 'code'>>();
  const signedIn = new Map<string, string>();

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', baseUrl);
    void (async () => {
      if (url.pathname === '/signin') {
        const error = url.searchParams.get('error');
        response.setHeader('content-type', 'text/html');
        response.end(
          page(
            'Sign in',
            `${error === null ? '' : `<p role="alert">${error}</p>`}<h1>Sign in</h1><a href="/auth/login">Sign in with your organisation account</a>` +
              `<form method="post" action="/development"><button name="identity" value="${DEVELOPMENT_IDENTITY.id}">${DEVELOPMENT_IDENTITY.name}</button></form>`,
          ),
        );
      } else if (url.pathname === '/auth/options') {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            oidc: { enabled: true, label: 'Sign in with your organisation account' },
            development: { identities: [DEVELOPMENT_IDENTITY] },
          }),
        );
      } else if (url.pathname === '/development' && request.method === 'POST') {
        const session = randomBytes(16).toString('hex');
        signedIn.set(session, DEVELOPMENT_IDENTITY.name);
        response
          .writeHead(303, { location: '/home', 'set-cookie': `rp_session=${session}; Path=/` })
          .end();
      } else if (url.pathname === '/auth/login') {
        // The code flow's first leg, as the tracker would start it: PKCE, state and nonce.
        const verifier = randomBytes(32).toString('base64url');
        const state = randomBytes(16).toString('base64url');
        const authorize = new URL('/auth', provider.issuer);
        authorize.search = new URLSearchParams({
          client_id: provider.clientId,
          redirect_uri: redirectUri,
          response_type: 'code',
          scope: 'openid profile email',
          state,
          nonce: 'n',
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        }).toString();
        pending.set(state, { state, nonce: 'n', codeVerifier: verifier, consented: false });
        response.writeHead(302, { location: authorize.href }).end();
      } else if (url.pathname === '/auth/callback') {
        const started = pending.get(url.searchParams.get('state') ?? '');
        const code = url.searchParams.get('code');
        if (started === undefined || code === null) {
          response.writeHead(302, { location: '/signin?error=state_mismatch' }).end();
          return;
        }
        const tokens = await redeemAuthorizationCode(
          { issuer: provider.issuer, clientId: provider.clientId, redirectUri, login: '' },
          { ...started, code, callbackUrl: url },
        );
        const [, payload = ''] = tokens.id_token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
          name: string;
          roles?: string[];
        };
        if (claims.roles === undefined) {
          response.writeHead(302, { location: '/signin?error=no_role' }).end();
          return;
        }
        const session = randomBytes(16).toString('hex');
        signedIn.set(session, claims.name);
        response
          .writeHead(302, { location: '/home', 'set-cookie': `rp_session=${session}; Path=/` })
          .end();
      } else {
        // The provider's own cookies (`_session` …) arrive too: cookies ignore the port.
        const session = /(?:^|; )rp_session=(\w+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
        response.setHeader('content-type', 'text/html');
        response.end(page('Home', `<h1>Signed in as ${signedIn.get(session) ?? 'nobody'}</h1>`));
      }
    })().catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  return {
    baseUrl,
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
