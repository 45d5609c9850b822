/**
 * The web app's page as served to one browser: the built `index.html` with, before `</head>`,
 * what lets the app start without waiting:
 * - who is signed in (the body `GET /api/v1/session` would give) or, signed out, the ways to sign
 *   in (`GET /auth/options`), in a JSON data block the app reads at start (`type="application/json"`
 *   is never run, so the CSP's `script-src 'self'` holds);
 * - `<link rel="modulepreload">` and stylesheet links for the chunk of the screen the path opens
 *   and the chunks it imports, chosen from Vite's manifest (`.vite/manifest.json`), so the browser
 *   fetches them beside the main script instead of after it has run.
 * The page differs per person, so it is never stored by any cache (`no-store`).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Role } from '../domain/shared/messages';
import type { AuthOptionsBody, SessionBody } from './session/browserSignIn';

/** The id of the JSON data block; the app's `web/src/session/bootstrap.ts` reads it. */
export const BOOTSTRAP_ELEMENT_ID = 'app-bootstrap';

/** What the page tells the app before it asks anything. */
export interface PageBootstrap {
  readonly session?: SessionBody;
  readonly authOptions?: AuthOptionsBody;
}

/*
 * The screens' chunks by the client route that opens them, named by their source modules (the keys
 * of Vite's manifest). The first match wins. A path that names no chunk here still works: the app
 * loads it as it renders, one round trip later.
 */
const MINISTRY = 'src/screens/ministry/index.tsx';
const COMMISSION = 'src/screens/commission/index.tsx';
const AUDITOR = 'src/screens/auditor/index.tsx';
const FIGURES = 'src/screens/commission/figures/PlanFiguresPage.tsx';
const FULFILMENT = 'src/screens/commission/fulfilment/FulfilmentPage.tsx';
const REPORT = 'src/screens/commission/fulfilment/ReportPage.tsx';

export const ROUTE_CHUNKS: readonly {
  readonly path: RegExp;
  readonly sources: readonly string[];
}[] = [
  { path: /^\/ministry(\/|$)/, sources: [MINISTRY] },
  { path: /^\/commission\/plans\/[^/]+\/figures\/?$/, sources: [COMMISSION, FIGURES] },
  { path: /^\/commission\/plans\/[^/]+\/fulfilment\/?$/, sources: [COMMISSION, FULFILMENT] },
  { path: /^\/commission\/plans\/[^/]+\/reports\//, sources: [COMMISSION, REPORT] },
  { path: /^\/commission(\/|$)/, sources: [COMMISSION] },
  { path: /^\/audit\/plans\/[^/]+\/figures\/?$/, sources: [AUDITOR, COMMISSION, FIGURES] },
  { path: /^\/audit\/plans\/[^/]+\/fulfilment\/?$/, sources: [AUDITOR, COMMISSION, FULFILMENT] },
  { path: /^\/audit\/plans\/[^/]+\/reports\//, sources: [AUDITOR, COMMISSION, REPORT] },
  { path: /^\/audit(\/|$)/, sources: [AUDITOR, COMMISSION] },
];

/** Where `/` sends each role (the app's `ROLE_HOME`), for the chunks of `/`. */
const ROLE_HOME: Readonly<Record<Role, string>> = {
  member_state: '/ministry',
  commission: '/commission',
  auditor: '/audit',
  operator: '/operator',
};

const manifestSchema = z.record(
  z.string(),
  z.object({
    file: z.string(),
    imports: z.array(z.string()).optional(),
    css: z.array(z.string()).optional(),
  }),
);
type Manifest = z.infer<typeof manifestSchema>;

interface Template {
  readonly mtimeMs: number;
  readonly size: number;
  readonly html: string;
  readonly manifest: Manifest;
}

/** The files a chunk needs before it runs: its own, its static imports' (recursively), their CSS. */
export function chunkFiles(
  manifest: Manifest,
  sources: readonly string[],
): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (chunk === undefined) return;
    scripts.push(chunk.file);
    for (const css of chunk.css ?? []) if (!styles.includes(css)) styles.push(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const source of sources) visit(source);
  return { scripts, styles };
}

/**
 * JSON inside `<script>`: no `<` (so no `</script>` or `<!--`), and none of the line separators
 * older parsers took for line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The built page, read again when the build changes, and what one browser's copy adds to it. */
export class AppPage {
  private template: Promise<Template> | undefined;

  constructor(
    private readonly index: string,
    private readonly root: string,
  ) {}

  private async current(): Promise<Template> {
    const stats = await stat(this.index);
    const cached = await this.template?.catch(() => undefined);
    if (cached?.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached;
    const loading = (async (): Promise<Template> => {
      const html = await readFile(this.index, 'utf8');
      let manifest: Manifest = {};
      try {
        const raw: unknown = JSON.parse(
          await readFile(join(this.root, '.vite', 'manifest.json'), 'utf8'),
        );
        const parsed = manifestSchema.safeParse(raw);
        if (parsed.success) manifest = parsed.data;
      } catch {
        // A build without a manifest: the page goes out without preloads.
      }
      return { mtimeMs: stats.mtimeMs, size: stats.size, html, manifest };
    })();
    this.template = loading;
    return loading;
  }

  /** The page for `path`, as the browser with `bootstrap` gets it. */
  async render(path: string, bootstrap: PageBootstrap): Promise<string> {
    const { html, manifest } = await this.current();
    const route =
      path === '/' && bootstrap.session ? ROLE_HOME[bootstrap.session.actor.role] : path;
    const sources =
      bootstrap.session === undefined
        ? []
        : (ROUTE_CHUNKS.find((chunk) => chunk.path.test(route))?.sources ?? []);
    const { scripts, styles } = chunkFiles(manifest, sources);
    const head = [
      ...styles
        .filter((file) => !html.includes(`/${file}"`))
        .map((file) => `<link rel="stylesheet" crossorigin href="/${file}">`),
      ...scripts
        .filter((file) => !html.includes(`/${file}"`))
        .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`),
      `<script type="application/json" id="${BOOTSTRAP_ELEMENT_ID}">${jsonForScript(bootstrap)}</script>`,
    ];
    const at = html.indexOf('</head>');
    if (at < 0) return html;
    return `${html.slice(0, at)}    ${head.join('\n    ')}\n  ${html.slice(at)}`;
  }
}
