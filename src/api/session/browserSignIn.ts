/**
 * Browser sign-in: the sealed session cookie, the `/auth/*` routes that set and clear it (through
 * the identity provider, or the development sign-in), and the rule by which `/api/v1` accepts a
 * bearer token or, failing that, the session cookie, with its CSRF defence.
 */
import { createHash, randomBytes } from 'node:crypto';
import express, {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { z } from 'zod';
import { actorSchema, type Actor } from '../../domain/shared/messages';
import type { Logger } from '../../observability/logging';
import { authorize } from '../../application/accessPolicy';
import type { TokenRegistry } from '../auth';
import { bearerActor, unauthenticated } from '../bearer';
import { parse } from '../http';
import { HttpProblem } from '../problems';
import { requireJsonBody } from '../requestGuards';
import { callbackQuery, developmentSignInBody, emptyQuery, loginQuery } from '../schemas';
import { parseCookies, serializeCookie } from './cookies';
import {
  developmentActor,
  developmentIdentities,
  type DevelopmentIdentity,
} from './developmentIdentities';
import { SignInError, type OidcRelyingParty, type PendingSignIn } from './oidc';
import { CookieSealer, SESSION_KEY_BYTES } from './seal';

export const SESSION_COOKIE = 'pledges_session';
export const OIDC_COOKIE = 'pledges_oidc';
/** The header a browser script sends and a cross-site form cannot: the CSRF defence. */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_HEADER_VALUE = 'pledge-tracker';

const PENDING_SIGN_IN_SECONDS = 10 * 60;
/** Below browsers' 4096-byte cookie limit with room for the attributes. */
const MAX_COOKIE_VALUE = 3800;
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export type SessionMethod = 'oidc' | 'development';
export type AuthenticationMethod = SessionMethod | 'bearer';

export interface BrowserSession {
  readonly actor: Actor;
  readonly method: SessionMethod;
  /** Epoch seconds. */
  readonly expiresAt: number;
  /** Kept when small enough, as the provider's logout hint. */
  readonly idToken?: string;
}

/** What `/api/v1` authentication leaves in `response.locals.authentication`. */
export interface Authentication {
  readonly method: AuthenticationMethod;
  /** Epoch seconds, for a browser session. */
  readonly expiresAt?: number;
}

/** The body of `GET /api/v1/session`. */
export interface SessionBody {
  readonly actor: Actor;
  readonly method: AuthenticationMethod;
  /** ISO 8601, for a browser session. */
  readonly expiresAt?: string;
}

/** The body of `GET /auth/options`. */
export interface AuthOptionsBody {
  readonly oidc: { readonly enabled: boolean; readonly label: string };
  readonly development: {
    readonly identities: readonly Pick<
      DevelopmentIdentity,
      'id' | 'name' | 'role' | 'memberState'
    >[];
  } | null;
}

function sessionBody(actor: Actor, authentication: Authentication): SessionBody {
  return {
    actor,
    method: authentication.method,
    ...(authentication.expiresAt !== undefined && {
      expiresAt: new Date(authentication.expiresAt * 1000).toISOString(),
    }),
  };
}

const sessionSchema = z.object({
  actor: actorSchema,
  method: z.enum(['oidc', 'development']),
  idToken: z.string().optional(),
});

const pendingSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
});

export interface BrowserSignInOptions {
  /** 32 bytes; a fresh random key (sessions last until restart) by default. */
  readonly sessionKey?: Buffer;
  /** Where browsers reach the app (`https://pledges.example.org`); read when needed. */
  readonly publicUrl?: () => string;
  readonly sessionHours?: number;
  readonly developmentSignIn?: boolean;
  readonly developmentIdentities?: readonly DevelopmentIdentity[];
  readonly oidc?: OidcRelyingParty;
  /** Epoch milliseconds. Default `Date.now`. */
  readonly clock?: () => number;
  readonly log?: Logger;
}

