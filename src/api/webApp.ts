/**
 * The web app, served from its build (`dist/web` by default): `/assets/*` cached for good (their
 * names carry a content hash), any other file as it is, and `index.html` (never stored) for every
 * page a browser asks for outside the API, so a client route such as `/ministry/plans/2026-2027`
 * loads the app, carrying who is signed in and the screen's chunks to preload (`webAppPage.ts`).
 * Without a build, a page says how to make one. The app gets its own
 * Content-Security-Policy; the API keeps its strict one. Text files (the page, scripts, styles) go
 * out brotli- or gzip-compressed to a browser that accepts it, compressed once and kept in memory.
 */
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { CompressedFiles, fileUnder } from './compressedFiles';
import type { BrowserSignIn } from './session/browserSignIn';
import { AppPage, type PageBootstrap } from './webAppPage';

/** Paths the app never answers with its page: they are the server's own. */
const SERVER_PATHS = /^\/(api|auth|docs|health|ready|metrics)(\/|$)/i;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** The page carries who is signed in: no cache, shared or private, keeps it. */
const PER_PERSON = 'no-store';

export function webAppContentSecurityPolicy(formActionOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    ['form-action', "'self'", ...formActionOrigins].join(' '),
  ].join('; ');
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pledge tracker: the web app is not built</title></head>
<body>
<h1>The web app is not built</h1>
<p>The API is running. To serve the web app, build it with <code>npm run build</code> and restart the server
(or point <code>PLEDGES_WEB_DIR</code> at a built app).</p>
</body>
</html>
`;

/** Wants a page: a GET or HEAD whose Accept prefers HTML to JSON (a browser navigating). */
function wantsPage(request: Request): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !SERVER_PATHS.test(request.path) &&
    request.accepts(['json', 'html']) === 'html'
  );
}

export interface WebAppOptions {
  /** Origins the sign-in may navigate a form to (the identity provider's). */
  readonly formActionOrigins?: readonly string[];
  /**
   * The browser sign-in, whose session (or, signed out, ways to sign in) the page carries so the
   * app starts without asking. Without it the page carries nothing of the kind.
   */
  readonly signIn?: BrowserSignIn;
}

function bootstrapOf(request: Request, signIn: BrowserSignIn | undefined): PageBootstrap {
  if (signIn === undefined) return {};
  const session = signIn.sessionOfPage(request);
  return session === undefined ? { authOptions: signIn.authOptions() } : { session };
}

export function webAppRoutes(webDir: string, options: WebAppOptions = {}): Router {
  const root = resolve(webDir);
  const index = join(root, 'index.html');
  const router = Router();
  const assets = join(root, 'assets');
  const policy = webAppContentSecurityPolicy(options.formActionOrigins);
  const compressed = new CompressedFiles();
  const page = new AppPage(index, root);
  // Ahead of the first browser, off the event loop (zlib's thread pool).
  void compressed.warm([assets], [index]);

  /** A file of the build, compressed when the browser takes it so; else on to express.static. */
  const sendCompressed = (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    const file = fileUnder(root, request.path);
    if (file === undefined) {
      next();
      return;
    }
    const cacheControl = file.startsWith(assets + sep) ? IMMUTABLE : REVALIDATE;
    compressed.send(request, response, file, cacheControl).then((sent) => {
      if (!sent) next();
    }, next);
  };

  router.use((request, response, next) => {
    if (SERVER_PATHS.test(request.path)) {
      next('router');
      return;
    }
    // Replaces the API's policy, set for every response before this.
    response.setHeader('Content-Security-Policy', policy);
    next();
  });
  router.use(sendCompressed);
  router.use(
    '/assets',
    express.static(join(root, 'assets'), {
      index: false,
      fallthrough: true,
      setHeaders: (response) => response.setHeader('Cache-Control', IMMUTABLE),
    }),
  );
  router.use(
    express.static(root, {
      index: false,
      fallthrough: true,
      setHeaders: (response) => response.setHeader('Cache-Control', REVALIDATE),
    }),
  );
  router.use((request, response, next) => {
    if (!wantsPage(request) || request.path.startsWith('/assets/')) {
      next();
      return;
    }
    response.setHeader('Cache-Control', PER_PERSON);
    if (!existsSync(index)) {
      response.status(503).type('html').send(NOT_BUILT_PAGE);
      return;
    }
    page.render(request.path, bootstrapOf(request, options.signIn)).then((html) => {
      // A kilobyte or two, different for each person: compressing it would win nothing.
      response.type('html').send(html);
    }, next);
  });
  return router;
}
