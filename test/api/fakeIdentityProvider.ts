/**
 * An OpenID Connect provider in the test process, just enough of one: discovery, the keys, and a
 * token endpoint that checks the client, the redirect URI and the PKCE verifier against the
 * challenge the code was issued for. The test plays the browser and the person: it reads the
 * authorization request the app redirects to and issues a code for it with the claims it wants.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface IssuedCode {
  /** Claims of the ID token beyond iss, aud, sub, iat, exp, nonce. */
  readonly claims?: Record<string, unknown>;
  readonly audience?: string | string[];
  /** Seconds from now; negative for a token already expired. */
  readonly expiresIn?: number;
  readonly nonce?: string;
  readonly issuer?: string;
  /** Signed by a key the provider does not publish. */
  readonly foreignKey?: boolean;
}

interface PendingCode extends IssuedCode {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly clientId: string;
  readonly requestNonce: string;
}

export interface TokenRequestSeen {
  readonly clientAuthentication: 'basic' | 'none';
  readonly verifierMatched: boolean;
}

export interface FakeIdentityProvider {
  readonly issuer: string;
  readonly port: number;
  /** Every token request, as the provider judged it. */
  readonly tokenRequests: TokenRequestSeen[];
  /** The person signs in: a code for the app's authorization request (the redirect's URL). */
  issueCode(authorizationUrl: string, issued?: IssuedCode): string;
  close(): Promise<void>;
}

export interface FakeProviderOptions {
  readonly clientId: string;
  /** Require client_secret_basic with this secret; a public client otherwise. */
  readonly clientSecret?: string;
  readonly endSession?: boolean;
  /** Listen on this port (to bring a provider back where it was). */
  readonly port?: number;
}

export async function startFakeIdentityProvider(
  options: FakeProviderOptions,
): Promise<FakeIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const tokenRequests: TokenRequestSeen[] = [];
  const app = express();
  let issuer = '';

  app.get('/.well-known/openid-configuration', (_request, response) => {
    response.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      ...(options.endSession === true && { end_session_endpoint: `${issuer}/logout` }),
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });
  app.get('/jwks', (_request, response) => {
    response.json({ keys: [jwk] });
  });
  app.post('/token', express.urlencoded({ extended: false }), async (request, response) => {
    const body = request.body as Record<string, string | undefined>;
    const basic = /^Basic (.+)$/.exec(request.get('authorization') ?? '');
    let clientId = body['client_id'];
    if (basic?.[1] !== undefined) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      if (
        id === undefined ||
        decodeURIComponent(id) !== options.clientId ||
        decodeURIComponent(secret ?? '') !== options.clientSecret
      ) {
        response.status(401).json({ error: 'invalid_client' });
        return;
      }
      clientId = decodeURIComponent(id);
    } else if (options.clientSecret !== undefined) {
      response.status(401).json({ error: 'invalid_client' });
      return;
    }
    const pending = codes.get(body['code'] ?? '');
    codes.delete(body['code'] ?? '');
    const verifier = body['code_verifier'] ?? '';
    const verifierMatched =
      pending !== undefined &&
      createHash('sha256').update(verifier, 'ascii').digest('base64url') === pending.challenge;
    tokenRequests.push({ clientAuthentication: basic ? 'basic' : 'none', verifierMatched });
    if (
      pending === undefined ||
      body['grant_type'] !== 'authorization_code' ||
      clientId !== pending.clientId ||
      body['redirect_uri'] !== pending.redirectUri ||
      !verifierMatched
    ) {
      response.status(400).json({ error: 'invalid_grant' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      nonce: pending.nonce ?? pending.requestNonce,
      ...pending.claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(pending.issuer ?? issuer)
      .setAudience(pending.audience ?? pending.clientId)
      .setSubject('subject-1234')
      .setIssuedAt(now - 5)
      .setExpirationTime(now + (pending.expiresIn ?? 300))
      .sign(pending.foreignKey === true ? foreign.privateKey : privateKey);
    response.json({
      access_token: randomBytes(16).toString('hex'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    });
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    port,
    tokenRequests,
    issueCode(authorizationUrl, issued = {}) {
      const url = new URL(authorizationUrl);
      const parameter = (name: string) => {
        const value = url.searchParams.get(name);
        if (value === null) throw new Error(`The authorization request lacks ${name}`);
        return value;
      };
      if (parameter('code_challenge_method') !== 'S256' || parameter('response_type') !== 'code') {
        throw new Error('Not an authorization code request with PKCE S256');
      }
      const code = randomBytes(16).toString('base64url');
      codes.set(code, {
        ...issued,
        challenge: parameter('code_challenge'),
        redirectUri: parameter('redirect_uri'),
        clientId: parameter('client_id'),
        requestNonce: parameter('nonce'),
      });
      return code;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