/** A path of this app to land on after signing in: `/x`, never `//host` or `/\host`; else `/`. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return '/';
  try {
    const url = new URL(value, 'http://app.invalid');
    return url.origin === 'http://app.invalid' ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

/** What `/api/v1` needs of a session: who, how they signed in, and until when. */
type SessionStanding = Pick<BrowserSession, 'actor' | 'method' | 'expiresAt'>;

/** Sessions remembered as opened; past this, the one used least recently is forgotten. */
const OPENED_SESSIONS_KEPT = 1_024;

export class BrowserSignIn {
  private readonly sealer: CookieSealer;
  /**
   * Session cookies opened already, by the SHA-256 of the sealed value (never the value itself,
   * which is a credential), without the identity provider's token: a browser sends the same
   * cookie with every request, and opening it (AES-GCM, JSON, schema) need not be redone each time.
   * A sealed value cannot change without failing to open, and expiry is checked on every use.
   */
  private readonly openedSessions = new Map<string, SessionStanding>();
  private readonly publicUrl: () => string;
  private readonly sessionSeconds: number;
  private readonly identities: readonly DevelopmentIdentity[];
  private readonly clock: () => number;
  private readonly log: Logger;

  constructor(private readonly options: BrowserSignInOptions = {}) {
    this.sealer = new CookieSealer(options.sessionKey ?? randomBytes(SESSION_KEY_BYTES));
    this.publicUrl = options.publicUrl ?? (() => 'http://localhost');
    this.sessionSeconds = Math.round((options.sessionHours ?? 8) * 3600);
    this.identities =
      options.developmentSignIn === true
        ? (options.developmentIdentities ?? developmentIdentities())
        : [];
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
  }

  get developmentSignIn(): boolean {
    return this.identities.length > 0;
  }

  get oidc(): OidcRelyingParty | undefined {
    return this.options.oidc;
  }

  get publicOrigin(): string {
    return new URL(this.publicUrl()).origin;
  }

  private get secure(): boolean {
    return this.publicUrl().startsWith('https:');
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** The request's session as `/api/v1` needs it, opened once per cookie value (see `openedSessions`). */
  private sessionStandingOf(request: Request): SessionStanding | undefined {
    const cookie = parseCookies(request.get('cookie')).get(SESSION_COOKIE);
    if (cookie === undefined) return undefined;
    const key = createHash('sha256').update(cookie, 'utf8').digest('base64');
    const known = this.openedSessions.get(key);
    if (known !== undefined) {
      this.openedSessions.delete(key);
      if (known.expiresAt <= this.nowSeconds()) return undefined;
      this.openedSessions.set(key, known);
      return known;
    }
    const session = this.openSession(cookie);
    if (session === undefined) return undefined;
    const standing: SessionStanding = {
      actor: session.actor,
      method: session.method,
      expiresAt: session.expiresAt,
    };
    this.openedSessions.set(key, standing);
    if (this.openedSessions.size > OPENED_SESSIONS_KEPT) {
      const oldest = this.openedSessions.keys().next();
      if (oldest.done !== true) this.openedSessions.delete(oldest.value);
    }
    return standing;
  }

  /** The request's browser session, if its cookie opens and has not expired. */
  sessionOf(request: Request): BrowserSession | undefined {
    const cookie = parseCookies(request.get('cookie')).get(SESSION_COOKIE);
    return cookie === undefined ? undefined : this.openSession(cookie);
  }

  private openSession(cookie: string): BrowserSession | undefined {
    const opened = this.sealer.open(SESSION_COOKIE, cookie, this.nowSeconds());
    const parsed = sessionSchema.safeParse(opened?.value);
    if (opened === undefined || !parsed.success) return undefined;
    const { actor, method, idToken } = parsed.data;
    return {
      actor,
      method,
      expiresAt: opened.expiresAt,
      ...(idToken !== undefined && { idToken }),
    };
  }

  /** Seals a new session into the response's cookie; returns it. */
  startSession(
    response: Response,
    actor: Actor,
    method: SessionMethod,
    idToken?: string,
  ): BrowserSession {
    const expiresAt = this.nowSeconds() + this.sessionSeconds;
    let sealed = this.sealer.seal(SESSION_COOKIE, { actor, method, idToken }, expiresAt);
    if (sealed.length > MAX_COOKIE_VALUE) {
      sealed = this.sealer.seal(SESSION_COOKIE, { actor, method }, expiresAt);
    }
    response.append(
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, sealed, {
        path: '/',
        maxAgeSeconds: this.sessionSeconds,
        secure: this.secure,
      }),
    );
    return { actor, method, expiresAt };
  }

