/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * The audit log hashes and signs JSON, so two parties must turn the same value into the same bytes
 * without sharing code: JCS fixes property order, number form and string escaping. The input is a
 * value already in memory (not JSON text), which sidesteps duplicate keys (RFC 8785 §3.1) because a
 * JavaScript object cannot hold them.
 */

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Thrown for a value that has no JCS form; `path` names where it sits (e.g. `$.data.items[2]`). */
export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
    this.name = 'CanonicalJsonError';
  }
}

/** The canonical JSON text of `value`. */
export function canonicalJson(value: unknown): string {
  if (isInCanonicalOrder(value)) return JSON.stringify(value);
  const fast = fastSerialize(value);
  if (fast !== undefined) return fast;
  // Something in the value has no JCS form: the careful serializer below finds it and names it.
  const out: string[] = [];
  serialize(value, '$', out);
  return out.join('');
}

/** The canonical JSON as UTF-8 bytes: RFC 8785 §3.2.4 makes UTF-8 the only interoperable encoding. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalJson(value), 'utf8'));
}

const isWellFormed = (s: string): boolean =>
  (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Whether JSON.stringify writes `value` exactly as JCS does: plain data only, finite numbers,
 * well-formed strings (see `fastSerialize` on escaping) and every object's keys already in JCS
 * order (JSON.stringify keeps the order Object.keys gives). True for any value JSON.parse makes of
 * a canonical text, so a verifier checking that a line is canonical pays for one native
 * JSON.stringify and this walk, which builds no strings.
 */
function isInCanonicalOrder(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'string':
      return isWellFormed(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!isInCanonicalOrder(value[i])) return false;
        }
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      let previous: string | undefined;
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
        // `<` on strings compares UTF-16 code units, the order of RFC 8785 §3.2.3.
        if ((previous !== undefined && !(previous < key)) || !isWellFormed(key)) return false;
        if (!isInCanonicalOrder(record[key])) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

/** What JSON.stringify escapes in a well-formed string: `"`, `\\` and the C0 controls. */
// eslint-disable-next-line no-control-regex -- the C0 controls are exactly what it must find
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * JSON.stringify of a well-formed string, without the call for the common string that needs no
 * escape (then JSON.stringify would only add the quotes).
 */
function quoted(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * The same text as `serialize`, built without tracking paths, for the common case of a value that
 * has a JCS form; undefined as soon as anything has none (the caller then runs `serialize` for the
 * error). The verifier canonicalises every record of an export, so this is its hot path.
 * For a well-formed string (no lone surrogate) JSON.stringify escapes exactly as RFC 8785 §3.2.2.2
 * does: `"`, `\\` and the C0 controls only, the short forms where they exist, else \u00xx in
 * lowercase; a number is String(n), as in `serializeNumber`.
 */
function fastSerialize(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'string':
      return isWellFormed(value) ? quoted(value) : undefined;
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = fastSerialize(value[i]);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const record = value as Record<string, unknown>;
      // The same order as serializeObject: UTF-16 code units (no sort when already in it).
      const keys = Object.keys(record);
      for (let i = 1; i < keys.length; i++) {
        if (!(keys[i - 1]! < keys[i]!)) {
          keys.sort();
          break;
        }
      }
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (!isWellFormed(key)) return undefined;
        const item = fastSerialize(record[key]);
        if (item === undefined) return undefined;
        out += `${i === 0 ? '' : ','}${quoted(key)}:${item}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

function serialize(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(serializeNumber(value, path));
      return;
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'object':
      if (Array.isArray(value)) {
        serializeArray(value, path, out);
      } else {
        serializeObject(value, path, out);
      }
      return;
    case 'undefined':
      // JSON.stringify would silently drop or null it; a hashed record must not change shape quietly.
      throw new CanonicalJsonError('undefined has no JSON form', path);
    default:
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`, path);
  }
}

/**
 * RFC 8785 §3.2.2.3: numbers are serialized as ECMAScript's Number.prototype.toString does
 * (ECMA-262 Number::toString), which is exactly String(n) for finite n, -0 included ("0").
 * NaN and the infinities are not JSON (RFC 8785 §3.2.2.3 requires an error).
 */
function serializeNumber(n: number, path: string): string {
  if (!Number.isFinite(n)) {
    throw new CanonicalJsonError(`the non-finite number ${String(n)} has no JSON form`, path);
  }
  return String(n);
}

/**
 * RFC 8785 §3.2.2.2: strings are quoted with only `"` and `\` and the C0 controls escaped; the
 * controls with a short form (\b \t \n \f \r) use it, the others \u00xx in lowercase hex; every
 * other character, non-ASCII included, is emitted as itself. Lone surrogates are refused: JCS
 * requires I-JSON (RFC 7493 §2.1), whose strings must be valid Unicode.
 */
function serializeString(s: string, path: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        throw new CanonicalJsonError('a lone high surrogate is not valid Unicode', path);
      }
      out += s[i]! + s[i + 1]!;
      i++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      throw new CanonicalJsonError('a lone low surrogate is not valid Unicode', path);
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0d:
        out += '\\r';
        break;
      default:
        out += c < 0x20 ? '\\u' + c.toString(16).padStart(4, '0') : s[i]!;
    }
  }
  return out + '"';
}

function serializeArray(values: readonly unknown[], path: string, out: string[]): void {
  out.push('[');
  // An index loop, not forEach: a hole in a sparse array must be seen (and refused as undefined).
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out.push(',');
    serialize(values[i], `${path}[${i}]`, out);
  }
  out.push(']');
}

function serializeObject(value: object, path: string, out: string[]): void {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // A Date, Map, class instance or buffer would go through toJSON or lose its content; the caller
    // must say what JSON it means rather than have the hash depend on a conversion hidden here.
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new CanonicalJsonError(`a ${name} is not a plain JSON object`, path);
  }
  const record = value as Record<string, unknown>;
  // RFC 8785 §3.2.3: properties sorted by their names as arrays of UTF-16 code units, compared
  // unit by unit (not by code point, not by locale). Array.prototype.sort without a comparator
  // compares strings by UTF-16 code units, which is exactly that order.
  const keys = Object.keys(record).sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    const childPath = `${path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
    out.push(serializeString(key, childPath), ':');
    serialize(record[key], childPath, out);
  });
  out.push('}');
}
