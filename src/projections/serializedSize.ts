/**
 * `Buffer.byteLength(JSON.stringify(value), 'utf8')` without building the string. The storage
 * quota weighs every pledge and report event this way, so a rebuild serialised each one again only
 * to measure it, which cost about as much as parsing it from the store. Counted directly, plain
 * JSON data (what `JSON.parse` and the decoders give) costs a walk over its values; anything else
 * (a `toJSON`, a class instance, a bigint) is serialised after all, so the answer is always the
 * one `JSON.stringify` gives.
 */

/** What the walk answers for a value that is not plain JSON data: serialise it after all. */
const NOT_PLAIN = -1;

export function serializedByteLength(value: unknown): number {
  const size = sizeOf(value);
  return size === NOT_PLAIN ? Buffer.byteLength(JSON.stringify(value), 'utf8') : size;
}

function sizeOf(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringSize(value);
    case 'number':
      // JSON writes a finite number as `Number.prototype.toString` does: ASCII, one byte a char.
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      if (value === null) return 4;
      return Array.isArray(value) ? arraySize(value) : objectSize(value);
    default:
      // undefined, a function or a symbol at the top; a bigint throws in JSON.stringify.
      return NOT_PLAIN;
  }
}

function arraySize(array: unknown[]): number {
  if (Object.getPrototypeOf(array) !== Array.prototype) return NOT_PLAIN;
  const length = array.length;
  // Brackets and the commas between items.
  let size = length === 0 ? 2 : length + 1;
  for (let index = 0; index < length; index++) {
    const item = array[index];
    const itemSize = isSkipped(item) ? 4 : sizeOf(item);
    if (itemSize === NOT_PLAIN) return NOT_PLAIN;
    size += itemSize;
  }
  return size;
}

function objectSize(object: object): number {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
  let size = 2;
  let members = 0;
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (isSkipped(item)) continue;
    const itemSize = sizeOf(item);
    if (itemSize === NOT_PLAIN) return NOT_PLAIN;
    // `"key":value`, and a comma before every member but the first.
    size += stringSize(key) + 1 + itemSize + (members === 0 ? 0 : 1);
    members++;
  }
  return size;
}

/** What JSON.stringify leaves out of an object (and writes as `null` in an array). */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** A string as JSON writes it: quoted, escaped, UTF-8. */
function stringSize(text: string): number {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    // Printable ASCII is written as it is, except the quote and the backslash; anything else
    // (an escape, a multi-byte character, a lone surrogate) is left to JSON.stringify.
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) {
      return Buffer.byteLength(JSON.stringify(text), 'utf8');
    }
  }
  return length + 2;
}
