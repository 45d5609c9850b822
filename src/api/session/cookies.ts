/** Reading the Cookie header and writing Set-Cookie, by hand: the two cookies this app sets. */

/** Every cookie of the request's Cookie header; the first of a repeated name wins. */
export function parseCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    let value = part.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1);
    }
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  readonly path: string;
  /** Seconds; 0 deletes the cookie. */
  readonly maxAgeSeconds: number;
  readonly secure: boolean;
}

/** One Set-Cookie value: HttpOnly and SameSite=Lax always (the app's cookies are never scripts'). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (
    !/^[A-Za-z0-9_-]+$/.test(name) ||
    !/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/.test(value)
  ) {
    throw new Error(`Cookie ${name}: not a cookie-safe name or value`);
  }
  const maxAge = Math.max(0, Math.floor(options.maxAgeSeconds));
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${maxAge}`,
    ...(maxAge === 0 ? ['Expires=Thu, 01 Jan 1970 00:00:00 GMT'] : []),
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
