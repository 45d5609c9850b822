import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-jsdom';

/**
 * jsdom plus Node's fetch API (`fetch`, `Request`, `Response`, `Headers`) and text codecs, which
 * jsdom lacks and openapi-fetch needs, and Node's WebCrypto (`crypto.subtle`) for the log checks.
 * Component tests that talk to a stubbed server use it:
 * `/** @jest-environment <rootDir>/test/web/jsdomEnvironment.ts *\/`, then replace
 * `globalThis.fetch` (see `stubFetch` in ./components/support).
 */
export default class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    Object.assign(this.global, {
      fetch,
      Request,
      Response,
      Headers,
      TextEncoder,
      TextDecoder,
      ReadableStream,
      AbortController,
      AbortSignal,
    });
    // jsdom's `crypto` has getRandomValues but no `subtle`; the log checks need Node's WebCrypto
    // (SHA-256 and Ed25519), which is the browser's API.
    Object.defineProperty(this.global, 'crypto', { value: crypto, configurable: true });
  }
}