  private clearCookie(response: Response, name: string, path: string): void {
    response.append(
      'Set-Cookie',
      serializeCookie(name, '', { path, maxAgeSeconds: 0, secure: this.secure }),
    );
  }

  /**
   * The CSRF defence for a request a cookie authenticates: an unsafe method must carry
   * `X-Requested-With: pledge-tracker` (a cross-site form cannot; a cross-site script would need a
   * CORS preflight this server never grants with credentials), and an Origin, when sent, must be
   * this app's.
   */
  checkSameSite(request: Request): void {
    if (request.get(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
      throw new HttpProblem(
        403,
        'csrf_header_required',
        `A browser session's ${request.method} must carry the header ${CSRF_HEADER}: ${CSRF_HEADER_VALUE}`,
      );
    }
    const origin = request.get('origin');
    if (origin !== undefined && origin !== this.publicOrigin) {
      throw new HttpProblem(
        403,
        'cross_origin_request',
        `Requests from ${origin.slice(0, 200)} are not accepted`,
      );
    }
  }

  /**
   * `/api/v1` authentication: a bearer token when the request sends one (a wrong token is a 401,
   * never a fall back to the cookie), else the session cookie, with the CSRF defence on writes.
   */
  authenticate(tokens: TokenRegistry): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      if (request.get('authorization') !== undefined) {
        const actor = bearerActor(request, tokens);
        if (actor === undefined) {
          next(unauthenticated(response));
          return;
        }
        Object.assign(response.locals, {
          actor,
          authentication: { method: 'bearer' } satisfies Authentication,
        });
        next();
        return;
      }
      const session = this.sessionStandingOf(request);
      if (session === undefined) {
        next(unauthenticated(response));
        return;
      }
      if (UNSAFE_METHODS.has(request.method)) {
        try {
          this.checkSameSite(request);
        } catch (error) {
          next(error);
          return;
        }
      }
      const authentication: Authentication = {
        method: session.method,
        expiresAt: session.expiresAt,
      };
      Object.assign(response.locals, { actor: session.actor, authentication });
      next();
    };
  }

  /**
   * What `GET /api/v1/session` would answer the browser that sent `request`, or undefined when its
   * cookie opens no session: the web app's page carries it, so the app starts without asking.
   */
  sessionOfPage(request: Request): SessionBody | undefined {
    const session = this.sessionStandingOf(request);
    if (session === undefined) return undefined;
    try {
      authorize(session.actor, 'session.read');
    } catch {
      return undefined;
    }
    return sessionBody(session.actor, session);
  }

  /** The ways to sign in (`GET /auth/options`). */
  authOptions(): AuthOptionsBody {
    return {
      oidc: {
        enabled: this.oidc !== undefined,
        label: this.oidc?.label ?? 'Sign in with your organisation account',
      },
      development: this.developmentSignIn
        ? {
            identities: this.identities.map(({ id, name, role, memberState }) => ({
              id,
              name,
              role,
              ...(memberState !== undefined && { memberState }),
            })),
          }
        : null,
    };
  }

  /** `GET /api/v1/session`: who the caller is, mounted behind `authenticate`. */
  sessionRoute(): Router {
    const router = Router();
    router.get('/', (request, response) => {
      const { actor, authentication } = response.locals as {
        actor: Actor;
        authentication: Authentication;
      };
      authorize(actor, 'session.read');
      parse(emptyQuery, request.query, 'query');
      response.setHeader('Cache-Control', 'no-store');
      response.json(sessionBody(actor, authentication));
    });
    return router;
  }

  /** The `/auth` routes. */
  routes(): Router {
    const router = Router();
    router.use((_request, response, next) => {
      response.setHeader('Cache-Control', 'no-store');
      next();
    });

    router.get('/options', (_request, response) => {
      response.json(this.authOptions());
    });

    router.post(
      '/development',
      (request, response, next) => {
        if (!this.developmentSignIn) {
          next(new HttpProblem(404, 'not_found', 'The development sign-in is off'));
          return;
        }
        this.checkSameSite(request);
        requireJsonBody(request, response, next);
      },
      express.json({ limit: '4kb', strict: true }),
      (request, response) => {
        const { identity } = parse(developmentSignInBody, request.body, 'body');
        const chosen = this.identities.find((candidate) => candidate.id === identity);
        if (chosen === undefined) {
          throw new HttpProblem(422, 'unknown_identity', `No development identity ${identity}`, {
            identities: this.identities.map((candidate) => candidate.id),
          });
        }
        const session = this.startSession(response, developmentActor(chosen), 'development');
        this.log({ level: 'info', msg: 'development sign-in', actor: session.actor.id });
        response.json({
          actor: session.actor,
          method: session.method,
          expiresAt: new Date(session.expiresAt * 1000).toISOString(),
        });
      },
    );

    router.get('/login', async (request, response) => {
      const oidc = this.oidc;
      if (oidc === undefined) {
        throw new HttpProblem(
          404,
          'not_found',
          'Sign-in through an identity provider is not configured',
        );
      }
      const query = loginQuery.safeParse(request.query);
      const returnTo = safeReturnTo(query.success ? query.data.returnTo : undefined);
      let begun: { url: string; pending: PendingSignIn };
      try {
        begun = await oidc.begin(returnTo);
      } catch {
        this.redirect(response, '/signin?error=oidc_failed');
        return;
      }
      response.append(
        'Set-Cookie',
        serializeCookie(
          OIDC_COOKIE,
          this.sealer.seal(OIDC_COOKIE, begun.pending, this.nowSeconds() + PENDING_SIGN_IN_SECONDS),
          { path: '/auth', maxAgeSeconds: PENDING_SIGN_IN_SECONDS, secure: this.secure },
        ),
      );
      this.redirect(response, begun.url);
    });

    router.get('/callback', async (request, response) => {
      const oidc = this.oidc;
      if (oidc === undefined) {
        throw new HttpProblem(
          404,
          'not_found',
          'Sign-in through an identity provider is not configured',
        );
      }
      // One use only: whatever happens next, the pending sign-in is spent.
      this.clearCookie(response, OIDC_COOKIE, '/auth');
      const cookie = parseCookies(request.get('cookie')).get(OIDC_COOKIE);
      const opened =
        cookie === undefined ? undefined : this.sealer.open(OIDC_COOKIE, cookie, this.nowSeconds());
      const pending = pendingSchema.safeParse(opened?.value);
      const query = callbackQuery.safeParse(request.query);
      try {
        const completed = await oidc.complete(
          query.success ? query.data : {},
          pending.success ? pending.data : undefined,
        );
        const session = this.startSession(response, completed.actor, 'oidc', completed.idToken);
        this.log({
          level: 'info',
          msg: 'signed in',
          actor: session.actor.id,
          role: session.actor.role,
        });
        this.redirect(response, safeReturnTo(pending.data?.returnTo));
      } catch (error) {
        const code = error instanceof SignInError ? error.code : 'oidc_failed';
        this.log({
          level: 'warn',
          msg: 'sign-in failed',
          code,
          reason: error instanceof Error ? error.message : String(error),
        });
        this.redirect(response, `/signin?error=${code}`);
      }
    });

    router.post('/logout', async (request, response) => {
      this.checkSameSite(request);
      const session = this.sessionOf(request);
      this.clearCookie(response, SESSION_COOKIE, '/');
      const logoutUrl =
        session?.method === 'oidc' && this.oidc !== undefined
          ? await this.oidc.logoutUrl(session.idToken)
          : undefined;
      response.json(logoutUrl === undefined ? {} : { logoutUrl });
    });

    return router;
  }

  private redirect(response: Response, location: string): void {
    response.status(302).setHeader('Location', location);
    response.end();
  }
}
