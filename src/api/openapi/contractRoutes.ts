/**
 * The published contract: the OpenAPI document at `GET /api/v1/openapi.json` and interactive
 * documentation of it at `GET /docs`. Both are public reference data. Swagger UI's static files
 * are served from the installed `swagger-ui-dist` package, never from a CDN, and only the few the
 * page loads; the page's own start-up script is a file too, so the CSP allows no inline script.
 */
import { join } from 'node:path';
import { Router, type Response } from 'express';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path';
import { openApiDocument } from './document';

export const CONTRACT_PATH = '/api/v1/openapi.json';
export const DOCS_PATH = '/docs';

/**
 * What Swagger UI needs and nothing more: its script and stylesheet from here, the `data:` images
 * its stylesheet uses, and requests to this origin (the document and "Try it out"). No inline
 * script or style (its components set styles through the DOM, which a CSP does not govern, and the
 * standalone preset's inline SVG styles are not loaded), no frames, form posts, plugins or other
 * origins. Checked in headless Chromium: loading, authorizing and trying an operation report no
 * violation.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${CONTRACT_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Resettlement pledge tracker: API</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/swagger-initializer.js"></script>
  </body>
</html>
`;

/** The package's files the page loads; anything else under /docs is not found. */
const PACKAGE_ASSETS: ReadonlySet<string> = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

function docsHeaders(response: Response): void {
  response.setHeader('Content-Security-Policy', DOCS_CSP);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
}

export function contractRoutes(): Router {
  const router = Router();
  const assets = getAbsoluteFSPath();

  router.get(CONTRACT_PATH, (_request, response) => {
    response.json(openApiDocument());
  });

  router.get(DOCS_PATH, (_request, response) => {
    docsHeaders(response);
    response.type('html').send(PAGE);
  });

  router.get(`${DOCS_PATH}/:asset`, (request, response, next) => {
    const { asset } = request.params;
    docsHeaders(response);
    if (asset === 'swagger-initializer.js') {
      response.type('js').send(INITIALIZER);
      return;
    }
    if (!PACKAGE_ASSETS.has(asset)) {
      next();
      return;
    }
    response.sendFile(join(assets, asset), { maxAge: '1d' }, (error) => {
      if (error) next(error);
    });
  });

  return router;
}
