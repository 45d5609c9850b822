import { createHash, type Hash } from 'node:crypto';
import { types } from 'node:util';

const CHUNK_CHARS = 64 * 1024;
/** Projection states are shallow; anything deeper is taken for a reference cycle. */
const MAX_DEPTH = 256;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isSorted(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++) {
    if ((keys[index - 1] as string) > (keys[index] as string)) return false;
  }
  return true;
}

/** Only strings, finite numbers, booleans, null and left-out undefined: where JSON.stringify is canonical already. */
function isFlat(record: Readonly<Record<string, unknown>>, keys: readonly string[]): boolean {
  for (const key of keys) {
    const item = record[key];
    switch (typeof item) {
      case 'string':
      case 'boolean':
      case 'undefined':
        continue;
      case 'number':
        if (!Number.isFinite(item)) return false;
        continue;
      case 'object':
        if (item === null) continue;
        return false;
      default:
        return false;
    }
  }
  return true;
}

/** Streams the canonical text into the hash in chunks: a large state never becomes one string. */
class CanonicalWriter {
  private pending = '';

  constructor(private readonly sink: ((chunk: string) => void) | undefined) {}

  text(chunk: string): void {
    this.pending += chunk;
    if (this.sink !== undefined && this.pending.length >= CHUNK_CHARS) {
      this.sink(this.pending);
      this.pending = '';
    }
  }

  finish(): string {
    const rest = this.pending;
    this.pending = '';
    if (this.sink !== undefined) this.sink(rest);
    return rest;
  }

  value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'string':
        this.text(JSON.stringify(value));
        return;
      case 'number':
        this.text(Number.isFinite(value) ? String(value) : JSON.stringify(String(value)));
        return;
      case 'boolean':
        this.text(value ? 'true' : 'false');
        return;
      case 'bigint':
        this.text(JSON.stringify(`${value.toString()}n`));
        return;
      case 'object':
        break;
      default:
        this.text('null');
        return;
    }
    if (value === null) {
      this.text('null');
      return;
    }
    if (depth > MAX_DEPTH) throw new TypeError('State too deep to digest (a reference cycle?)');
    if (Array.isArray(value)) {
      this.array(value as readonly unknown[], depth + 1);
      // By brand, not instanceof: a state decoded from a snapshot may come from another realm.
    } else if (types.isMap(value)) {
      this.map(value, depth + 1);
    } else if (types.isSet(value)) {
      const items = [...(value as ReadonlySet<unknown>)].map((item) =>
        canonicalText(item, depth + 1),
      );
      this.text(`{"$set":[${items.sort(compareText).join(',')}]}`);
    } else if (types.isDate(value)) {
      this.text(
        JSON.stringify(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()),
      );
    } else {
      this.object(value as Readonly<Record<string, unknown>>, depth + 1);
    }
  }

  private array(items: readonly unknown[], depth: number): void {
    this.text('[');
    for (let index = 0; index < items.length; index++) {
      if (index > 0) this.text(',');
      this.value(items[index], depth);
    }
    this.text(']');
  }

  private map(map: ReadonlyMap<unknown, unknown>, depth: number): void {
    const entries: [string, unknown][] = [];
    for (const [key, item] of map) entries.push([canonicalText(key, depth), item]);
    entries.sort(([a], [b]) => compareText(a, b));
    this.text('{"$map":[');
    for (let index = 0; index < entries.length; index++) {
      const [key, item] = entries[index] as [string, unknown];
      this.text(index > 0 ? ',[' : '[');
      this.text(key);
      this.text(',');
      this.value(item, depth);
      this.text(']');
    }
    this.text(']}');
  }

  private object(record: Readonly<Record<string, unknown>>, depth: number): void {
    const keys = Object.keys(record);
    const sorted = isSorted(keys);
    // Most leaves (pledge lines, actors) are flat records with sorted keys: JSON.stringify writes the same text natively.
    if (sorted && isFlat(record, keys)) {
      this.text(JSON.stringify(record));
      return;
    }
    if (!sorted) keys.sort(compareText);
    this.text('{');
    let first = true;
    for (const key of keys) {
      const item = record[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      this.text(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      this.value(item, depth);
    }
    this.text('}');
  }
}

function canonicalText(value: unknown, depth: number): string {
  const writer = new CanonicalWriter(undefined);
  writer.value(value, depth);
  return writer.finish();
}

/**
 * SHA-256 (hex) of a canonical serialisation: object keys sorted, Maps and Sets as sorted entries,
 * undefined properties left out, so two states built from the same events digest alike whatever
 * their insertion order.
 */
export function stateDigest(state: unknown): string {
  const hash: Hash = createHash('sha256');
  const writer = new CanonicalWriter((chunk) => hash.update(chunk));
  writer.value(state, 0);
  writer.finish();
  return hash.digest('hex');
}
