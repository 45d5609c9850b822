/**
 * What the server put in the page for this browser (`src/api/webAppPage.ts`): who is signed in,
 * or the ways to sign in, so the app's first screen needs no round trip to learn them. Read once,
 * at start; a session that changes later (sign-out, expiry) is the session query's business.
 */
import type { AuthOptions, Session } from './sessionApi';

/** The id of the page's JSON data block (the server's `BOOTSTRAP_ELEMENT_ID`). */
export const BOOTSTRAP_ELEMENT_ID = 'app-bootstrap';

export interface PageBootstrap {
  readonly session?: Session;
  readonly authOptions?: AuthOptions;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The page's bootstrap, or nothing when it has none (the dev server, a test, an old page) or one
 * that does not parse: the app then asks the server as it always did.
 */
export function readPageBootstrap(doc: Document | undefined = globalThis.document): PageBootstrap {
  const text = doc?.getElementById(BOOTSTRAP_ELEMENT_ID)?.textContent;
  if (text === undefined || text === null || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  const { session, authOptions } = parsed;
  return {
    // The server wrote both from the same schemas the API answers with.
    ...(isRecord(session) && isRecord(session.actor) && { session: session as Session }),
    ...(isRecord(authOptions) &&
      isRecord(authOptions.oidc) && {
        authOptions: authOptions as AuthOptions,
      }),
  };
}
